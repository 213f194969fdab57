/**
 * NXP i.MX8MQ-EVK: AArch64, Cortex-A53, seL4 platform `imx8mq-evk`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const imx8mqEvk = aarch64Board({
  name: 'imx8mq_evk',
  description: 'NXP i.MX8MQ-EVK, cortex-a53, 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'imx8mq-evk',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a53',
  // seL4 src/plat/imx8m-evk/config.cmake (KernelArmGicV3).
  gicV3: true,
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x4100_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0x3086_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/imx8mq-evk.dts + src/plat/imx8m-evk/overlay-imx8mq-evk.dts, the way seL4's build does,
  // with --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [
    { start: 0x4000_0000, end: 0xb800_0000 },
    { start: 0xb840_0000, end: 0x1_0000_0000 },
  ],
  devices: [
    { start: 0x0, end: 0x3880_0000 },
    { start: 0x3881_0000, end: 0x3888_0000 },
    { start: 0x3894_0000, end: 0x4000_0000 },
    { start: 0xb800_0000, end: 0xb840_0000 },
    { start: 0x1_0000_0000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: tftp 0x41000000 loader.img; go 0x41000000',
  uboot: { loadAddress: 0x4100_0000n, commands: ['tftp 0x41000000 {image}', 'go 0x41000000'] },
});
