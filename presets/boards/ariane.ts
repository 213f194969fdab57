/**
 * CVA6 (Ariane) on the Digilent Genesys2: RISC-V 64-bit, seL4 platform `ariane`.
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { riscv64Board } from '../families/riscv64.js';

export const ariane = riscv64Board({
  name: 'ariane',
  description: 'CVA6 (Ariane) on the Digilent Genesys2, no SMP configs',
  // build_sdk.py: KernelPlatform.
  platform: 'ariane',
  // The board's core (seL4's platform description; build_sdk.py names no CPU on RISC-V).
  cpu: 'cva6',
  // build_sdk.py gives no smp_cores: no smp-* configs.
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x9000_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/ariane.dts + src/plat/ariane/overlay-ariane.dts, the way seL4's build does, with
  // --addrspace-max 2^39; PRINTING on or off gives the same map.
  memory: [{ start: 0x8020_0000, end: 0xc000_0000 }],
  devices: [
    { start: 0x0, end: 0x200_0000 },
    { start: 0x220_0000, end: 0xc00_0000 },
    { start: 0x1000_0000, end: 0x8020_0000 },
    { start: 0xc000_0000, end: 0x80_0000_0000 },
  ],
  // The tool's default image type for this board (ELF for ariane, cheshire, serengeti; else uImage).
  imageType: 'elf',
  // Microkit manual (docs/manual.md), the board's section.
  unknown: { 'U-Boot load address': "the manual's `bootelf ${image_addr}` leaves it to the user", 'QEMU machine': 'QEMU has no CVA6 Genesys2 model' },
  boot: "OpenSBI payload, or from U-Boot: `bootelf ${image_addr}` (the ELF's load address is the user's choice: unknown here)",
});
