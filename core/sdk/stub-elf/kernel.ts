/** The SDK's kernel stubs: `sel4.elf`, and on x86 its 32-bit copy `sel4_32.elf`. */
import {
  ElfError,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
} from '../../elf/types.js';
import type { ArchName } from '../../kernel/config.js';
import type { SyntheticElfFacts } from '../../preset.js';
import { EM_386, ARCH } from './traits.js';
import { FILL, alignUp, linkStub, codeBytes, u64, CODE, DATA, FUNC, OBJECT, MARKER } from './link.js';

/** Bytes of kernel text after `.boot`, and the size of `kernel_bss`. */
const KERNEL_TEXT = 0x10000n;
const KERNEL_BSS_OBJECT = 0x20000n;
const KERNEL_BOOT_FILL = 0x4000n;

/**
 * `sel4.elf`: one RWX PT_LOAD at the kernel's paddr/vaddr with `.boot`
 * (`ki_boot_end` at its end), `.text`, `.data` and a `.bss` ending at `ki_end`.
 */
export function stubKernelElf(arch: ArchName, facts: SyntheticElfFacts): Uint8Array {
  const layout = kernelLayout(arch, facts);
  const v = facts.kernelVaddr;
  return linkStub({
    arch,
    entry: v,
    file: 'kernel.c',
    segments: [
      {
        flags: PF_R | PF_W | PF_X,
        paddr: facts.kernelPaddr,
        sections: [
          { name: '.boot', flags: CODE, addr: v, align: ARCH[arch].codeAlign, data: layout.boot, startsWithInsn: true },
          { name: '.text', flags: CODE, addr: layout.text, align: ARCH[arch].codeAlign, data: new Uint8Array(Number(KERNEL_TEXT)).fill(FILL) },
          { name: '.data', flags: DATA, addr: layout.data, align: 8n, data: u64(KERNEL_DATA_WORD) },
          { name: '.bss', flags: DATA, addr: layout.bss, align: ARCH[arch].bssAlign, size: layout.end - layout.bss },
        ],
      },
    ],
    symbols: [
      MARKER('ki_end', layout.end, '.bss'),
      FUNC(arch, '_start', v, '.boot'),
      OBJECT('kernel_data_word', layout.data, 8n, '.data'),
      MARKER('ki_boot_end', layout.text, '.boot'),
      OBJECT('kernel_bss', layout.bss, layout.bssObject, '.bss'),
    ],
  });
}

const KERNEL_DATA_WORD = 0x5e14n;

interface KernelLayout {
  boot: Uint8Array;
  text: bigint;
  data: bigint;
  bss: bigint;
  bssObject: bigint;
  end: bigint;
}

function kernelLayout(arch: ArchName, facts: SyntheticElfFacts): KernelLayout {
  const v = facts.kernelVaddr;
  const insn = BigInt(ARCH[arch].insn.length);
  if (facts.kernelBootSize <= insn) throw new ElfError(`stub kernel: boot size ${facts.kernelBootSize} is too small`);
  const fill = facts.kernelBootSize - insn < KERNEL_BOOT_FILL ? facts.kernelBootSize - insn : KERNEL_BOOT_FILL;
  const boot = codeBytes(arch, Number(fill), Number(facts.kernelBootSize));
  const text = v + facts.kernelBootSize;
  const data = text + KERNEL_TEXT;
  const bss = alignUp(data + 8n, ARCH[arch].bssAlign);
  const end = v + facts.kernelSize;
  if (end < bss) throw new ElfError(`stub kernel: size ${facts.kernelSize} is too small for its boot code, text and data`);
  return { boot, text, data, bss, bssObject: end - bss < KERNEL_BSS_OBJECT ? end - bss : KERNEL_BSS_OBJECT, end };
}

/**
 * `sel4_32.elf` (x86): the 32-bit copy of the kernel QEMU's `-kernel`
 * needs: ELF32, EM_386, the same segment bytes at the low 32 bits of the
 * kernel's addresses. Written here because core/elf writes ELF64 only.
 */
export function stubKernel32Elf(facts: SyntheticElfFacts): Uint8Array {
  const layout = kernelLayout('x86_64', facts);
  const low = (x: bigint): number => Number(x & 0xffffffffn);
  const base = low(facts.kernelVaddr);
  const segData = new Uint8Array(Number(layout.data + 8n - facts.kernelVaddr));
  segData.set(layout.boot, 0);
  segData.fill(FILL, Number(layout.text - facts.kernelVaddr), Number(layout.data - facts.kernelVaddr));
  segData.set(u64(KERNEL_DATA_WORD), Number(layout.data - facts.kernelVaddr));
  const memsz = Number(layout.end - facts.kernelVaddr);

  const shstr = new StringBuilder();
  const str = new StringBuilder();
  const segOffset = 0x1000;
  type Sh = {
    name: number;
    type: number;
    flags: number;
    addr: number;
    offset: number;
    size: number;
    link: number;
    info: number;
    align: number;
    entsize: number;
  };
  const sh: Sh[] = [{ name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
  const sec = (name: string, type: number, flags: bigint, addr: bigint, size: bigint, align: number): void => {
    const rel = Number(addr - facts.kernelVaddr);
    sh.push({
      name: shstr.add(name),
      type,
      flags: Number(flags),
      addr: base + rel,
      offset: segOffset + Math.min(rel, segData.length),
      size: Number(size),
      link: 0,
      info: 0,
      align,
      entsize: 0,
    });
  };
  sec('.boot', SHT_PROGBITS, CODE, facts.kernelVaddr, facts.kernelBootSize, 1);
  sec('.text', SHT_PROGBITS, CODE, layout.text, KERNEL_TEXT, 1);
  sec('.data', SHT_PROGBITS, DATA, layout.data, 8n, 8);
  sec('.bss', SHT_NOBITS, DATA, layout.bss, layout.end - layout.bss, 32);

  // Symbols: null, FILE, then globals (ELF32 Sym: name, value, size, info, other, shndx).
  const syms: [number, number, number, number, number][] = [
    [str.add('kernel.c'), 0, 0, (STB_LOCAL << 4) | STT_FILE, SHN_ABS],
    [str.add('ki_end'), low(layout.end), 0, (STB_GLOBAL << 4) | STT_NOTYPE, 4],
    [str.add('_start'), base, ARCH.x86_64.insn.length, (STB_GLOBAL << 4) | STT_FUNC, 1],
    [str.add('kernel_data_word'), low(layout.data), 8, (STB_GLOBAL << 4) | STT_OBJECT, 3],
    [str.add('ki_boot_end'), low(layout.text), 0, (STB_GLOBAL << 4) | STT_NOTYPE, 1],
    [str.add('kernel_bss'), low(layout.bss), Number(layout.bssObject), (STB_GLOBAL << 4) | STT_OBJECT, 4],
  ];
  const symtab = new Uint8Array((syms.length + 1) * 16);
  const sdv = new DataView(symtab.buffer);
  syms.forEach(([name, value, size, info, shndx], i) => {
    const o = (i + 1) * 16;
    sdv.setUint32(o, name, true);
    sdv.setUint32(o + 4, value, true);
    sdv.setUint32(o + 8, size, true);
    symtab[o + 12] = info;
    sdv.setUint16(o + 14, shndx, true);
  });
  const symtabName = shstr.add('.symtab');
  const strtabName = shstr.add('.strtab');
  const shstrtabName = shstr.add('.shstrtab');
  const strBytes = str.bytes();
  const shstrBytes = shstr.bytes();
  let at = Number(alignUp(BigInt(segOffset + segData.length), 4n));
  const symtabOff = at;
  at += symtab.length;
  const strOff = at;
  at += strBytes.length;
  const shstrOff = at;
  at += shstrBytes.length;
  const shoff = Number(alignUp(BigInt(at), 4n));
  sh.push({
    name: symtabName,
    type: SHT_SYMTAB,
    flags: 0,
    addr: 0,
    offset: symtabOff,
    size: symtab.length,
    link: sh.length + 1,
    info: 2,
    align: 4,
    entsize: 16,
  });
  sh.push({ name: strtabName, type: SHT_STRTAB, flags: 0, addr: 0, offset: strOff, size: strBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  sh.push({ name: shstrtabName, type: SHT_STRTAB, flags: 0, addr: 0, offset: shstrOff, size: shstrBytes.length, link: 0, info: 0, align: 1, entsize: 0 });

  const out = new Uint8Array(shoff + sh.length * 40);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* little endian */, 1 /* EV_CURRENT */]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, EM_386, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, base, true); // entry
  dv.setUint32(28, 52, true); // phoff
  dv.setUint32(32, shoff, true);
  dv.setUint32(36, 0, true);
  [52, 32, 1, 40, sh.length, sh.length - 1].forEach((v, k) => dv.setUint16(40 + k * 2, v, true));
  // The one PT_LOAD: type, offset, vaddr, paddr, filesz, memsz, flags, align.
  [PT_LOAD, segOffset, base, low(facts.kernelPaddr), segData.length, memsz, PF_R | PF_W | PF_X, 0x1000].forEach((v, k) => dv.setUint32(52 + k * 4, v, true));
  out.set(segData, segOffset);
  out.set(symtab, symtabOff);
  out.set(strBytes, strOff);
  out.set(shstrBytes, shstrOff);
  sh.forEach((h, i) => {
    const o = shoff + i * 40;
    [h.name, h.type, h.flags, h.addr, h.offset, h.size, h.link, h.info, h.align, h.entsize].forEach((v, k) => dv.setUint32(o + k * 4, v, true));
  });
  return out;
}

class StringBuilder {
  private readonly parts: number[] = [0];
  private readonly seen = new Map<string, number>([['', 0]]);

  add(s: string): number {
    let off = this.seen.get(s);
    if (off === undefined) {
      off = this.parts.length;
      for (const c of new TextEncoder().encode(s)) this.parts.push(c);
      this.parts.push(0);
      this.seen.set(s, off);
    }
    return off;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
