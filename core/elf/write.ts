/**
 * Serialising ELF64 little-endian executables from an {@link ElfSpec}: stub
 * SDK ELFs built from scratch, and re-serialised parsed ELFs.
 *
 * Layout: ELF header, program headers, segment data (each at a file offset
 * congruent to its vaddr modulo its power-of-two alignment, as linkers do),
 * section data, .symtab, .strtab, .shstrtab, section headers.
 */
import { allocate } from './bytes.js';
import {
  EHDR_SIZE,
  ELFCLASS64,
  ELFDATA2LSB,
  ET_EXEC,
  EV_CURRENT,
  ElfError,
  PHDR_SIZE,
  PT_LOAD,
  PT_PHDR,
  SHDR_SIZE,
  SHN_LORESERVE,
  SHT_NOBITS,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STT_NOTYPE,
  SYM_SIZE,
} from './types.js';
import type { ProgramHeader, SectionHeader } from './types.js';

/** A program header that owns its file bytes. */
export interface SegmentSpec {
  /** Default PT_LOAD. */
  type?: number;
  flags: number;
  vaddr: bigint;
  /** Default: vaddr. */
  paddr?: bigint;
  data: Uint8Array;
  /** Default: data.length. Bytes beyond the data are zero (bss). */
  memsz?: bigint;
  /** Default 0x1000. */
  align?: bigint;
  /**
   * Map the ELF and program headers too, as linkers do for PT_PHDR: the
   * segment starts at file offset 0 with `vaddr` as the ELF header's address,
   * and `data` follows the program header table. memsz then counts from
   * `vaddr`. Only the first segment may do this.
   */
  includeHeaders?: boolean;
}

/** Which existing bytes an extra program header describes. */
export type HeaderTarget =
  /** The program header table; `vaddr` defaults to its address in a headers-including first segment, else 0. */
  | { kind: 'phdrs'; vaddr?: bigint }
  /** Bytes of `segments[segment]`, from `offset` (default 0) for `size` (default: to its end). */
  | { kind: 'segment'; segment: number; offset?: bigint; size?: bigint; memsz?: bigint };

export interface ExtraHeaderSpec {
  type: number;
  flags: number;
  /** Default 8. */
  align?: bigint;
  target: HeaderTarget;
  /** Index in the final table. Default: 0 for PT_PHDR (which must precede PT_LOAD), else the end. */
  position?: number;
}

/**
 * Section indices: 0 is the null section, `sections[i]` gets index i + 1,
 * then .symtab and .strtab (when symbols are given), then .shstrtab.
 */
export interface SectionSpec {
  name: string;
  type: number;
  flags?: bigint;
  addr?: bigint;
  addralign?: bigint;
  entsize?: bigint;
  link?: number;
  info?: number;
  /** Bytes of its own, stored after the segment data. */
  data?: Uint8Array;
  /** Or: describe bytes of `segments[segment]` from `offset`; addr defaults to their vaddr. */
  segment?: number;
  offset?: bigint;
  /** Default: data length, the rest of the segment's data (memsz for SHT_NOBITS), or 0. */
  size?: bigint;
}

export interface SymbolSpec {
  name: string;
  value: bigint;
  size?: bigint;
  type?: number;
  /** Default STB_GLOBAL. Locals are moved first, as the ELF spec requires. */
  bind?: number;
  other?: number;
  /** Section index (see {@link SectionSpec}) or SHN_ABS; default SHN_UNDEF. */
  shndx?: number;
}

export interface ElfSpec {
  /** Default ET_EXEC. */
  type?: number;
  machine: number;
  entry: bigint;
  flags?: number;
  osabi?: number;
  segments: SegmentSpec[];
  extraHeaders?: ExtraHeaderSpec[];
  sections?: SectionSpec[];
  /** Omit for an ELF without .symtab (our reader then needs requireSymbols: false). */
  symbols?: SymbolSpec[];
}

type Phdr = Omit<ProgramHeader, 'index'>;

type Shdr = Omit<SectionHeader, 'index'> & { data?: Uint8Array; nameOffset: number };

interface SegmentLayout {
  ph: Phdr;
  /** Where `data` goes: past the headers for a headers-including segment. */
  dataOffset: bigint;
}

/** The next free file offset, advanced as things are placed. */
interface Cursor {
  at: bigint;
}

const encoder = new TextEncoder();
const PHOFF = BigInt(EHDR_SIZE);

export function writeElf(spec: ElfSpec): Uint8Array {
  const phnum = spec.segments.length + (spec.extraHeaders ?? []).length;
  if (phnum > 0xffff) throw new ElfError(`too many program headers (${phnum})`);
  const cursor = { at: PHOFF + BigInt(phnum * PHDR_SIZE) };
  const segs = layoutSegments(spec.segments, cursor);
  const table = programHeaderTable(spec, segs, phnum);
  const { shdrs, shstrndx } = layoutSections(spec, segs, cursor);
  const shnum = shdrs.length;
  const shoff = shnum > 0 ? alignUp(cursor.at, 8n) : 0n;

  const out = allocate(shnum > 0 ? shoff + BigInt(shnum * SHDR_SIZE) : cursor.at, 'ELF file');
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, spec.osabi ?? 0]);
  dv.setUint16(16, spec.type ?? ET_EXEC, true);
  dv.setUint16(18, spec.machine, true);
  dv.setUint32(20, EV_CURRENT, true);
  dv.setBigUint64(24, spec.entry, true);
  dv.setBigUint64(32, phnum > 0 ? PHOFF : 0n, true);
  dv.setBigUint64(40, shoff, true);
  dv.setUint32(48, spec.flags ?? 0, true);
  [EHDR_SIZE, PHDR_SIZE, phnum, SHDR_SIZE, shnum, shstrndx].forEach((v, k) => dv.setUint16(52 + k * 2, v, true));

  table.forEach((ph, i) => {
    const o = Number(PHOFF) + i * PHDR_SIZE;
    dv.setUint32(o, ph.type, true);
    dv.setUint32(o + 4, ph.flags, true);
    [ph.offset, ph.vaddr, ph.paddr, ph.filesz, ph.memsz, ph.align].forEach((v, k) => dv.setBigUint64(o + 8 + k * 8, v, true));
  });
  spec.segments.forEach((s, i) => s.data.length > 0 && out.set(s.data, Number(segs[i].dataOffset)));
  shdrs.forEach((sh, i) => {
    if (sh.data) out.set(sh.data, Number(sh.offset));
    const o = Number(shoff) + i * SHDR_SIZE;
    dv.setUint32(o, sh.nameOffset, true);
    dv.setUint32(o + 4, sh.type, true);
    [sh.flags, sh.addr, sh.offset, sh.size].forEach((v, k) => dv.setBigUint64(o + 8 + k * 8, v, true));
    dv.setUint32(o + 40, sh.link, true);
    dv.setUint32(o + 44, sh.info, true);
    dv.setBigUint64(o + 48, sh.addralign, true);
    dv.setBigUint64(o + 56, sh.entsize, true);
  });
  return out;
}

function layoutSegments(specs: SegmentSpec[], cursor: Cursor): SegmentLayout[] {
  return specs.map((s, i) => {
    const align = s.align ?? 0x1000n;
    const headers = s.includeHeaders ? cursor.at : 0n;
    if (s.includeHeaders && (i !== 0 || (align > 1n && s.vaddr % align !== 0n))) {
      throw new ElfError(`segment ${i}: only a first segment with an aligned vaddr can include the headers`);
    }
    const filesz = headers + BigInt(s.data.length);
    const memsz = s.memsz ?? filesz;
    if (memsz < filesz) throw new ElfError(`segment ${i}: memsz ${memsz} is smaller than its ${filesz} file bytes`);
    // An empty (bss-only) segment needs no file space: it takes the lowest congruent offset, as the
    // shared SDK's stubs do, so it neither pushes later data out nor points past the end of the file
    // (upstream's ELF reader slices bytes[offset..offset + filesz] and panics on an offset past EOF).
    const offset = s.includeHeaders ? 0n : congruentOffset(filesz > 0n ? cursor.at : 0n, s.vaddr, align);
    if (filesz > 0n) cursor.at = offset + filesz;
    const ph = { type: s.type ?? PT_LOAD, flags: s.flags, offset, vaddr: s.vaddr, paddr: s.paddr ?? s.vaddr, filesz, memsz, align };
    return { ph, dataOffset: offset + headers };
  });
}

function programHeaderTable(spec: ElfSpec, segs: SegmentLayout[], phnum: number): Phdr[] {
  const table = segs.map((s) => s.ph);
  (spec.extraHeaders ?? []).forEach((e, n) => {
    let ph: Phdr;
    if (e.target.kind === 'phdrs') {
      const size = BigInt(phnum * PHDR_SIZE);
      const mapped = spec.segments[0]?.includeHeaders ? segs[0].ph : undefined;
      const vaddr = e.target.vaddr ?? (mapped ? mapped.vaddr + PHOFF : 0n);
      const paddr = mapped ? mapped.paddr + (vaddr - mapped.vaddr) : vaddr;
      ph = { type: e.type, flags: e.flags, offset: PHOFF, vaddr, paddr, filesz: size, memsz: size, align: e.align ?? 8n };
    } else {
      const what = `extra program header ${n}`;
      const seg = segmentAt(segs, e.target.segment, what);
      const off = e.target.offset ?? 0n;
      const size = e.target.size ?? seg.filesz - off;
      if (off < 0n || size < 0n || off + size > seg.filesz) throw new ElfError(`${what}: range lies outside segment ${e.target.segment}'s data`);
      ph = {
        type: e.type,
        flags: e.flags,
        offset: seg.offset + off,
        vaddr: seg.vaddr + off,
        paddr: seg.paddr + off,
        filesz: size,
        memsz: e.target.memsz ?? size,
        align: e.align ?? 8n,
      };
    }
    const pos = e.position ?? (e.type === PT_PHDR ? 0 : table.length);
    table.splice(Math.min(Math.max(pos, 0), table.length), 0, ph);
  });
  return table;
}

function layoutSections(spec: ElfSpec, segs: SegmentLayout[], cursor: Cursor): { shdrs: Shdr[]; shstrndx: number } {
  const shdrs: Shdr[] = [];
  const push = (sh: Omit<Shdr, 'nameOffset'>): number => shdrs.push({ ...sh, nameOffset: 0 }) - 1;
  const place = (sh: Omit<Shdr, 'nameOffset' | 'offset' | 'size'> & { data: Uint8Array }): number => {
    const offset = alignUp(cursor.at, sh.addralign);
    cursor.at = offset + BigInt(sh.data.length);
    return push({ ...sh, offset, size: BigInt(sh.data.length) });
  };
  const plain = { flags: 0n, addr: 0n, link: 0, info: 0, entsize: 0n };
  if (!spec.sections?.length && !spec.symbols) return { shdrs, shstrndx: 0 };

  push({ ...plain, name: '', type: 0, offset: 0n, size: 0n, addralign: 0n });
  (spec.sections ?? []).forEach((s, i) => {
    const what = `section ${i + 1} '${s.name}'`;
    const sh = {
      name: s.name,
      type: s.type,
      flags: s.flags ?? 0n,
      link: s.link ?? 0,
      info: s.info ?? 0,
      addralign: s.addralign ?? 1n,
      entsize: s.entsize ?? 0n,
    };
    if (s.segment !== undefined) {
      const seg = segmentAt(segs, s.segment, what);
      const off = s.offset ?? 0n;
      const limit = s.type === SHT_NOBITS ? seg.memsz : seg.filesz;
      const size = s.size ?? limit - off;
      if (off < 0n || size < 0n || off + size > limit) throw new ElfError(`${what}: range lies outside segment ${s.segment}`);
      push({ ...sh, addr: s.addr ?? seg.vaddr + off, offset: seg.offset + off, size });
    } else if (s.data !== undefined && s.type !== SHT_NOBITS) {
      if (s.size !== undefined && s.size !== BigInt(s.data.length)) throw new ElfError(`${what}: size does not match its data`);
      place({ ...sh, addr: s.addr ?? 0n, data: s.data });
    } else {
      push({ ...sh, addr: s.addr ?? 0n, offset: cursor.at, size: s.size ?? 0n });
    }
  });
  if (spec.symbols) {
    const { symtab, strtab, firstGlobal } = buildSymtab(spec.symbols);
    const strIndex = shdrs.length + 1;
    place({ ...plain, name: '.symtab', type: SHT_SYMTAB, link: strIndex, info: firstGlobal, addralign: 8n, entsize: BigInt(SYM_SIZE), data: symtab });
    place({ ...plain, name: '.strtab', type: SHT_STRTAB, addralign: 1n, data: strtab });
  }
  const names = new StringTable();
  for (const sh of shdrs) sh.nameOffset = names.add(sh.name);
  const shstrOffset = names.add('.shstrtab');
  const shstrndx = place({ ...plain, name: '.shstrtab', type: SHT_STRTAB, addralign: 1n, data: names.bytes() });
  shdrs[shstrndx].nameOffset = shstrOffset;
  if (shdrs.length >= SHN_LORESERVE) throw new ElfError(`too many sections (${shdrs.length})`);
  return { shdrs, shstrndx };
}

function segmentAt(segs: SegmentLayout[], i: number, what: string): Phdr {
  if (!Number.isInteger(i) || i < 0 || i >= segs.length) throw new ElfError(`${what}: no segment ${i}`);
  return segs[i].ph;
}

class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private readonly offsets = new Map<string, number>([['', 0]]);
  private length = 1;

  add(s: string): number {
    let off = this.offsets.get(s);
    if (off === undefined) {
      off = this.length;
      const b = encoder.encode(s + '\0');
      this.parts.push(b);
      this.length += b.length;
      this.offsets.set(s, off);
    }
    return off;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

function buildSymtab(symbols: SymbolSpec[]): { symtab: Uint8Array; strtab: Uint8Array; firstGlobal: number } {
  const bind = (s: SymbolSpec): number => s.bind ?? STB_GLOBAL;
  const ordered = [...symbols.filter((s) => bind(s) === STB_LOCAL), ...symbols.filter((s) => bind(s) !== STB_LOCAL)];
  const strings = new StringTable();
  const symtab = new Uint8Array((ordered.length + 1) * SYM_SIZE);
  const dv = new DataView(symtab.buffer);
  ordered.forEach((s, i) => {
    const o = (i + 1) * SYM_SIZE;
    dv.setUint32(o, strings.add(s.name), true);
    symtab[o + 4] = (bind(s) << 4) | ((s.type ?? STT_NOTYPE) & 0xf);
    symtab[o + 5] = s.other ?? 0;
    dv.setUint16(o + 6, s.shndx ?? 0, true);
    dv.setBigUint64(o + 8, s.value, true);
    dv.setBigUint64(o + 16, s.size ?? 0n, true);
  });
  const locals = ordered.findIndex((s) => bind(s) !== STB_LOCAL);
  return { symtab, strtab: strings.bytes(), firstGlobal: (locals < 0 ? ordered.length : locals) + 1 };
}

function alignUp(x: bigint, align: bigint): bigint {
  if (align <= 1n) return x;
  const r = x % align;
  return r === 0n ? x : x + align - r;
}

/** Smallest offset >= `cursor` with offset ≡ vaddr (mod align), for power-of-two align. */
function congruentOffset(cursor: bigint, vaddr: bigint, align: bigint): bigint {
  if (align <= 1n || (align & (align - 1n)) !== 0n) return cursor;
  return cursor + ((((vaddr - cursor) % align) + align) % align);
}
