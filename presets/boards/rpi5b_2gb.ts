/**
 * Raspberry Pi 5B, 2 GiB: AArch64, Cortex-A76, seL4 platform `bcm2712`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const rpi5b2gb = aarch64Board({
  name: 'rpi5b_2gb',
  description: 'Raspberry Pi 5B, 2 GiB, cortex-a76, 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'bcm2712',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a76',
  // seL4 src/plat/bcm2712/config.cmake (no KernelArmGicV3: GIC-400).
  gicV3: false,
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x1000_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0x10_7d00_1000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/rpi5b.dts + src/plat/bcm2712/overlay-rpi5.dts + overlay-rpi5-2gb.dts (the 2 GB model
  // is seL4's default), the way seL4's build does, with --addrspace-max 2^40; PRINTING on or off gives the same
  // map.
  memory: [{ start: 0x20_0000, end: 0x3fc0_0000 }],
  devices: [
    { start: 0x0, end: 0x20_0000 },
    { start: 0x3fc0_0000, end: 0x10_7fff_9000 },
    { start: 0x10_7fff_b000, end: 0x10_7fff_c000 },
    { start: 0x10_7fff_d000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: fatload mmc 0 0x10000000 loader.img; go 0x10000000',
  uboot: { loadAddress: 0x1000_0000n, commands: ['fatload mmc 0 0x10000000 {image}', 'go 0x10000000'] },
});
