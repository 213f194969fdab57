/** Parsing ELF64 little-endian files into an {@link ElfFile}. */
import { EHDR_SIZE, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ElfError, PHDR_SIZE, PT_LOAD, SHDR_SIZE, SHT_NOBITS, SHT_SYMTAB, SYM_SIZE } from './types.js';
import { hex } from './bytes.js';
import type { ElfFile, ElfHeader, ElfSymbol, ProgramHeader, SectionHeader } from './types.js';

export interface ParseOptions {
  /**
   * Defaults to true, matching upstream. A stripped image whose symbols come
   * from a separate debug ELF is parsed with `false`.
   */
  requireSymbols?: boolean;
}

const utf8 = new TextDecoder('utf-8');

export function parseElf(input: Uint8Array, displayPath?: string, options: ParseOptions = {}): ElfFile {
  // A plain view (no copy) so a Node Buffer's subclass quirks never leak into the views we hand out.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const header = parseHeader(bytes, displayPath);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  if (header.phnum === 0) throw new ElfError('has no program headers');
  if (header.phentsize !== PHDR_SIZE) throw new ElfError(`unsupported program header entry size ${header.phentsize}`);
  const phBase = fileRange(bytes, header.phoff, BigInt(header.phnum * PHDR_SIZE), 'program header table');
  const programHeaders: ProgramHeader[] = [];
  for (let i = 0; i < header.phnum; i++) {
    const o = phBase + i * PHDR_SIZE;
    const ph: ProgramHeader = { index: i, ...readProgramHeaderEntry(dv, o) };
    if (ph.type === PT_LOAD && ph.filesz > ph.memsz) {
      throw new ElfError(`program header ${i}: filesz ${hex(ph.filesz)} is larger than memsz ${hex(ph.memsz)}`);
    }
    // Upstream reads only loadable segments' data; any other header's data is checked when read (segmentData).
    if (ph.type === PT_LOAD) fileRange(bytes, ph.offset, ph.filesz, `program header ${i} data`);
    programHeaders.push(ph);
  }

  const sections = parseSections(bytes, dv, header);
  // The last symbol table, as upstream's reader keeps the last it meets.
  const symtab = sections.findLast((s) => s.type === SHT_SYMTAB);
  let symbols: ElfSymbol[] = [];
  if (symtab) symbols = parseSymbols(bytes, dv, sections, symtab);
  else if (options.requireSymbols !== false) throw new ElfError('unable to find symbol table section');

  const elf: ElfFile = { bytes, header, programHeaders, sections, symbols };
  return displayPath === undefined ? elf : { ...elf, path: displayPath };
}

/** One ELF64 little-endian program header entry (PHDR_SIZE bytes at `o`), without its table index. */
export function readProgramHeaderEntry(dv: DataView, o: number): Omit<ProgramHeader, 'index'> {
  return {
    type: dv.getUint32(o, true),
    flags: dv.getUint32(o + 4, true),
    offset: dv.getBigUint64(o + 8, true),
    vaddr: dv.getBigUint64(o + 16, true),
    paddr: dv.getBigUint64(o + 24, true),
    filesz: dv.getBigUint64(o + 32, true),
    memsz: dv.getBigUint64(o + 40, true),
    align: dv.getBigUint64(o + 48, true),
  };
}

export function loadableSegments(elf: ElfFile): ProgramHeader[] {
  return elf.programHeaders.filter((ph) => ph.type === PT_LOAD);
}

/** The segment's filesz bytes, aliasing the file; bytes up to memsz are zero. */
export function segmentData(elf: ElfFile, seg: ProgramHeader): Uint8Array {
  const start = fileRange(elf.bytes, seg.offset, seg.filesz, `program header ${seg.index} data`);
  return elf.bytes.subarray(start, start + Number(seg.filesz));
}

/** A section's file bytes (empty for SHT_NOBITS), aliasing the file. */
export function sectionData(elf: ElfFile, sec: SectionHeader): Uint8Array {
  return sectionBytes(elf.bytes, sec);
}

export function lowestVaddr(elf: ElfFile): bigint {
  const segs = requireLoadable(elf);
  return segs.reduce((min, s) => (s.vaddr < min ? s.vaddr : min), segs[0].vaddr);
}

/** One past the last byte of memory occupied by any PT_LOAD segment. */
export function highestVaddr(elf: ElfFile): bigint {
  return requireLoadable(elf).reduce((max, s) => (s.vaddr + s.memsz > max ? s.vaddr + s.memsz : max), 0n);
}

/** Bounds-checks [offset, offset+size) against the file and returns offset as a number. */
export function fileRange(bytes: Uint8Array, offset: bigint, size: bigint, what: string): number {
  if (size === 0n) return offset <= BigInt(bytes.length) ? Number(offset) : bytes.length;
  if (offset + size > BigInt(bytes.length)) {
    throw new ElfError(`${what} (offset ${hex(offset)}, size ${hex(size)}) extends beyond the end of the file (${hex(bytes.length)} bytes)`);
  }
  return Number(offset);
}

function parseHeader(bytes: Uint8Array, displayPath: string | undefined): ElfHeader {
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('magic check failed');
  }
  // Class and byte order are checked before the length so a short 32-bit or
  // big-endian header still gets the more useful message.
  const cls = bytes[4];
  if (cls !== undefined && cls !== ELFCLASS32 && cls !== ELFCLASS64) throw new ElfError(`invalid class '${cls}'`);
  if (cls === ELFCLASS32) {
    const prefix = displayPath === undefined ? '' : `ELF '${displayPath}': `;
    throw new ElfError(`${prefix}unsupported word size: '32'`);
  }
  if (bytes[5] !== undefined && bytes[5] !== ELFDATA2LSB) {
    throw new ElfError('incorrect endianness, only little endian architectures are supported');
  }
  if (bytes.length < EHDR_SIZE) throw new ElfError('magic check failed');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, EHDR_SIZE);
  return {
    osabi: bytes[7],
    type: dv.getUint16(16, true),
    machine: dv.getUint16(18, true),
    version: dv.getUint32(20, true),
    entry: dv.getBigUint64(24, true),
    phoff: dv.getBigUint64(32, true),
    shoff: dv.getBigUint64(40, true),
    flags: dv.getUint32(48, true),
    ehsize: dv.getUint16(52, true),
    phentsize: dv.getUint16(54, true),
    phnum: dv.getUint16(56, true),
    shentsize: dv.getUint16(58, true),
    shnum: dv.getUint16(60, true),
    shstrndx: dv.getUint16(62, true),
  };
}

function parseSections(bytes: Uint8Array, dv: DataView, header: ElfHeader): SectionHeader[] {
  // shnum == 0 also covers extended section numbering, which stub and
  // Microkit ELFs never need; such files simply appear to have no sections.
  if (header.shnum === 0) return [];
  if (header.shentsize !== SHDR_SIZE) throw new ElfError(`unsupported section header entry size ${header.shentsize}`);
  const base = fileRange(bytes, header.shoff, BigInt(header.shnum * SHDR_SIZE), 'section header table');
  const sections: SectionHeader[] = [];
  const nameOffsets: number[] = [];
  for (let i = 0; i < header.shnum; i++) {
    const o = base + i * SHDR_SIZE;
    nameOffsets.push(dv.getUint32(o, true));
    sections.push({
      index: i,
      name: '',
      type: dv.getUint32(o + 4, true),
      flags: dv.getBigUint64(o + 8, true),
      addr: dv.getBigUint64(o + 16, true),
      offset: dv.getBigUint64(o + 24, true),
      size: dv.getBigUint64(o + 32, true),
      link: dv.getUint32(o + 40, true),
      info: dv.getUint32(o + 44, true),
      addralign: dv.getBigUint64(o + 48, true),
      entsize: dv.getBigUint64(o + 56, true),
    });
  }
  // Section names serve messages and re-serialised ELFs only: upstream never reads them, so a bad name table
  // leaves names empty instead of refusing an ELF upstream accepts.
  const names = header.shstrndx !== 0 && header.shstrndx < sections.length ? lenient(() => sectionBytes(bytes, sections[header.shstrndx])) : undefined;
  if (names !== undefined) for (const s of sections) s.name = lenient(() => readString(names, nameOffsets[s.index], `section ${s.index} name`)) ?? '';
  return sections;
}

function parseSymbols(bytes: Uint8Array, dv: DataView, sections: SectionHeader[], symtab: SectionHeader): ElfSymbol[] {
  if (symtab.entsize !== BigInt(SYM_SIZE) || symtab.size % BigInt(SYM_SIZE) !== 0n) {
    throw new ElfError(`symbol table entry size ${symtab.entsize} / size ${hex(symtab.size)} do not fit ${SYM_SIZE}-byte ELF64 symbols`);
  }
  if (symtab.link === 0 || symtab.link >= sections.length) {
    throw new ElfError(`symbol table string table index ${symtab.link} is out of range`);
  }
  const strtab = sectionBytes(bytes, sections[symtab.link]);
  const base = sectionBytes(bytes, symtab).byteOffset - bytes.byteOffset;
  const count = Number(symtab.size) / SYM_SIZE;
  const symbols: ElfSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const o = base + i * SYM_SIZE;
    const info = bytes[o + 4];
    symbols.push({
      name: readString(strtab, dv.getUint32(o, true), `symbol ${i}`),
      value: dv.getBigUint64(o + 8, true),
      size: dv.getBigUint64(o + 16, true),
      info,
      type: info & 0xf,
      bind: info >> 4,
      other: bytes[o + 5],
      shndx: dv.getUint16(o + 6, true),
    });
  }
  return symbols;
}

/** `read()`, or undefined where it finds the file malformed. */
function lenient<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    if (e instanceof ElfError) return undefined;
    throw e;
  }
}

function sectionBytes(bytes: Uint8Array, sec: SectionHeader): Uint8Array {
  if (sec.type === SHT_NOBITS) return bytes.subarray(0, 0);
  const start = fileRange(bytes, sec.offset, sec.size, `section ${sec.index} '${sec.name}'`);
  return bytes.subarray(start, start + Number(sec.size));
}

function readString(table: Uint8Array, offset: number, what: string): string {
  if (offset === 0 && table.length === 0) return '';
  const end = table.indexOf(0, offset);
  if (offset >= table.length || end < 0) throw new ElfError(`${what}: string offset ${hex(offset)} is outside its string table`);
  return utf8.decode(table.subarray(offset, end));
}

function requireLoadable(elf: ElfFile): ProgramHeader[] {
  const segs = loadableSegments(elf);
  if (segs.length === 0) throw new ElfError('has no loadable segments');
  return segs;
}
