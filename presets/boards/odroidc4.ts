/**
 * Hardkernel Odroid-C4 (Amlogic S905X3): AArch64, Cortex-A55, seL4 platform `odroidc4`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const odroidc4 = aarch64Board({
  name: 'odroidc4',
  description: 'Hardkernel Odroid-C4 (Amlogic S905X3), cortex-a55, 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'odroidc4',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a55',
  // seL4 src/plat/odroidc4/config.cmake (no KernelArmGicV3: GICv2).
  gicV3: false,
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x2000_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0xff80_3000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/odroidc4.dts + src/plat/odroidc4/overlay-odroidc4.dts, the way seL4's build does, with
  // --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [
    { start: 0x0, end: 0x500_0000 },
    { start: 0x530_0000, end: 0xf580_0000 },
  ],
  devices: [
    { start: 0x500_0000, end: 0x530_0000 },
    { start: 0xf580_0000, end: 0xffc0_1000 },
    { start: 0xffc0_3000, end: 0xffc0_4000 },
    { start: 0xffc0_5000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: tftp 0x20000000 loader.img; go 0x20000000',
  uboot: { loadAddress: 0x2000_0000n, commands: ['tftp 0x20000000 {image}', 'go 0x20000000'] },
});
