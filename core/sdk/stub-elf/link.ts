/** A small linker for stub ELFs: sections placed by address into segments, symbols by section. */
import { writeElf } from '../../elf/write.js';
import type { SectionSpec, SegmentSpec, SymbolSpec } from '../../elf/write.js';
import {
  ElfError,
  PT_LOAD,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
  STT_OBJECT,
  STT_SECTION,
} from '../../elf/types.js';
import type { ArchName } from '../../kernel/config.js';
import { ARCH } from './traits.js';

export const FILL = 0x5a;
export const PAGE = 0x1000n;

export interface StubSection {
  readonly name: string;
  readonly flags: bigint;
  readonly addr: bigint;
  readonly align: bigint;
  /** PROGBITS contents; absent for .bss. */
  readonly data?: Uint8Array;
  /** NOBITS size. */
  readonly size?: bigint;
  /** The section starts with the entry instruction (gets the code mapping symbol). */
  readonly startsWithInsn?: boolean;
}

export interface StubSegment {
  readonly flags: number;
  /** Default: the first section's address. */
  readonly paddr?: bigint;
  readonly sections: readonly StubSection[];
}

export interface StubSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size?: bigint;
  readonly type: number;
  readonly section: string;
}

export interface StubSpec {
  readonly arch: ArchName;
  readonly entry: bigint;
  /** The FILE symbol. */
  readonly file: string;
  readonly segments: readonly StubSegment[];
  readonly symbols: readonly StubSymbol[];
  /** Data inside code sections (AArch64 marks it with `$d`). */
  readonly dataInCode?: readonly bigint[];
}

const sectionEnd = (s: StubSection): bigint => s.addr + (s.data ? BigInt(s.data.length) : (s.size ?? 0n));

export function alignUp(x: bigint, align: bigint): bigint {
  return align <= 1n ? x : ((x + align - 1n) / align) * align;
}

export function linkStub(spec: StubSpec): Uint8Array {
  const traits = ARCH[spec.arch];
  const segments: SegmentSpec[] = [];
  const sections: SectionSpec[] = [];
  const all: StubSection[] = [];
  spec.segments.forEach((seg, segIndex) => {
    const vaddr = seg.sections[0].addr;
    const withData = seg.sections.filter((s) => s.data !== undefined);
    const fileEnd = withData.length > 0 ? sectionEnd(withData[withData.length - 1]) : vaddr;
    const data = new Uint8Array(Number(fileEnd - vaddr));
    for (const s of withData) data.set(s.data!, Number(s.addr - vaddr));
    const memEnd = seg.sections.reduce((end, s) => (sectionEnd(s) > end ? sectionEnd(s) : end), vaddr);
    segments.push({ type: PT_LOAD, flags: seg.flags, vaddr, paddr: seg.paddr ?? vaddr, data, memsz: memEnd - vaddr, align: PAGE });
    for (const s of seg.sections) {
      const nobits = s.data === undefined;
      sections.push({
        name: s.name,
        type: nobits ? SHT_NOBITS : SHT_PROGBITS,
        flags: s.flags,
        addralign: s.align,
        segment: segIndex,
        offset: s.addr - vaddr,
        size: nobits ? (s.size ?? 0n) : BigInt(s.data!.length),
      });
      all.push(s);
    }
  });
  const indexOf = (name: string): number => {
    const i = all.findIndex((s) => s.name === name);
    if (i < 0) throw new ElfError(`stub ELF: no section ${name}`);
    return i + 1;
  };

  const locals: SymbolSpec[] = [];
  if (traits.sectionSymbols) {
    all.forEach((s, i) => locals.push({ name: '', value: s.addr, type: STT_SECTION, bind: STB_LOCAL, shndx: i + 1 }));
  }
  locals.push({ name: spec.file, value: 0n, type: STT_FILE, bind: STB_LOCAL, shndx: SHN_ABS });
  if (traits.codeMapping !== undefined) {
    const mark = (name: string, value: bigint, section: number): void => {
      locals.push({ name, value, type: STT_NOTYPE, bind: STB_LOCAL, shndx: section });
    };
    all.forEach((s, i) => {
      if (s.startsWithInsn) {
        mark(traits.codeMapping!, s.addr, i + 1);
        if (sectionEnd(s) > s.addr + BigInt(traits.insn.length)) mark('$d', s.addr + BigInt(traits.insn.length), i + 1);
      } else if (traits.dataMapping === 'all' || (traits.dataMapping === 'exec' && (s.flags & SHF_EXECINSTR) !== 0n)) {
        mark('$d', s.addr, i + 1);
      }
    });
    if (traits.dataMapping === 'all') {
      for (const v of spec.dataInCode ?? []) {
        const i = all.findIndex((s) => v >= s.addr && v < sectionEnd(s));
        if (i < 0) throw new ElfError(`stub ELF: data mark ${v} lies in no section`);
        mark('$d', v, i + 1);
      }
    }
  }
  const globals: SymbolSpec[] = spec.symbols.map((s) => ({
    name: s.name,
    value: s.value,
    size: s.size ?? 0n,
    type: s.type,
    bind: STB_GLOBAL,
    shndx: indexOf(s.section),
  }));
  return writeElf({ machine: traits.machine, flags: traits.flags, entry: spec.entry, segments, sections, symbols: [...locals, ...globals] });
}

/** Code bytes: the branch-to-self, `fill` filler bytes, then padding to `length` (if given). */
export function codeBytes(arch: ArchName, fill: number, length?: number): Uint8Array {
  const insn = ARCH[arch].insn;
  const body = insn.length + fill;
  const out = new Uint8Array(length ?? body);
  if (out.length < body) throw new ElfError(`stub ELF: ${out.length} bytes of code cannot hold ${body}`);
  out.set(insn);
  out.fill(FILL, insn.length, body);
  out.set(ARCH[arch].codePadding(out.length - body), body);
  return out;
}

export function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

export const CODE = SHF_ALLOC | SHF_EXECINSTR;
export const DATA = SHF_ALLOC | SHF_WRITE;
export const FUNC = (arch: ArchName, name: string, value: bigint, section: string): StubSymbol => ({
  name,
  value,
  size: BigInt(ARCH[arch].insn.length),
  type: STT_FUNC,
  section,
});
export const OBJECT = (name: string, value: bigint, size: bigint, section: string): StubSymbol => ({ name, value, size, type: STT_OBJECT, section });
export const MARKER = (name: string, value: bigint, section: string): StubSymbol => ({ name, value, type: STT_NOTYPE, section });

/** Objects placed in order in a bss, word-aligned, big ones at the architecture's alignment. */
export function placeBss(arch: ArchName, start: bigint, objects: readonly { name: string; size: bigint }[]): { symbols: StubSymbol[]; end: bigint } {
  const symbols: StubSymbol[] = [];
  let at = start;
  for (const o of objects) {
    const align = o.size >= 32n ? ARCH[arch].bigObjectAlign : o.size >= 8n ? 8n : 1n;
    at = alignUp(at, align);
    symbols.push(OBJECT(o.name, at, o.size, '.bss'));
    at += o.size;
  }
  return { symbols, end: at };
}
