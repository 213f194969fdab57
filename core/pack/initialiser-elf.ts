/**
 * Packing the archived spec and the frame data into the capDL initialiser,
 * as upstream's `CapDLInitialiser::add_spec` (capdl/initialiser.rs, after
 * rust-sel4's add-spec), and writing the result as upstream's x86 boot
 * module (`ElfFile::reserialise`).
 *
 * Starting from the initialiser's PT_LOAD segments only (bss materialised
 * as zeros, as upstream reads them), three read-only segments are appended,
 * each at the first 4 KiB boundary after `highest vaddr + 4 KiB` rounded
 * down (upstream's `next_vaddr`):
 * 1. the spec archive: PT_LOAD + PT_SEL4_CAPDL_SPEC (0x64c34003);
 * 2. the frame data: PT_LOAD + PT_SEL4_CAPDL_FRAME_DATA (0x64c34004);
 * 3. the program header table itself: PT_LOAD + PT_PHDR. Its bytes list
 *    every program header (offsets and alignments 0), then its own PT_PHDR
 *    and PT_LOAD entries, in that order (the header table proper has LOAD
 *    before PHDR, as upstream).
 * `sel4_phdrs_patched__vaddr` (u64) and `sel4_phdrs_patched__phnum` (u16)
 * are then patched to describe that table.
 */
import { concatBytes } from '../util/bytes.js';
import { findSymbol, loadableSegments, PF_R, PT_LOAD, PT_PHDR, segmentData } from '../elf/index.js';
import type { ElfFile } from '../elf/index.js';
import { INITIALISER_GRANULE_SIZE, PackError } from './for-initialiser.js';

export const PT_SEL4_CAPDL_SPEC = 0x64c34003;
export const PT_SEL4_CAPDL_FRAME_DATA = 0x64c34004;

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const GRANULE = BigInt(INITIALISER_GRANULE_SIZE);

const SYM_PHDRS_VADDR = 'sel4_phdrs_patched__vaddr';
const SYM_PHDRS_PHNUM = 'sel4_phdrs_patched__phnum';
const SYM_UNTYPEDS_NUM = 'sel4_capdl_initializer_expected_untypeds_list_num_entries';
const SYM_UNTYPEDS_LIST = 'sel4_capdl_initializer_expected_untypeds_list';

export interface PackedSegment {
  vaddr: bigint;
  paddr: bigint;
  /** PF_* bits. */
  flags: number;
  /**
   * The segment's memory contents in order; together exactly `memsz`
   * bytes (bss included as zeros: upstream stores every byte, so its
   * file size equals its memory size). Chunks may alias the input ELF, the
   * spec archive and the frame-data pages: do not mutate them.
   */
  chunks: readonly Uint8Array[];
  memsz: bigint;
}

/** A program header: its type and the segment it describes (as upstream's `ProgramHeader`). */
export interface PackedProgramHeader {
  type: number;
  segment: number;
}

/** The patched initialiser, an in-memory ELF for the boot-module writer and the loader builders. */
export interface PackedInitialiser {
  machine: number;
  entry: bigint;
  /** Original PT_LOAD segments, then spec, frame data and program-header table. */
  segments: PackedSegment[];
  programHeaders: PackedProgramHeader[];
  /** Upstream's `image_bound`: [lowest vaddr, highest vaddr rounded up to 4 KiB). */
  footprint: { start: bigint; end: bigint };
  /** Bytes of the spec archive (upstream's "spec footprint"). */
  specSize: bigint;
  specVaddr: bigint;
  frameDataVaddr: bigint;
  frameDataSize: bigint;
  phdrsVaddr: bigint;
  /** Where the initialiser's symbols were looked up. */
  symbolSource: ElfFile;
}

export interface PackOptions {
  /** Symbols come from here instead of the initialiser itself (a separate debug ELF). */
  symbolSource?: ElfFile;
}

export function packInitialiser(elf: ElfFile, spec: Uint8Array, frameData: readonly Uint8Array[], options: PackOptions = {}): PackedInitialiser {
  const segments: PackedSegment[] = [];
  for (const ph of loadableSegments(elf)) {
    const file = segmentData(elf, ph);
    const chunks: Uint8Array[] = file.length > 0 ? [file] : [];
    if (ph.memsz > ph.filesz) chunks.push(new Uint8Array(Number(ph.memsz - ph.filesz)));
    segments.push({ vaddr: ph.vaddr, paddr: ph.paddr, flags: ph.flags, chunks, memsz: ph.memsz });
  }
  if (segments.length === 0) throw new PackError('initialiser ELF has no loadable segments');
  const programHeaders: PackedProgramHeader[] = segments.map((_, i) => ({ type: PT_LOAD, segment: i }));

  const add = (vaddr: bigint, chunks: readonly Uint8Array[], metaType: number): void => {
    let memsz = 0n;
    for (const c of chunks) memsz += BigInt(c.length);
    segments.push({ vaddr, paddr: vaddr, flags: PF_R, chunks, memsz });
    programHeaders.push({ type: PT_LOAD, segment: segments.length - 1 }, { type: metaType, segment: segments.length - 1 });
  };

  const specVaddr = nextVaddr(segments);
  add(specVaddr, [spec], PT_SEL4_CAPDL_SPEC);
  const frameDataVaddr = nextVaddr(segments);
  add(frameDataVaddr, frameData.slice(), PT_SEL4_CAPDL_FRAME_DATA);

  // The table lists every header, including the two that describe the table.
  const phdrsVaddr = nextVaddr(segments);
  const phnum = programHeaders.length + 2;
  const tableSize = BigInt(phnum * PHDR_SIZE);
  const table = new Uint8Array(phnum * PHDR_SIZE);
  const tdv = new DataView(table.buffer);
  const entry = (i: number, type: number, flags: number, vaddr: bigint, paddr: bigint, size: bigint): void => {
    const o = i * PHDR_SIZE;
    tdv.setUint32(o, type, true);
    tdv.setUint32(o + 4, flags, true);
    // offset (o + 8) and align (o + 48) stay 0.
    tdv.setBigUint64(o + 16, vaddr, true);
    tdv.setBigUint64(o + 24, paddr, true);
    tdv.setBigUint64(o + 32, size, true);
    tdv.setBigUint64(o + 40, size, true);
  };
  programHeaders.forEach((ph, i) => {
    const s = segments[ph.segment];
    entry(i, ph.type, s.flags, s.vaddr, s.paddr, s.memsz);
  });
  entry(phnum - 2, PT_PHDR, PF_R, phdrsVaddr, phdrsVaddr, tableSize);
  entry(phnum - 1, PT_LOAD, PF_R, phdrsVaddr, phdrsVaddr, tableSize);
  add(phdrsVaddr, [table], PT_PHDR);
  if (phnum > 0xffff) throw new PackError(`initialiser would have ${phnum} program headers`);

  const packed: PackedInitialiser = {
    machine: elf.header.machine,
    entry: elf.header.entry,
    segments,
    programHeaders,
    footprint: { start: 0n, end: 0n },
    specSize: BigInt(spec.length),
    specVaddr,
    frameDataVaddr,
    frameDataSize: segments[segments.length - 2].memsz,
    phdrsVaddr,
    symbolSource: options.symbolSource ?? elf,
  };
  writeSymbol(packed, SYM_PHDRS_VADDR, u64Bytes(phdrsVaddr));
  const phnumBytes = new Uint8Array(2);
  new DataView(phnumBytes.buffer).setUint16(0, phnum, true);
  writeSymbol(packed, SYM_PHDRS_PHNUM, phnumBytes);

  let low = segments[0].vaddr;
  let high = 0n;
  for (const s of segments) {
    if (s.vaddr < low) low = s.vaddr;
    if (s.vaddr + s.memsz > high) high = s.vaddr + s.memsz;
  }
  packed.footprint = { start: low, end: roundUp(high, GRANULE) };
  return packed;
}

/** One entry of the (optional, non-mainline) expected-untypeds list: `seL4_UntypedDesc`-like, 16 bytes. */
export interface ExpectedUntyped {
  paddr: bigint;
  sizeBits: number;
  isDevice: boolean;
}

/**
 * Upstream's `add_expected_untypeds`: when the initialiser has the symbol
 * `sel4_capdl_initializer_expected_untypeds_list_num_entries`, writes the
 * count there and the list into `sel4_capdl_initializer_expected_untypeds_list`.
 * Returns whether it wrote anything. Mainline initialisers lack the symbols.
 * Upstream does this on ARM and RISC-V only, after the allocation
 * simulation, with the untypeds the emulated kernel boot produced
 * (`size_bits` = lowest set bit of the region size).
 */
export function addExpectedUntypeds(packed: PackedInitialiser, untypeds: readonly ExpectedUntyped[]): boolean {
  if (!findSymbol(packed.symbolSource, SYM_UNTYPEDS_NUM).ok) return false;
  writeSymbol(packed, SYM_UNTYPEDS_NUM, u64Bytes(BigInt(untypeds.length)));
  const list = new Uint8Array(untypeds.length * 16);
  const dv = new DataView(list.buffer);
  untypeds.forEach((u, i) => {
    dv.setBigUint64(i * 16, u.paddr, true);
    list[i * 16 + 8] = u.sizeBits;
    list[i * 16 + 9] = u.isDevice ? 1 : 0;
  });
  writeSymbol(packed, SYM_UNTYPEDS_LIST, list);
  return true;
}

/**
 * Upstream's `write_symbol` on the packed ELF: the symbol's whole extent
 * must lie in one segment's memory and `data` must not be longer than it.
 * The segment is flattened into one private copy on first write.
 */
export function writeSymbol(packed: PackedInitialiser, name: string, data: Uint8Array): void {
  const sym = findSymbol(packed.symbolSource, name);
  if (!sym.ok) throw new PackError(`initialiser: ${sym.reason}`);
  if (BigInt(data.length) > sym.size) {
    throw new PackError(`initialiser: ${data.length} bytes do not fit in symbol '${name}' of size ${sym.size}`);
  }
  for (const seg of packed.segments) {
    if (sym.value >= seg.vaddr && sym.value + sym.size <= seg.vaddr + seg.memsz) {
      let bytes = seg.chunks.length === 1 && ownedCopies.has(seg.chunks[0]) ? seg.chunks[0] : undefined;
      if (!bytes) {
        bytes = segmentBytes(seg, true);
        ownedCopies.add(bytes);
        seg.chunks = [bytes];
      }
      bytes.set(data, Number(sym.value - seg.vaddr));
      return;
    }
  }
  throw new PackError(`No symbol named ${name} found`);
}

/** Buffers this module allocated for patched segments, which it may therefore write into again. */
const ownedCopies = new WeakSet<Uint8Array>();

/**
 * A segment's bytes as one buffer: the chunk itself when there is only one
 * (unless `copy`), else a concatenation. Meant for the small segments; write
 * the frame data chunk by chunk.
 */
export function segmentBytes(seg: PackedSegment, copy = false): Uint8Array {
  if (seg.chunks.length === 1 && !copy) return seg.chunks[0];
  return concatBytes(seg.chunks, Number(seg.memsz));
}

/**
 * The x86 boot module (upstream `ElfFile::reserialise`) as chunks to write
 * in order: ELF header; program headers in table order (alignment 0);
 * section headers (null, one SHT_PROGBITS per segment at its paddr, a
 * 1-byte SHT_STRTAB last); every segment's bytes back to back with no
 * alignment; the string table's single zero byte. Section flags are
 * SHF_ALLOC, |1 when writable, |3 when executable (upstream's SHF_EXECINSTR
 * value), so a read-execute segment reads as "WA".
 */
export function bootModuleChunks(packed: PackedInitialiser): Uint8Array[] {
  const segs = packed.segments;
  const phnum = packed.programHeaders.length;
  const shnum = segs.length + 2;
  const headerSize = EHDR_SIZE + phnum * PHDR_SIZE + shnum * SHDR_SIZE;
  const head = new Uint8Array(headerSize);
  const dv = new DataView(head.buffer);

  head.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, packed.machine, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, packed.entry, true);
  dv.setBigUint64(32, BigInt(EHDR_SIZE), true);
  dv.setBigUint64(40, BigInt(EHDR_SIZE + phnum * PHDR_SIZE), true);
  dv.setUint16(52, EHDR_SIZE, true);
  dv.setUint16(54, PHDR_SIZE, true);
  dv.setUint16(56, phnum, true);
  dv.setUint16(58, SHDR_SIZE, true);
  dv.setUint16(60, shnum, true);
  dv.setUint16(62, shnum - 1, true);

  const offsets: bigint[] = [];
  let watermark = BigInt(headerSize);
  for (const s of segs) {
    offsets.push(watermark);
    watermark += s.memsz;
  }

  packed.programHeaders.forEach((ph, i) => {
    const s = segs[ph.segment];
    const o = EHDR_SIZE + i * PHDR_SIZE;
    dv.setUint32(o, ph.type, true);
    dv.setUint32(o + 4, s.flags, true);
    dv.setBigUint64(o + 8, offsets[ph.segment], true);
    dv.setBigUint64(o + 16, s.vaddr, true);
    dv.setBigUint64(o + 24, s.paddr, true);
    dv.setBigUint64(o + 32, s.memsz, true);
    dv.setBigUint64(o + 40, s.memsz, true);
  });

  const shBase = EHDR_SIZE + phnum * PHDR_SIZE;
  segs.forEach((s, i) => {
    const o = shBase + (i + 1) * SHDR_SIZE;
    let flags = 0x2n;
    if (s.flags & 0x2) flags |= 0x1n;
    if (s.flags & 0x1) flags |= 0x3n;
    dv.setUint32(o + 4, 1, true); // SHT_PROGBITS
    dv.setBigUint64(o + 8, flags, true);
    dv.setBigUint64(o + 16, s.paddr, true);
    dv.setBigUint64(o + 24, offsets[i], true);
    dv.setBigUint64(o + 32, s.memsz, true);
  });
  const st = shBase + (shnum - 1) * SHDR_SIZE;
  dv.setUint32(st + 4, 3, true); // SHT_STRTAB
  dv.setBigUint64(st + 24, watermark, true);
  dv.setBigUint64(st + 32, 1n, true);

  const out: Uint8Array[] = [head];
  for (const s of segs) for (const c of s.chunks) if (c.length > 0) out.push(c);
  out.push(new Uint8Array(1));
  return out;
}

/** Total size of {@link bootModuleChunks} (upstream prints it as the boot module's size). */
export function bootModuleSize(packed: PackedInitialiser): bigint {
  let n = BigInt(EHDR_SIZE + packed.programHeaders.length * PHDR_SIZE + (packed.segments.length + 2) * SHDR_SIZE + 1);
  for (const s of packed.segments) n += s.memsz;
  return n;
}

/** The boot module as one buffer (fine for tests and small systems; stream {@link bootModuleChunks} otherwise). */
export function serialiseBootModule(packed: PackedInitialiser): Uint8Array {
  return concatBytes(bootModuleChunks(packed));
}

function nextVaddr(segments: readonly PackedSegment[]): bigint {
  let high = 0n;
  for (const s of segments) if (s.vaddr + s.memsz > high) high = s.vaddr + s.memsz;
  const x = high + GRANULE;
  return x - (x % GRANULE);
}

function roundUp(x: bigint, align: bigint): bigint {
  const r = x % align;
  return r === 0n ? x : x + align - r;
}

function u64Bytes(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return b;
}
