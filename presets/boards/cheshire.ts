/**
 * PULP Cheshire (CVA6): RISC-V 64-bit, seL4 platform `cheshire`.
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { riscv64Board } from '../families/riscv64.js';

export const cheshire = riscv64Board({
  name: 'cheshire',
  description: 'PULP Cheshire (CVA6), no SMP configs',
  // build_sdk.py: KernelPlatform.
  platform: 'cheshire',
  // The board's core (seL4's platform description; build_sdk.py names no CPU on RISC-V).
  cpu: 'cva6',
  // build_sdk.py gives no smp_cores: no smp-* configs.
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x9000_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/cheshire.dts + src/plat/cheshire/overlay-cheshire.dts, the way seL4's build does, with
  // --addrspace-max 2^39; PRINTING on or off gives the same map.
  memory: [{ start: 0x8020_0000, end: 0xc000_0000 }],
  devices: [
    { start: 0x0, end: 0x200_0000 },
    { start: 0x220_0000, end: 0x400_0000 },
    { start: 0x800_0000, end: 0x8020_0000 },
    { start: 0xc000_0000, end: 0x80_0000_0000 },
  ],
  // The tool's default image type for this board (ELF for ariane, cheshire, serengeti; else uImage).
  imageType: 'elf',
  // Microkit manual (docs/manual.md), the board's section.
  unknown: { 'QEMU machine': 'QEMU has no Cheshire model' },
  boot:
    "GDB over OpenOCD with pulp-platform's OpenSBI (fw_jump at 0x90000000): monitor reset halt; " +
    'set $a0=0; set $a1=0; load fw_jump.elf; restore loader.img; continue',
});
