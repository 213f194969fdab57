/**
 * Symbol lookup and symbol-addressed reads and writes. Writes go to an
 * {@link ElfImage}: the parsed file stays untouched and a segment is copied
 * (memsz bytes, once) only when something is first written into it, so an
 * image patched hundreds of times costs one copy per touched segment.
 */
import { loadableSegments, segmentData } from './read.js';
import { allocate, hex } from './bytes.js';
import { ElfError } from './types.js';
import type { ElfFile, ElfImage, ElfSymbol, ProgramHeader, SegmentPatch } from './types.js';

export type SymbolLookup = { ok: true; value: bigint; size: bigint } | { ok: false; error: 'not-found' | 'multiple'; reason: string };

type Source = ElfFile | ElfImage;

const U64_MAX = (1n << 64n) - 1n;

interface NameEntry {
  symbol: ElfSymbol;
  count: number;
}

// Built once per parsed file; ElfFile is immutable so the index never goes stale.
const indexCache = new WeakMap<ElfFile, Map<string, NameEntry>>();

/**
 * `elf` supplies segments; `symbolSource` (default: `elf`) supplies names,
 * for stripped images whose symbols live in a separate debug ELF.
 */
export function createImage(elf: ElfFile, symbolSource: ElfFile = elf): ElfImage {
  return { elf, symbolSource, patches: new Map() };
}

/**
 * Like upstream, every symbol-table entry counts (locals included); a name
 * is only an error when looked up, not when it merely occurs twice.
 */
export function findSymbol(src: Source, name: string): SymbolLookup {
  const entry = symbolIndex(symbolFile(src)).get(name);
  if (entry === undefined) return { ok: false, error: 'not-found', reason: `no symbol named '${name}' found` };
  if (entry.count > 1) return { ok: false, error: 'multiple', reason: `multiple symbols with name '${name}'` };
  return { ok: true, value: entry.symbol.value, size: entry.symbol.size };
}

/** {@link findSymbol}, throwing its reason as an ElfError. */
export function requireSymbol(src: Source, name: string): { value: bigint; size: bigint } {
  const r = findSymbol(src, name);
  if (!r.ok) throw new ElfError(r.reason, { symbol: name });
  return { value: r.value, size: r.size };
}

/**
 * `size` bytes at `vaddr`, which must lie inside one PT_LOAD segment's memory
 * (bss reads as zero). Returns a view when possible: do not mutate it.
 */
export function readBytes(src: Source, vaddr: bigint, size: bigint): Uint8Array {
  const { elf, patches } = imageParts(src);
  const seg = segmentFor(elf, vaddr, size);
  const start = Number(vaddr - seg.vaddr);
  const patch = patches?.get(seg.index);
  if (patch && start + Number(size) <= patch.data.length) return patch.data.subarray(start, start + Number(size));
  const file = patch ? patch.data : segmentData(elf, seg);
  if (vaddr + size <= seg.vaddr + seg.filesz) return file.subarray(start, start + Number(size));
  const out = allocate(size, `read at ${hex(vaddr)}`);
  if (start < file.length) out.set(file.subarray(start));
  return out;
}

export function readSymbolBytes(src: Source, name: string): Uint8Array {
  const { value, size } = requireSymbol(src, name);
  return readBytes(src, value, size);
}

/** Reads a little-endian 64-bit word; the symbol must be exactly 8 bytes. */
export function readSymbolWord(src: Source, name: string): bigint {
  const { value, size } = requireSymbol(src, name);
  if (size !== 8n) throw sizeError(name, size, `symbol '${name}' has size ${size}, expected 8`);
  const b = readBytes(src, value, 8n);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

export function writeBytes(img: ElfImage, vaddr: bigint, bytes: Uint8Array): void {
  const seg = segmentFor(img.elf, vaddr, BigInt(bytes.length));
  const start = vaddr - seg.vaddr;
  const end = start + BigInt(bytes.length);
  const patch = patchFor(img, seg, end);
  patch.data.set(bytes, Number(start));
  if (end > patch.end) patch.end = end;
}

/** Writes `bytes` at the symbol's start; they may be shorter than the symbol. */
export function writeSymbolBytes(img: ElfImage, name: string, bytes: Uint8Array): void {
  const { value, size } = requireSymbol(img, name);
  if (BigInt(bytes.length) > size) {
    throw sizeError(name, size, `data of ${bytes.length} bytes does not fit in symbol '${name}' of size ${size}`);
  }
  // The whole symbol must be mapped, not just the prefix being written.
  segmentFor(img.elf, value, size);
  writeBytes(img, value, bytes);
}

/**
 * Writes a little-endian 64-bit word. Throws an ElfError carrying
 * `symbolSize` when the symbol is not 8 bytes, so the caller can phrase it
 * (upstream: "setvar to non-word size symbol").
 */
export function writeSymbolWord(img: ElfImage, name: string, value: bigint): void {
  const { size } = requireSymbol(img, name);
  if (size !== 8n) throw sizeError(name, size, `symbol '${name}' has size ${size}, expected 8`);
  if (value < 0n || value > U64_MAX) throw new ElfError(`value ${value} for symbol '${name}' does not fit in 64 bits`);
  const word = new Uint8Array(8);
  new DataView(word.buffer).setBigUint64(0, value, true);
  writeSymbolBytes(img, name, word);
}

/**
 * A segment's current file bytes: the original view when untouched,
 * otherwise the patched copy up to the furthest write (so bss stays out of
 * the file unless something was written there). Bytes up to memsz are zero.
 */
export function patchedSegmentData(img: ElfImage, seg: ProgramHeader): Uint8Array {
  const patch = img.patches.get(seg.index);
  return patch ? patch.data.subarray(0, Number(patch.end)) : segmentData(img.elf, seg);
}

/** The PT_LOAD segment whose memory holds all of [vaddr, vaddr+size). */
export function segmentFor(elf: ElfFile, vaddr: bigint, size: bigint): ProgramHeader {
  for (const seg of loadableSegments(elf)) {
    if (vaddr >= seg.vaddr && vaddr + size <= seg.vaddr + seg.memsz) return seg;
  }
  throw new ElfError(`address range ${hex(vaddr)}..${hex(vaddr + size)} is not inside any loadable segment`);
}

/** The segment's patch copy, holding at least its first `reach` bytes (file bytes, then zeros). */
function patchFor(img: ElfImage, seg: ProgramHeader, reach: bigint): SegmentPatch {
  let patch = img.patches.get(seg.index);
  if (!patch) {
    const data = allocate(reach > seg.filesz ? reach : seg.filesz, `copy of segment ${seg.index}`);
    data.set(segmentData(img.elf, seg));
    patch = { data, end: seg.filesz };
    img.patches.set(seg.index, patch);
  } else if (reach > BigInt(patch.data.length)) {
    // Doubling keeps many writes into a bss linear; memsz bounds it (segmentFor checked the range).
    const doubled = BigInt(patch.data.length) * 2n;
    const grown = allocate(doubled < reach ? reach : doubled > seg.memsz ? seg.memsz : doubled, `copy of segment ${seg.index}`);
    grown.set(patch.data);
    patch.data = grown;
  }
  return patch;
}

function symbolIndex(elf: ElfFile): Map<string, NameEntry> {
  let index = indexCache.get(elf);
  if (!index) {
    index = new Map();
    for (const symbol of elf.symbols) {
      const entry = index.get(symbol.name);
      if (entry) entry.count++;
      else index.set(symbol.name, { symbol, count: 1 });
    }
    indexCache.set(elf, index);
  }
  return index;
}

function isImage(src: Source): src is ElfImage {
  return 'symbolSource' in src;
}

function symbolFile(src: Source): ElfFile {
  return isImage(src) ? src.symbolSource : src;
}

function imageParts(src: Source): { elf: ElfFile; patches?: Map<number, SegmentPatch> } {
  return isImage(src) ? { elf: src.elf, patches: src.patches } : { elf: src };
}

function sizeError(symbol: string, symbolSize: bigint, reason: string): ElfError {
  return new ElfError(reason, { symbol, symbolSize });
}
