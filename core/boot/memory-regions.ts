/**
 * Sets of disjoint, half-open physical ranges: the bookkeeping behind the
 * kernel boot emulation, the initialiser's placement and the auto-placement
 * of memory regions. Behaves like upstream's `DisjointMemoryRegion`
 * (lib.rs), including its merge rules, but keeps the ranges in two sorted
 * arrays searched by bisection instead of scanning a vector of structs.
 */
import type { PhysicalRange } from '../kernel/config.js';
import { roundUp, u64 } from '../util/bigint.js';
import { floorLog2_64, trailingZeros64 } from './bits.js';

function hex(x: bigint): string {
  return '0x' + x.toString(16);
}

export class DisjointRegions {
  /** Region starts, ascending; `ends[i]` pairs with `starts[i]`. */
  private readonly starts: bigint[];
  private readonly ends: bigint[];

  constructor() {
    this.starts = [];
    this.ends = [];
  }

  /** A set made by inserting `ranges` in the order given. */
  static of(ranges: Iterable<PhysicalRange>): DisjointRegions {
    const set = new DisjointRegions();
    for (const r of ranges) set.insert(r.start, r.end);
    return set;
  }

  /** Number of regions. */
  get count(): number {
    return this.starts.length;
  }

  start(i: number): bigint {
    return this.starts[i];
  }

  end(i: number): bigint {
    return this.ends[i];
  }

  /** The regions, ascending (a fresh array). */
  toArray(): PhysicalRange[] {
    const out: PhysicalRange[] = new Array(this.starts.length);
    for (let i = 0; i < out.length; i++) out[i] = { start: this.starts[i], end: this.ends[i] };
    return out;
  }

  clone(): DisjointRegions {
    const copy = new DisjointRegions();
    copy.starts.push(...this.starts);
    copy.ends.push(...this.ends);
    return copy;
  }

  /** Whether one region holds all of `[start, end)`. */
  contains(start: bigint, end: bigint): boolean {
    const i = this.lastStartingAtOrBelow(start);
    return i >= 0 && start < this.ends[i] && end <= this.ends[i];
  }

  /**
   * Add `[start, end)`. Like upstream, the new range is merged with at most
   * one neighbour: it extends the first region downwards, the last region
   * upwards, or the region right after it downwards. A range that only
   * touches the region *before* it (and is not at the end of the list) stays
   * a separate region, and filling the gap between two regions exactly
   * leaves two adjacent regions. The distinction is observable: each region
   * is split into power-of-two untypeds on its own, and first-fit
   * allocation never spans two regions.
   */
  insert(start: bigint, end: bigint): void {
    if (!(start < end)) throw new Error(`memory regions: cannot insert empty range [${hex(start)}..${hex(end)})`);
    const starts = this.starts;
    const ends = this.ends;
    const n = starts.length;
    if (n === 0) {
      starts.push(start);
      ends.push(end);
      return;
    }
    // First region lying wholly after the new range.
    const idx = this.firstStartingAtOrAbove(end);
    if (idx > 0 && ends[idx - 1] > start) {
      throw new Error(`memory regions: range [${hex(start)}..${hex(end)}) overlaps [${hex(starts[idx - 1])}..${hex(ends[idx - 1])})`);
    }
    if (idx === 0 && starts[0] === end) {
      starts[0] = start;
    } else if (idx === n && ends[n - 1] === start) {
      ends[n - 1] = end;
    } else if (idx < n && starts[idx] === end) {
      starts[idx] = start;
    } else {
      starts.splice(idx, 0, start);
      ends.splice(idx, 0, end);
    }
  }

  /**
   * Take `[start, end)` out; it must lie inside one region (upstream panics
   * otherwise, so this is an internal error here too).
   */
  remove(start: bigint, end: bigint): void {
    const i = this.lastStartingAtOrBelow(start);
    if (i < 0 || end > this.ends[i]) {
      throw new Error(`Internal error: attempting to remove region [${hex(start)}-${hex(end)}) that is not currently covered`);
    }
    const rStart = this.starts[i];
    const rEnd = this.ends[i];
    if (rStart === start && rEnd === end) {
      this.starts.splice(i, 1);
      this.ends.splice(i, 1);
    } else if (rStart === start) {
      this.starts[i] = end;
    } else if (rEnd === end) {
      this.ends[i] = start;
    } else {
      this.ends[i] = start;
      this.starts.splice(i + 1, 0, end);
      this.ends.splice(i + 1, 0, rEnd);
    }
  }

  /**
   * First fit, lowest address first: the first region that can hold `size`
   * bytes at a multiple of `align` gives its lowest such address, which is
   * removed from the set. Undefined when no region fits.
   */
  allocate(size: bigint, align: bigint): bigint | undefined {
    for (let i = 0; i < this.starts.length; i++) {
      const start = this.starts[i];
      const end = this.ends[i];
      if (size > end - start) continue;
      const base = roundUp(start, align);
      if (base + size <= end) {
        this.remove(base, base + size);
        return base;
      }
    }
    return undefined;
  }

  /**
   * The base of the first region starting at or above `lowerBound` that is
   * at least `size` bytes long (no alignment); `[base, base + size)` is
   * removed from the set. Undefined when there is none.
   */
  allocateFrom(size: bigint, lowerBound: bigint): bigint | undefined {
    for (let i = this.firstStartingAtOrAbove(lowerBound); i < this.starts.length; i++) {
      const start = this.starts[i];
      if (size <= this.ends[i] - start) {
        this.remove(start, start + size);
        return start;
      }
    }
    return undefined;
  }

  /** Every region split by {@link splitPowerOfTwo}, in region order. */
  powerOfTwoBlocks(kernelVirtualBase: bigint, maxBits: number): PhysicalRange[] {
    const out: PhysicalRange[] = [];
    for (let i = 0; i < this.starts.length; i++) {
      splitPowerOfTwo(this.starts[i], this.ends[i], kernelVirtualBase, maxBits, out);
    }
    return out;
  }

  /** Index of the first region whose start is >= x (count if none). */
  private firstStartingAtOrAbove(x: bigint): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] >= x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Index of the last region whose start is <= x (-1 if none). */
  private lastStartingAtOrBelow(x: bigint): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
}

/**
 * Split the physical range `[start, end)` into maximal naturally aligned
 * power-of-two blocks, as the kernel makes untypeds at boot (upstream:
 * `MemoryRegion::aligned_power_of_two_regions`). The kernel works on its
 * own virtual addresses (physical + `kernelVirtualBase`, modulo 2^64), so
 * alignment is judged there and the arithmetic wraps: a region whose
 * kernel-virtual end wraps past 2^64 is split differently than its
 * physical addresses alone would suggest, and so is one whose
 * kernel-virtual start is 0 (no alignment limit then). Blocks are capped at
 * 2^maxBits bytes. Appends to `out` (a new array when omitted) and returns it.
 */
export function splitPowerOfTwo(start: bigint, end: bigint, kernelVirtualBase: bigint, maxBits: number, out: PhysicalRange[] = []): PhysicalRange[] {
  let v = u64(start + kernelVirtualBase);
  const vEnd = u64(end + kernelVirtualBase);
  while (v !== vEnd) {
    const sizeBits = floorLog2_64(u64(vEnd - v));
    let bits = v === 0n ? sizeBits : Math.min(sizeBits, trailingZeros64(v));
    if (bits > maxBits) bits = maxBits;
    const next = u64(v + (1n << BigInt(bits)));
    out.push({ start: u64(v - kernelVirtualBase), end: u64(next - kernelVirtualBase) });
    v = next;
  }
  return out;
}
