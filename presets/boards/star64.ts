/**
 * Pine64 Star64 (StarFive JH7110): RISC-V 64-bit, seL4 platform `star64`.
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { riscv64Board } from '../families/riscv64.js';

export const star64 = riscv64Board({
  name: 'star64',
  description: 'Pine64 Star64 (StarFive JH7110), 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'star64',
  // The board's core (seL4's platform description; build_sdk.py names no CPU on RISC-V).
  cpu: 'u74',
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x6000_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/star64.dts + src/plat/star64/overlay-star64.dts, the way seL4's build does, with
  // --addrspace-max 2^39; PRINTING on or off gives the same map.
  memory: [
    { start: 0x4020_0000, end: 0xc011_0000 },
    { start: 0xc020_0000, end: 0x1_4000_0000 },
  ],
  devices: [
    { start: 0x0, end: 0x200_0000 },
    { start: 0x220_0000, end: 0xc00_0000 },
    { start: 0x1000_0000, end: 0x4020_0000 },
    { start: 0xc011_0000, end: 0xc020_0000 },
    { start: 0x1_4000_0000, end: 0x80_0000_0000 },
  ],
  // The tool's default image type for this board (ELF for ariane, cheshire, serengeti; else uImage).
  imageType: 'uimage',
  // Microkit manual (docs/manual.md), the board's section.
  boot:
    'U-Boot: setenv imgaddr 0xE0000000; setenv dtbaddr 0xD0000000; tftpboot ${imgaddr} loader.img; ' +
    'tftpboot ${dtbaddr} star64.dtb; bootm ${imgaddr} - ${dtbaddr}',
  uboot: {
    loadAddress: 0xe000_0000n,
    commands: [
      'setenv imgaddr 0xE0000000',
      'setenv dtbaddr 0xD0000000',
      'tftpboot ${imgaddr} {image}',
      'tftpboot ${dtbaddr} star64.dtb',
      'bootm ${imgaddr} - ${dtbaddr}',
    ],
  },
});
