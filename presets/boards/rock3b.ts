/**
 * Radxa ROCK 3B (RK3568): AArch64, Cortex-A55, seL4 platform `rk3568`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const rock3b = aarch64Board({
  name: 'rock3b',
  description: 'Radxa ROCK 3B (RK3568), cortex-a55, no SMP configs',
  // build_sdk.py: KernelPlatform.
  platform: 'rk3568',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a55',
  // seL4 src/plat/rk3568/config.cmake (KernelArmGicV3).
  gicV3: true,
  // build_sdk.py gives no smp_cores: no smp-* configs.
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x3000_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0xfe66_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/rock3b.dts + src/plat/rk3568/overlay-rock3b.dts, the way seL4's build does, with
  // --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [{ start: 0x20_0000, end: 0xece9_c000 }],
  devices: [
    { start: 0x0, end: 0x20_0000 },
    { start: 0xece9_c000, end: 0xfd40_0000 },
    { start: 0xfd41_0000, end: 0xfd46_0000 },
    { start: 0xfd4e_0000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: tftp 0x30000000 loader.img; go 0x30000000',
  uboot: { loadAddress: 0x3000_0000n, commands: ['tftp 0x30000000 {image}', 'go 0x30000000'] },
});
