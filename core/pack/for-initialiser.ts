/**
 * Turning the tool's capDL spec into the spec the initialiser reads
 * (`SpecForInitializer`), as upstream's `pack_spec_into_initial_task` does
 * with rust-sel4's `Spec::embed_fill` (granule 2^12, embedding and
 * compression always on), followed by name stripping,
 * `cache_orig_cap_slots` and `set_log_level`.
 *
 * Frames become one of two things:
 * - Embedded: a root frame with no paddr, size_bits 12, at least one fill
 *   entry and no BootInfo entry. Its fill is rendered into a zeroed 4 KiB
 *   page appended to the frame data; `init` becomes `Embedded { index }`.
 * - Fill: every other frame keeps its entries in order; BootInfo entries are
 *   kept as they are and each data entry is rendered and stored raw-deflated.
 *
 * Deflate: upstream compresses with miniz_oxide level 10; we use node:zlib
 * level 9. Both produce valid raw DEFLATE streams that inflate to the same
 * bytes, but the compressed bytes (and so the spec size and everything
 * placed after it) can differ for specs that have data in non-embeddable
 * frames (pinned frames with prefill, large pages with data, frames mixing
 * data and boot info).
 */
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';
import type { CapdlObject, ElfContent, FillEntry, FillEntryContent, FrameObject, OrigCapSlots, Spec, WordRange } from '../capdl/spec.js';
import type { InitFillEntry, InitFrameObject, InitNamedObject, InitObject, SpecForInitializer } from './types.js';

/** Size bits of the frames that can be embedded (upstream: the small page size on every architecture). */
export const INITIALISER_GRANULE_BITS = 12;
export const INITIALISER_GRANULE_SIZE = 1 << INITIALISER_GRANULE_BITS;
const GRANULE = BigInt(INITIALISER_GRANULE_SIZE);

/** `LogLevel::Info`, what the Microkit tool always sets. */
export const INITIALISER_LOG_LEVEL_INFO = 3;

/**
 * The bytes of an `ElfContent` fill: `range` of loadable segment `segIdx`
 * (counting PT_LOAD segments only, bss included as zeros) of ELF `elfId`,
 * after symbol patching. Must return exactly `range.end - range.start`
 * bytes. They are only read; a whole-page fill's bytes become a frame-data
 * page as they are (see `copyPages`), so views into the patched segment
 * data are the cheapest answer.
 */
export type ElfContentResolver = (elfId: number, segIdx: number, range: WordRange) => Uint8Array;

export interface ForInitialiserOptions {
  /** Keep object names (upstream: configs `debug` and `smp-debug`); see {@link keepNamesForConfig}. */
  keepNames: boolean;
  resolveElf: ElfContentResolver;
  /**
   * How data entries of non-embedded frames are stored. Default: raw deflate
   * with node:zlib at level 9 (`DeflatedBytes`). `false` stores them
   * uncompressed (`Bytes`), which upstream never does.
   */
  deflate?: ((raw: Uint8Array) => Uint8Array) | false;
  /** Default {@link INITIALISER_LOG_LEVEL_INFO}. */
  logLevel?: number;
  /**
   * Copy every embedded page into memory of our own. By default a frame
   * whose single fill entry covers the whole page keeps the bytes the
   * resolver (or the BytesContent) supplied, without copying: first writes
   * to fresh memory are what dominates packing large images.
   */
  copyPages?: boolean;
}

export interface ForInitialiserResult {
  /**
   * Shares structure with the input spec (non-frame objects, cap tables,
   * irqs, the domain schedule, BootInfo entries): treat both as read-only.
   */
  spec: SpecForInitializer;
  /**
   * The frame-data segment, one 4 KiB page per embedded frame in index order
   * (page i is `Embedded { index: i }`). Pages are views into larger slabs,
   * or (unless `copyPages`) the very bytes the resolver or a BytesContent
   * supplied for a whole-page fill: keep those unmodified until the image is
   * written. Write the pages out in order rather than concatenating them.
   */
  frameData: Uint8Array[];
}

export class PackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackError';
  }
}

/**
 * Whether upstream keeps object names for a build config: `debug` and
 * `smp-debug` keep them; `release`, `benchmark`, `smp-release` and
 * `smp-benchmark` strip them; any other name makes upstream panic
 * ("unknown configuration ..."), which we report as a PackError.
 */
export function keepNamesForConfig(config: string): boolean {
  switch (config) {
    case 'debug':
    case 'smp-debug':
      return true;
    case 'release':
    case 'benchmark':
    case 'smp-release':
    case 'smp-benchmark':
      return false;
    default:
      throw new PackError(`unknown configuration ${config}`);
  }
}

/** Raw DEFLATE (no zlib header) at node:zlib's best level. */
export function deflateRaw(raw: Uint8Array): Uint8Array {
  const out = deflateRawSync(raw, { level: zlibConstants.Z_BEST_COMPRESSION });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Pages we fill ourselves are carved out of slabs that grow geometrically
 * (up to 16 MiB), so millions of pages are neither millions of ArrayBuffers
 * nor thousands of separate large allocations.
 */
const MIN_SLAB_PAGES = 16;
const MAX_SLAB_PAGES = 4096;

class PageAllocator {
  readonly pages: Uint8Array[] = [];
  private slab = new Uint8Array(0);
  private used = 0;
  private capacity = 0;
  private carved = 0;

  next(): Uint8Array {
    if (this.used === this.capacity) {
      this.capacity = Math.min(MAX_SLAB_PAGES, Math.max(MIN_SLAB_PAGES, this.carved));
      this.slab = new Uint8Array(this.capacity * INITIALISER_GRANULE_SIZE);
      this.used = 0;
    }
    const start = this.used * INITIALISER_GRANULE_SIZE;
    this.used++;
    this.carved++;
    const page = this.slab.subarray(start, start + INITIALISER_GRANULE_SIZE);
    this.pages.push(page);
    return page;
  }

  /** Appends a page the caller owns. */
  adopt(page: Uint8Array): void {
    this.pages.push(page);
  }
}

/**
 * Zeroed, unpinned frames (the bulk of a large spec) all pack to the same
 * object per size: one frozen instance each, and without names one frozen
 * named object each, so packing a million of them makes no garbage.
 */
const EMPTY_FILL: InitFrameObject['init'] = Object.freeze({ type: 'Fill', entries: Object.freeze([]) as unknown as InitFillEntry[] });
const zeroFrames: InitFrameObject[] = [];
const unnamedZeroFrames: InitNamedObject[] = [];
function zeroFrame(sizeBits: number): InitFrameObject {
  return (zeroFrames[sizeBits] ??= Object.freeze({ type: 'Frame', sizeBits, paddr: null, init: EMPTY_FILL }) as InitFrameObject);
}

export function specForInitialiser(spec: Spec, options: ForInitialiserOptions): ForInitialiserResult {
  const deflate = options.deflate === undefined ? deflateRaw : options.deflate;
  const pages = new PageAllocator();
  const { start: rootStart, end: rootEnd } = spec.rootObjects;
  const n = spec.objects.length;
  const objects: InitNamedObject[] = new Array(n);

  const render = (content: ElfContent | { type: 'BytesContent'; bytes: Uint8Array }, length: number, where: () => string): Uint8Array => {
    let bytes: Uint8Array;
    if (content.type === 'ElfContent') {
      const r = content.elfSegDataRange;
      bytes = options.resolveElf(content.elfId, content.elfSegIdx, r);
      if (bytes.length !== length) {
        throw new PackError(
          `${where()}: ELF ${content.elfId} segment ${content.elfSegIdx} range ${r.start}..${r.end} gave ${bytes.length} bytes for a fill of ${length} bytes`,
        );
      }
    } else {
      bytes = content.bytes;
      if (bytes.length !== length) throw new PackError(`${where()}: ${bytes.length} bytes of data for a fill of ${length} bytes`);
    }
    return bytes;
  };

  for (let id = 0; id < n; id++) {
    const object = spec.objects.object(id);
    const name = options.keepNames ? spec.objects.name(id) : null;
    if (object.type !== 'Frame') {
      objects[id] = { name, object: object as Exclude<CapdlObject, FrameObject> };
      continue;
    }
    const entries = object.init;
    if (entries.length === 0) {
      if (object.paddr === null) {
        objects[id] =
          name === null
            ? (unnamedZeroFrames[object.sizeBits] ??= Object.freeze({ name: null, object: zeroFrame(object.sizeBits) }))
            : { name, object: zeroFrame(object.sizeBits) };
      } else {
        objects[id] = { name, object: { type: 'Frame', sizeBits: object.sizeBits, paddr: object.paddr, init: EMPTY_FILL } };
      }
      continue;
    }
    const where = (): string => `frame '${spec.objects.name(id)}' (object ${id})`;
    let init: InitFrameObject['init'];
    if (id >= rootStart && id < rootEnd && canEmbed(object)) {
      const whole = entries.length === 1 && entries[0].range.start === 0n && entries[0].range.end === GRANULE;
      if (whole && !options.copyPages) {
        // One entry covering the page (the usual ELF page): keep the caller's bytes, no copy.
        pages.adopt(render(entries[0].content as Exclude<FillEntryContent, { type: 'BootInfo' }>, INITIALISER_GRANULE_SIZE, where));
        objects[id] = {
          name,
          object: { type: 'Frame', sizeBits: object.sizeBits, paddr: object.paddr, init: { type: 'Embedded', index: pages.pages.length - 1 } },
        };
        continue;
      }
      const page = pages.next();
      for (let k = 0; k < entries.length; k++) {
        const e = entries[k];
        const { start, end } = checkedRange(e.range, GRANULE, () => `${where()} fill entry ${k}`);
        page.set(render(e.content as Exclude<FillEntryContent, { type: 'BootInfo' }>, end - start, where), start);
      }
      init = { type: 'Embedded', index: pages.pages.length - 1 };
    } else {
      const frameSize = 1n << BigInt(object.sizeBits);
      const out: InitFillEntry[] = new Array(entries.length);
      for (let k = 0; k < entries.length; k++) {
        const e: FillEntry = entries[k];
        if (e.content.type === 'BootInfo') {
          out[k] = e as InitFillEntry;
          continue;
        }
        const { start, end } = checkedRange(e.range, frameSize, () => `${where()} fill entry ${k}`);
        const raw = render(e.content, end - start, where);
        out[k] = {
          range: e.range,
          content: deflate === false ? { type: 'Bytes', bytes: raw.slice() } : { type: 'DeflatedBytes', deflatedBytes: deflate(raw) },
        };
      }
      init = { type: 'Fill', entries: out };
    }
    const frame: InitObject = { type: 'Frame', sizeBits: object.sizeBits, paddr: object.paddr, init };
    objects[id] = { name, object: frame };
  }

  const out: SpecForInitializer = {
    objects,
    irqs: spec.irqs,
    domainSchedule: spec.domainSchedule,
    domainSetStart: spec.domainSetStart,
    domainIdxShift: spec.domainIdxShift,
    asidSlots: spec.asidSlots,
    rootObjects: spec.rootObjects,
    untypedCovers: spec.untypedCovers,
    cachedOrigCapSlots: origCapSlots(objects),
    logLevel: options.logLevel ?? INITIALISER_LOG_LEVEL_INFO,
  };
  return { spec: out, frameData: pages.pages };
}

/**
 * `cache_orig_cap_slots`: consecutive slot offsets for every object that
 * needs an original cap slot, i.e. all but `ArmSmc` and embedded frames.
 */
export function origCapSlots(objects: readonly InitNamedObject[]): OrigCapSlots {
  let numOccupied = 0;
  const offsetsByObject: (number | null)[] = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i].object;
    const needs = o.type === 'ArmSmc' ? false : o.type === 'Frame' ? o.init.type !== 'Embedded' : true;
    offsetsByObject[i] = needs ? numOccupied++ : null;
  }
  return { numOccupied, offsetsByObject };
}

/** Total size of the frame-data segment. */
export function frameDataSize(frameData: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of frameData) n += p.length;
  return n;
}

function canEmbed(frame: FrameObject): boolean {
  if (frame.paddr !== null || frame.sizeBits !== INITIALISER_GRANULE_BITS || frame.init.length === 0) return false;
  for (const e of frame.init) if (e.content.type === 'BootInfo') return false;
  return true;
}

function checkedRange(range: WordRange, limit: bigint, where: () => string): { start: number; end: number } {
  if (range.start > range.end || range.end > limit) {
    throw new PackError(`${where()}: range ${range.start}..${range.end} does not fit in a frame of ${limit} bytes`);
  }
  return { start: Number(range.start), end: Number(range.end) };
}
