/**
 * Avnet Ultra96-V2 (Zynq UltraScale+): AArch64, Cortex-A53, seL4 platform `zynqmp`, hypervisor (EL2).
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { aarch64Board } from '../families/aarch64.js';

export const ultra96v2 = aarch64Board({
  name: 'ultra96v2',
  description: 'Avnet Ultra96-V2 (Zynq UltraScale+), cortex-a53, 4 cores',
  // build_sdk.py: KernelPlatform (KernelARMPlatform in the description).
  platform: 'zynqmp',
  // build_sdk.py gcc_cpu; seL4 src/arch/arm/config.cmake gives it 40 physical-address bits.
  cpu: 'cortex-a53',
  // seL4 src/plat/zynqmp/config.cmake (no KernelArmGicV3: GICv2).
  gicV3: false,
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x4000_0000n,
  // microkit loader/src/uart.c UART_BASE for this platform (in debug loaders only).
  uartAddr: 0xff01_0000n,
  // seL4 src/plat/zynqmp/config.cmake sets KernelHardwareDebugAPIUnsupported.
  hardwareDebugApi: false,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/ultra96v2.dts + src/plat/zynqmp/overlay-zynqmp.dts (KernelARMPlatform ultra96v2), the
  // way seL4's build does, with --addrspace-max 2^40; PRINTING on or off gives the same map.
  memory: [
    { start: 0x0, end: 0x3ed0_0000 },
    { start: 0x3fd0_0000, end: 0x7ff0_0000 },
  ],
  devices: [
    { start: 0x3ed0_0000, end: 0x3fd0_0000 },
    { start: 0x7ff0_0000, end: 0xf901_0000 },
    { start: 0xf901_1000, end: 0xf902_0000 },
    { start: 0xf902_1000, end: 0xf904_0000 },
    { start: 0xf904_1000, end: 0x100_0000_0000 },
  ],
  // Microkit manual (docs/manual.md), the board's section.
  boot: 'U-Boot: tftpboot 0x40000000 loader.img; go 0x40000000 (U-Boot patched to stay in EL2, as for zcu102)',
  uboot: { loadAddress: 0x4000_0000n, commands: ['tftpboot 0x40000000 {image}', 'go 0x40000000'] },
});
