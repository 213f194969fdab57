/**
 * SiFive HiFive Premier P550 (ESWIN EIC7700X): RISC-V 64-bit, seL4 platform `hifive-p550`.
 * Facts are upstream's, each sourced below; tests/presets/boards.test.ts checks them.
 */
import { riscv64Board } from '../families/riscv64.js';

export const hifiveP550 = riscv64Board({
  name: 'hifive_p550',
  description: 'SiFive HiFive Premier P550 (ESWIN EIC7700X), 4 cores',
  // build_sdk.py: KernelPlatform.
  platform: 'hifive-p550',
  // The board's core (seL4's platform description; build_sdk.py names no CPU on RISC-V).
  cpu: 'p550',
  // build_sdk.py smp_cores.
  smpCores: 4,
  // build_sdk.py loader_link_address.
  loaderLinkAddress: 0x9000_0000n,
  // seL4's view of the board's memory (platform_gen.json), produced by seL4's tools/hardware_gen.py (seL4/seL4
  // 1326364) over tools/dts/hifive-p550.dts + src/plat/eswin/overlay-hifive-p550.dts, the way seL4's build does,
  // with --addrspace-max 2^39; PRINTING on or off gives the same map.
  memory: [
    { start: 0x8020_0000, end: 0xa000_0000 },
    { start: 0xa010_0000, end: 0xffff_f000 },
    { start: 0x1_0000_0000, end: 0x4_8000_0000 },
  ],
  devices: [
    { start: 0x0, end: 0x200_0000 },
    { start: 0x220_0000, end: 0xc00_0000 },
    { start: 0x1000_0000, end: 0x8020_0000 },
    { start: 0xa000_0000, end: 0xa010_0000 },
    { start: 0xffff_f000, end: 0x1_0000_0000 },
    { start: 0x4_8000_0000, end: 0x80_0000_0000 },
  ],
  // The tool's default image type for this board (ELF for ariane, cheshire, serengeti; else uImage).
  imageType: 'uimage',
  // Microkit manual (docs/manual.md), the board's section.
  boot:
    'U-Boot: setenv imgaddr 0xB0000000; setenv dtbaddr 0xA0000000; tftpboot ${imgaddr} loader.img; ' +
    'tftpboot ${dtbaddr} hifive-p550.dtb; bootm ${imgaddr} - ${dtbaddr}',
  uboot: {
    loadAddress: 0xb000_0000n,
    commands: [
      'setenv imgaddr 0xB0000000',
      'setenv dtbaddr 0xA0000000',
      'tftpboot ${imgaddr} {image}',
      'tftpboot ${dtbaddr} hifive-p550.dtb',
      'bootm ${imgaddr} - ${dtbaddr}',
    ],
  },
});
