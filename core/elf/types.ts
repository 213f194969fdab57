/**
 * ELF64 data model. Every address, offset, size and 64-bit word is a
 * `bigint`; 32-bit fields (flags, links, type codes) stay plain numbers.
 */

export const EHDR_SIZE = 64;
export const PHDR_SIZE = 56;
export const SHDR_SIZE = 64;
export const SYM_SIZE = 24;

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const EV_CURRENT = 1;

export const ET_EXEC = 2;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_LOOS = 0x60000000;
export const PT_GNU_STACK = 0x6474e551;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;

export const SHF_WRITE = 0x1n;
export const SHF_ALLOC = 0x2n;
export const SHF_EXECINSTR = 0x4n;
export const SHF_INFO_LINK = 0x40n;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;

export interface ElfHeader {
  /** e_ident[EI_OSABI]; kept so re-serialised files keep their ABI tag. */
  osabi: number;
  type: number;
  machine: number;
  version: number;
  entry: bigint;
  phoff: bigint;
  shoff: bigint;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

export interface ProgramHeader {
  /** Position in the program header table; patches are keyed by it. */
  index: number;
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  align: bigint;
}

export interface SectionHeader {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: bigint;
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: bigint;
}

export interface ElfSymbol {
  name: string;
  value: bigint;
  size: bigint;
  info: number;
  type: number;
  bind: number;
  other: number;
  shndx: number;
}

export interface ElfFile {
  /** The original file contents; views handed out by the reader alias it. */
  readonly bytes: Uint8Array;
  readonly path?: string;
  readonly header: ElfHeader;
  readonly programHeaders: readonly ProgramHeader[];
  readonly sections: readonly SectionHeader[];
  /** Entries of the SHT_SYMTAB section in table order (entry 0 included). */
  readonly symbols: readonly ElfSymbol[];
}

/**
 * A patchable view of an ELF: the untouched original plus per-segment copies
 * that only exist once something has been written into that segment.
 */
export interface ElfImage {
  readonly elf: ElfFile;
  /** Where symbol names are resolved; a debug ELF when `elf` is stripped. */
  readonly symbolSource: ElfFile;
  /** Keyed by program header index. */
  readonly patches: Map<number, SegmentPatch>;
}

export interface SegmentPatch {
  /**
   * The segment's file bytes followed by zeros, as far as writes have reached (grown on demand, never past
   * memsz): a segment with a large bss is not copied whole to patch a word in its data.
   */
  data: Uint8Array;
  /** One past the last byte that must be stored in a file (>= filesz). */
  end: bigint;
}

export interface ElfErrorDetails {
  symbol?: string;
  symbolSize?: bigint;
}

/** `reason` is the upstream tool's wording, embedded verbatim by callers. */
export class ElfError extends Error {
  readonly reason: string;
  readonly symbol?: string;
  readonly symbolSize?: bigint;

  constructor(reason: string, details: ElfErrorDetails = {}) {
    super(reason);
    this.name = 'ElfError';
    this.reason = reason;
    if (details.symbol !== undefined) this.symbol = details.symbol;
    if (details.symbolSize !== undefined) this.symbolSize = details.symbolSize;
  }
}
