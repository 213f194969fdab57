/**
 * Pine64 ROCKPro64 (RK3399, on its Cortex-A53 cluster): AArch64, Cortex-A53, seL4 platform `rockpro64`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const rockpro64 = aarch64Board({
  name: 'rockpro64',
  description: 'Pine64 ROCKPro64 (RK3399, on its Cortex-A53 cluster), cortex-a53, 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'rockpro64',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a53',
  // seL4 src/plat/rockpro64/config.cmake (KernelArmGicV3).
  gicV3: true,
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x3000_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0xff1a_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/rockpro64.dts + src/plat/rockpro64/overlay-rockpro64.dts, the way seL4's build does,
  // with --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [{ start: 0x1000_0000, end: 0xf800_0000 }],
  devices: [
    { start: 0x0, end: 0x1000_0000 },
    { start: 0xf800_0000, end: 0xfee0_0000 },
    { start: 0xfee1_0000, end: 0xfef0_0000 },
    { start: 0xfefc_0000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: tftp 0x30000000 loader.img; go 0x30000000',
  uboot: { loadAddress: 0x3000_0000n, commands: ['tftp 0x30000000 {image}', 'go 0x30000000'] },
});
