/** The initialiser's in-memory program-header table and the memory it describes. */
import { PHDR_SIZE, type ProgramHeader, PT_LOAD, PT_PHDR, readProgramHeaderEntry } from '../elf/index.js';
import { PT_SEL4_CAPDL_FRAME_DATA, PT_SEL4_CAPDL_SPEC } from '../pack/initialiser-elf.js';
import { InspectError } from './types.js';
import { hx } from './util.js';

export const PHDR_ENTRY_SIZE = PHDR_SIZE;

/** A program header as the image holds it (the initialiser's table has no ELF file around it). */
export type Phdr = Readonly<Omit<ProgramHeader, 'index'>>;

export function phdrTypeName(type: number): string {
  switch (type) {
    case PT_LOAD:
      return 'PT_LOAD';
    case PT_PHDR:
      return 'PT_PHDR';
    case PT_SEL4_CAPDL_SPEC:
      return 'PT_SEL4_CAPDL_SPEC';
    case PT_SEL4_CAPDL_FRAME_DATA:
      return 'PT_SEL4_CAPDL_FRAME_DATA';
    default:
      return hx(type);
  }
}

export function parsePhdrs(bytes: Uint8Array): Phdr[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Phdr[] = [];
  for (let o = 0; o + PHDR_ENTRY_SIZE <= bytes.length; o += PHDR_ENTRY_SIZE) out.push(readProgramHeaderEntry(dv, o));
  return out;
}

/** A piece of the initialiser's memory: a loader region, or an x86 PT_LOAD segment padded to memsz. */
export interface MemoryChunk {
  readonly vaddr: bigint;
  readonly bytes: Uint8Array;
}

/** Largest bss the x86 segments may claim: keeps a corrupt memsz from allocating without bound. */
const MAX_PADDING = 64n << 20n;

export class InitialiserMemory {
  constructor(readonly chunks: readonly MemoryChunk[]) {}

  /** The zero fill all segments together claim must be plausible too (a header may repeat a segment thousands of times). */
  static checkPadding(total: bigint): void {
    if (total > MAX_PADDING)
      throw new InspectError(`the segments claim ${hx(total)} bytes of zero fill, more than the ${hx(MAX_PADDING)} a boot image can need`);
  }

  static padded(vaddr: bigint, file: Uint8Array, memsz: bigint): MemoryChunk {
    const size = BigInt(file.length);
    if (memsz <= size) return { vaddr, bytes: file };
    if (memsz - size > MAX_PADDING)
      throw new InspectError(`segment at ${hx(vaddr)} claims ${hx(memsz - size)} bytes of zero fill, more than the ${hx(MAX_PADDING)} a boot image can need`);
    const bytes = new Uint8Array(Number(memsz));
    bytes.set(file);
    return { vaddr, bytes };
  }

  /** The bytes of `[vaddr, vaddr + size)` when one chunk holds all of them. */
  read(vaddr: bigint, size: bigint): Uint8Array | undefined {
    for (const c of this.chunks) {
      const end = c.vaddr + BigInt(c.bytes.length);
      if (vaddr >= c.vaddr && vaddr + size <= end) return c.bytes.subarray(Number(vaddr - c.vaddr), Number(vaddr - c.vaddr + size));
    }
    return undefined;
  }

  require(vaddr: bigint, size: bigint, what: string): Uint8Array {
    const b = this.read(vaddr, size);
    if (b === undefined) throw new InspectError(`${what} at ${hx(vaddr)} (${hx(size)} bytes) is not inside the initialiser's memory in the image`);
    return b;
  }

  /**
   * Without the SDK's initialiser ELF: the chunk that parses as program
   * headers and holds a PT_PHDR entry describing that very chunk.
   */
  findPhdrTable(): { vaddr: bigint; phdrs: Phdr[] } | undefined {
    for (const c of this.chunks) {
      if (c.bytes.length === 0 || c.bytes.length % PHDR_ENTRY_SIZE !== 0) continue;
      const phdrs = parsePhdrs(c.bytes);
      if (phdrs.some((p) => p.type === PT_PHDR && p.vaddr === c.vaddr && p.memsz === BigInt(c.bytes.length))) return { vaddr: c.vaddr, phdrs };
    }
    return undefined;
  }
}
