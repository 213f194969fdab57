/**
 * Hardkernel Odroid-C2 (Amlogic S905): AArch64, Cortex-A53, seL4 platform `odroidc2`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const odroidc2 = aarch64Board({
  name: 'odroidc2',
  description: 'Hardkernel Odroid-C2 (Amlogic S905), cortex-a53, 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'odroidc2',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a53',
  // seL4 src/plat/odroidc2/config.cmake (no KernelArmGicV3: GICv2).
  gicV3: false,
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x2000_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0xc810_04c0n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/odroidc2.dts + src/plat/odroidc2/overlay-odroidc2.dts, the way seL4's build does, with
  // --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [
    { start: 0x100_0000, end: 0x500_0000 },
    { start: 0x530_0000, end: 0x1000_0000 },
    { start: 0x1020_0000, end: 0x8000_0000 },
  ],
  devices: [
    { start: 0x0, end: 0x100_0000 },
    { start: 0x500_0000, end: 0x530_0000 },
    { start: 0x1000_0000, end: 0x1020_0000 },
    { start: 0x8000_0000, end: 0xc430_1000 },
    { start: 0xc430_3000, end: 0xc430_4000 },
    { start: 0xc430_5000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: tftp 0x20000000 loader.img; go 0x20000000',
  uboot: { loadAddress: 0x2000_0000n, commands: ['tftp 0x20000000 {image}', 'go 0x20000000'] },
});
