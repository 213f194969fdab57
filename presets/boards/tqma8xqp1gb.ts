/**
 * TQ-Systems TQMa8XQP 1 GiB (i.MX8X): AArch64, Cortex-A35, seL4 platform `tqma8xqp1gb`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const tqma8xqp1gb = aarch64Board({
  name: 'tqma8xqp1gb',
  description: 'TQ-Systems TQMa8XQP 1 GiB (i.MX8X), cortex-a35, 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'tqma8xqp1gb',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a35',
  // seL4 src/plat/tqma8xqp1gb/config.cmake (KernelArmGicV3).
  gicV3: true,
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x9000_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0x5a07_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/tqma8xqp1gb.dts + src/plat/tqma8xqp1gb/overlay-tqma8xqp1gb.dts, the way seL4's build
  // does, with --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [{ start: 0x8020_0000, end: 0xc000_0000 }],
  devices: [
    { start: 0x0, end: 0x51a0_0000 },
    { start: 0x51a1_0000, end: 0x51b0_0000 },
    { start: 0x51bc_0000, end: 0x8020_0000 },
    { start: 0xc000_0000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: tftpboot 0x90000000 loader.img; dcache flush; icache flush; go 0x90000000',
  uboot: { loadAddress: 0x9000_0000n, commands: ['tftpboot 0x90000000 {image}', 'dcache flush', 'icache flush', 'go 0x90000000'] },
});
