/**
 * Assembling the loader image: the loader's own first segment with the boot
 * page tables written in, the header and the regions (kernel segments, then
 * initialiser segments), with upstream's consistency checks.
 */
import { constants } from 'node:buffer';
import { loadableSegments, segmentData, type ElfFile } from '../../core/elf/index.js';
import { hex, loaderError } from '../../core/loader/boot-tables.js';
import { concatBytes } from '../../core/util/bytes.js';
import type { BootPageTable, InitialiserPlacement, LoaderHeader, LoaderImageInput, LoaderLayout, LoaderRegion } from './types.js';

/** `magic` of a 64-bit loader header. */
export const LOADER_MAGIC_64 = 0x5e14dead14de5eadn;
/** Bytes of the header: eight u64 words. */
export const LOADER_HEADER_SIZE = 64;
/** Bytes of one region descriptor: load_addr, size, offset, type. */
export const LOADER_REGION_SIZE = 32;
/** The only region type upstream emits. */
export const LOADER_REGION_TYPE = 1n;

const U64 = 1n << 64n;

function wrap64(x: bigint): bigint {
  return ((x % U64) + U64) % U64;
}

/** Zeros shared by every padding chunk: bss is written from it, never allocated per region. */
const ZEROS = new Uint8Array(1 << 20);

/** `memsz` bytes as chunks: `data` (whole or in chunks) followed by zeros, nothing copied. */
function regionChunks(data: Uint8Array | readonly Uint8Array[], memsz: bigint, what: string): Uint8Array[] {
  const chunks = data instanceof Uint8Array ? [data] : [...data];
  const length = chunks.reduce((n, c) => n + c.length, 0);
  if (BigInt(length) > memsz) {
    throw loaderError('LOADER_SEGMENT', `${what} has ${length} bytes of data but a memory size of ${hex(memsz)}`);
  }
  // The image holds the region whole, as a file no larger than one buffer could be (as when it was one buffer).
  if (memsz > BigInt(constants.MAX_LENGTH)) throw loaderError('LOADER_SEGMENT', `${what} of ${hex(memsz)} bytes is too large to hold in memory`);
  for (let zeros = memsz - BigInt(length); zeros > 0n; ) {
    const n = zeros < BigInt(ZEROS.length) ? Number(zeros) : ZEROS.length;
    chunks.push(ZEROS.subarray(0, n));
    zeros -= BigInt(n);
  }
  return chunks.filter((c) => c.length > 0);
}

/** A region whose `data` is concatenated only if someone asks for it. */
function region(fields: Omit<LoaderRegion, 'chunks' | 'size' | 'data'>, chunks: Uint8Array[]): LoaderRegion {
  const size = BigInt(chunks.reduce((n, c) => n + c.length, 0));
  let data: Uint8Array | undefined;
  return {
    ...fields,
    chunks,
    size,
    get data() {
      data ??= chunks.length === 1 ? chunks[0] : concatBytes(chunks, Number(size));
      return data;
    },
  };
}

/** `memsz` bytes: `data` followed by zeros. */
function materialise(data: Uint8Array, memsz: bigint, what: string): Uint8Array {
  if (BigInt(data.length) > memsz) {
    throw loaderError('LOADER_SEGMENT', `${what} has ${data.length} bytes of data but a memory size of ${hex(memsz)}`);
  }
  if (BigInt(data.length) === memsz) return data;
  let out: Uint8Array;
  try {
    out = new Uint8Array(Number(memsz));
  } catch {
    throw loaderError('LOADER_SEGMENT', `${what} of ${hex(memsz)} bytes is too large to hold in memory`);
  }
  out.set(data);
  return out;
}

interface KernelWindow {
  regions: LoaderRegion[];
  firstVaddr: bigint;
  firstPaddr: bigint;
}

/** Every kernel PT_LOAD becomes a region at its paddr; all must share one phys↔virt offset. */
function kernelRegions(kernelElf: ElfFile): KernelWindow {
  const regions: LoaderRegion[] = [];
  let firstVaddr: bigint | undefined;
  let firstPaddr: bigint | undefined;
  let pvOffset: bigint | undefined;
  for (const seg of loadableSegments(kernelElf)) {
    if (firstVaddr === undefined || seg.vaddr < firstVaddr) firstVaddr = seg.vaddr;
    if (firstPaddr === undefined || seg.paddr < firstPaddr) firstPaddr = seg.paddr;
    const offset = wrap64(seg.vaddr - seg.paddr);
    if (pvOffset === undefined) pvOffset = offset;
    else if (offset !== pvOffset) {
      throw loaderError(
        'LOADER_KERNEL_OFFSET',
        `Kernel does not have a consistent physical to virtual offset: segment ${seg.index} (vaddr ${hex(seg.vaddr)}, paddr ${hex(seg.paddr)}) has offset ${hex(offset)}, an earlier segment ${hex(pvOffset)}`,
      );
    }
    const chunks = regionChunks(segmentData(kernelElf, seg), seg.memsz, `kernel segment ${seg.index}`);
    regions.push(region({ role: 'kernel', loadAddr: seg.paddr, offset: 0n, type: LOADER_REGION_TYPE }, chunks));
  }
  if (firstVaddr === undefined || firstPaddr === undefined) {
    throw loaderError('LOADER_KERNEL_NO_SEGMENTS', 'INTERNAL: could not determine kernel_first_vaddr: the kernel ELF has no loadable segments');
  }
  return { regions, firstVaddr, firstPaddr };
}

/** Initialiser segments with memory become regions at `physBase + (vaddr - footprint start)`. */
function initialiserRegions(init: InitialiserPlacement): LoaderRegion[] {
  const regions: LoaderRegion[] = [];
  for (const seg of init.segments) {
    if (seg.memsz === 0n) continue;
    const what = `initialiser segment at vaddr ${hex(seg.vaddr)}`;
    if (seg.vaddr < init.vaddrRange.start || seg.vaddr + seg.memsz > init.vaddrRange.end) {
      throw loaderError(
        'LOADER_INITIALISER',
        `${what} (size ${hex(seg.memsz)}) lies outside the initialiser's footprint [${hex(init.vaddrRange.start)}..${hex(init.vaddrRange.end)})`,
      );
    }
    const loadAddr = init.physBase + (seg.vaddr - init.vaddrRange.start);
    regions.push(region({ role: 'initialiser', loadAddr, offset: 0n, type: LOADER_REGION_TYPE }, regionChunks(seg.data, seg.memsz, what)));
  }
  return regions;
}

interface Span {
  base: bigint;
  end: bigint;
  what: string;
}

/** Upstream's `check_non_overlapping`, over the regions and then the loader image, naming what collides. */
function checkNonOverlapping(spans: readonly Span[]): void {
  const checked: Span[] = [];
  for (const s of spans) {
    for (const c of checked) {
      if (!(s.end <= c.base || s.base >= c.end)) {
        throw loaderError(
          'LOADER_REGIONS_OVERLAP',
          `Overlapping regions: [${s.base.toString(16)}..${s.end.toString(16)}) overlaps [${c.base.toString(16)}..${c.end.toString(16)}) (${s.what} overlaps ${c.what})`,
        );
      }
    }
    checked.push(s);
  }
}

/** The loader ELF's first PT_LOAD as memsz bytes, which must start at the entry point. */
function loaderImageSegment(loaderElf: ElfFile): { image: Uint8Array; vaddr: bigint } {
  const seg = loadableSegments(loaderElf)[0];
  if (seg === undefined) throw loaderError('LOADER_NO_SEGMENT', 'Did not find loadable segment in the loader ELF');
  if (seg.vaddr !== loaderElf.header.entry) {
    throw loaderError(
      'LOADER_ENTRY',
      `The loader entry point must be the first byte in the image (entry ${hex(loaderElf.header.entry)}, first loadable segment at ${hex(seg.vaddr)})`,
    );
  }
  // Always a copy: the page tables are written into it.
  const image = materialise(new Uint8Array(0), seg.memsz, 'the loader image');
  image.set(segmentData(loaderElf, seg));
  return { image, vaddr: seg.vaddr };
}

function writeTables(image: Uint8Array, imageVaddr: bigint, tables: readonly BootPageTable[]): void {
  for (const t of tables) {
    if (t.size !== BigInt(t.bytes.length)) {
      throw loaderError('LOADER_BOOT_PAGE_TABLES', `boot page table '${t.symbol}' is ${t.bytes.length} bytes but its loader symbol is ${t.size} bytes`);
    }
    const offset = t.vaddr - imageVaddr;
    if (offset <= 0n || offset + t.size > BigInt(image.length)) {
      throw loaderError(
        'LOADER_BOOT_PAGE_TABLES',
        `boot page table '${t.symbol}' at ${hex(t.vaddr)} (size ${hex(t.size)}) is not inside the loader image [${hex(imageVaddr)}..${hex(imageVaddr + BigInt(image.length))}) past its first byte`,
      );
    }
    image.set(t.bytes, Number(offset));
  }
}

/** Everything but the container: see {@link LoaderLayout}. */
export function layoutLoader(input: LoaderImageInput): LoaderLayout {
  const { loaderElf, kernelElf, initialiser: init } = input;
  const footprint = init.vaddrRange.end - init.vaddrRange.start;
  if (footprint <= 0n) {
    throw loaderError('LOADER_INITIALISER', `the initialiser's footprint [${hex(init.vaddrRange.start)}..${hex(init.vaddrRange.end)}) is empty`);
  }
  const uiPRegStart = init.physBase;
  const uiPRegEnd = uiPRegStart + footprint;
  if (uiPRegStart < 0n || uiPRegEnd >= U64) {
    throw loaderError('LOADER_INITIALISER', `the initialiser's physical range [${hex(uiPRegStart)}..${hex(uiPRegEnd)}) does not fit in 64 bits`);
  }
  const kernel = kernelRegions(kernelElf);
  const regions = [...kernel.regions, ...initialiserRegions(init)];

  const bootPageTables = input.arch.bootPageTables({
    loaderElf,
    kernel: input.kernel,
    kernelFirstVaddr: kernel.firstVaddr,
    kernelFirstPaddr: kernel.firstPaddr,
  });
  const { image: loaderImage, vaddr: loaderEntry } = loaderImageSegment(loaderElf);
  writeTables(loaderImage, loaderEntry, bootPageTables);

  const spans: Span[] = regions.map((r) => ({
    base: r.loadAddr,
    end: r.loadAddr + r.size,
    what: r.role === 'kernel' ? `a kernel segment at ${hex(r.loadAddr)}` : `an initialiser segment at ${hex(r.loadAddr)}`,
  }));
  spans.push({ base: loaderEntry, end: loaderEntry + BigInt(loaderImage.length), what: 'the loader image' });
  checkNonOverlapping(spans);

  let offset = 0n;
  const placed = regions.map((r) => {
    const at = offset;
    offset += r.size;
    return region({ role: r.role, loadAddr: r.loadAddr, offset: at, type: r.type }, [...r.chunks]);
  });
  const header: LoaderHeader = {
    magic: LOADER_MAGIC_64,
    size: BigInt(LOADER_HEADER_SIZE + placed.length * LOADER_REGION_SIZE) + offset,
    kernelEntry: kernelElf.header.entry,
    uiPRegStart,
    uiPRegEnd,
    pvOffset: wrap64(init.physBase - init.vaddrRange.start),
    vEntry: init.entry,
    numRegions: BigInt(placed.length),
  };
  return { loaderImage, loaderEntry, header, regions: placed, elfMachine: kernelElf.header.machine, bootPageTables };
}

/** Size of the raw loader payload (image + header + region table + data). */
export function payloadSize(layout: LoaderLayout): bigint {
  return BigInt(layout.loaderImage.length) + layout.header.size;
}

/**
 * The raw loader payload as chunks in file order: the loader image, the
 * header with the region descriptors, then every region's bytes (referenced,
 * not copied, so a large initialiser is never held twice).
 */
export function payloadChunks(layout: LoaderLayout): Uint8Array[] {
  const table = new Uint8Array(LOADER_HEADER_SIZE + layout.regions.length * LOADER_REGION_SIZE);
  const dv = new DataView(table.buffer);
  let o = 0;
  const h = layout.header;
  for (const w of [h.magic, h.size, h.kernelEntry, h.uiPRegStart, h.uiPRegEnd, h.pvOffset, h.vEntry, h.numRegions]) {
    dv.setBigUint64(o, w, true);
    o += 8;
  }
  for (const r of layout.regions) {
    for (const w of [r.loadAddr, r.size, r.offset, r.type]) {
      dv.setBigUint64(o, w, true);
      o += 8;
    }
  }
  return [layout.loaderImage, table, ...layout.regions.flatMap((r) => r.chunks)];
}

/** Writes the raw loader payload ({@link payloadChunks}) into `out` at `at`. */
export function writePayload(layout: LoaderLayout, out: Uint8Array, at: number): void {
  let o = at;
  for (const c of payloadChunks(layout)) {
    out.set(c, o);
    o += c.length;
  }
}
