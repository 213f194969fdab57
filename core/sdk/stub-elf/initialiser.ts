/** The SDK's capDL initialiser stub, `initialiser.elf`. */
import { PF_R, PF_W, PF_X, SHF_ALLOC } from '../../elf/types.js';
import type { ArchName } from '../../kernel/config.js';
import { ARCH } from './traits.js';
import { PAGE, alignUp, linkStub, codeBytes, u64, CODE, DATA, FUNC, OBJECT, placeBss } from './link.js';

const INITIALISER_FILL = 0x20000;
const INITIALISER_BSS_OBJECT = 0x10000n;
/** PT_SEL4_CAPDL_SPEC, the initialiser's own marker constant. */
const INITIALISER_MAGIC = 0x64c34003n;

/**
 * `initialiser.elf`: text, a read-only page with `initialiser_magic`, and a
 * bss-only segment holding `sel4_phdrs_patched__phnum` (u16) and
 * `sel4_phdrs_patched__vaddr` (u64) after a 64 KiB object.
 */
export function stubInitialiserElf(arch: ArchName, linkAddress: bigint = ARCH[arch].initialiserLinkAddress): Uint8Array {
  const text = codeBytes(arch, INITIALISER_FILL);
  const rodata = alignUp(linkAddress + BigInt(text.length), PAGE);
  const bss = alignUp(rodata + 8n, PAGE);
  const placed = placeBss(arch, bss, [
    { name: 'initialiser_bss', size: INITIALISER_BSS_OBJECT },
    { name: 'sel4_phdrs_patched__phnum', size: 2n },
    { name: 'sel4_phdrs_patched__vaddr', size: 8n },
  ]);
  return linkStub({
    arch,
    entry: linkAddress,
    file: 'initialiser.c',
    segments: [
      { flags: PF_R | PF_X, sections: [{ name: '.text', flags: CODE, addr: linkAddress, align: ARCH[arch].codeAlign, data: text, startsWithInsn: true }] },
      { flags: PF_R, sections: [{ name: '.rodata', flags: SHF_ALLOC, addr: rodata, align: 8n, data: u64(INITIALISER_MAGIC) }] },
      { flags: PF_R | PF_W, sections: [{ name: '.bss', flags: DATA, addr: bss, align: ARCH[arch].bssAlign, size: placed.end - bss }] },
    ],
    symbols: [OBJECT('initialiser_magic', rodata, 8n, '.rodata'), FUNC(arch, '_start', linkAddress, '.text'), ...placed.symbols],
  });
}
