/**
 * ST STM32MP257F-EV1: AArch64, Cortex-A35, seL4 platform `stm32mp2`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const stm32mp2 = aarch64Board({
  name: 'stm32mp2',
  description: 'ST STM32MP257F-EV1, cortex-a35, 2 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'stm32mp2',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a35',
  // seL4 src/plat/stm32mp2/config.cmake (KernelArmGicV2).
  gicV3: false,
  // build_sdk.py smp_cores.
  smpCores: 2,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x8800_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0x400e_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/stm32mp257f-ev1.dts + src/plat/stm32mp2/overlay-stm32mp2.dts, the way seL4's build
  // does, with --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [{ start: 0x8400_0000, end: 0x1_8000_0000 }],
  devices: [
    { start: 0x0, end: 0x4ac1_0000 },
    { start: 0x4ac1_1000, end: 0x4ac2_0000 },
    { start: 0x4ac2_1000, end: 0x4ac4_0000 },
    { start: 0x4ac4_1000, end: 0x8400_0000 },
    { start: 0x1_8000_0000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: ext2load mmc 0:8 0x88000000 loader.img; go 0x88000000 (a firmware watchdog resets the board after 30 s)',
  uboot: { loadAddress: 0x8800_0000n, commands: ['ext2load mmc 0:8 0x88000000 {image}', 'go 0x88000000'] },
});
