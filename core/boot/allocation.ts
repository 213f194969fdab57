/**
 * Simulation of the capDL initialiser's object allocation (upstream:
 * capdl/allocation.rs `simulate_capdl_object_alloc_algorithm`, which mirrors
 * rust-sel4's `create_objects`). Given the sorted spec and the untypeds the
 * kernel hands over, it predicts the physical address of every object the
 * initialiser retypes, or explains why the objects will not fit.
 *
 * Embedded frames. The real initialiser does not retype frames whose data
 * is embedded in its own image (every 4 KiB ELF page, prefill pages): they
 * are pages of the initial task, mapped in place. Upstream's simulation
 * does not skip them and counts them as allocations from untyped memory
 * like any other frame; so do we, since our output must match upstream's
 * report. The check is therefore conservative, and the addresses predicted
 * for 4 KiB objects can differ from where they really end up.
 *
 * Scale: one pass over the objects to size them (a Uint8Array), windows per
 * size class in Int32Arrays, results in a BigUint64Array and an Int32Array.
 * No per-object allocation besides the result arrays.
 */
import type { ObjectSizes } from '../kernel/config.js';
import { physicalSizeBits } from '../capdl/object-sizes.js';
import type { ObjectId, Spec } from '../capdl/spec.js';
import { humanSizeStrict } from '../util/human-size.js';
import type { MicrokitError } from '../errors/microkit-error.js';
import { floorLog2_64, trailingZeros64 } from './bits.js';
import type { Untyped } from './kernel-boot.js';
import { allocationFailed } from './errors.js';

/** Upstream's `CapDLAllocEmulationErrorLevel`: `report` is `PrintStderr`. */
export type AllocationErrorMode = 'report' | 'suppressed';

/** Number of size classes: one per bit of a 64-bit word. */
const SIZE_CLASSES = 64;

/** The final line upstream prints after the simulation's own error lines. */
export const ALLOCATION_FAILED_LINE = 'ERROR: could not allocate all required kernel objects. Please see report for more details.';

/**
 * Where each object goes: a read-only map from object id to physical
 * address (what the report consumes), plus the index, in the kernel's cap
 * order, of the untyped each object comes from.
 */
export class ObjectPaddrs implements ReadonlyMap<ObjectId, bigint> {
  private readonly paddr: BigUint64Array;
  private readonly ut: Int32Array;
  private allocated = 0;

  constructor(objectCount: number) {
    this.paddr = new BigUint64Array(objectCount);
    this.ut = new Int32Array(objectCount).fill(-1);
  }

  /** Record an object's placement (internal to the simulation). */
  record(id: ObjectId, paddr: bigint, utIndex: number): void {
    if (this.ut[id] !== -1) throw new Error(`allocation simulation: object ${id} allocated twice`);
    this.paddr[id] = paddr;
    this.ut[id] = utIndex;
    this.allocated++;
  }

  get size(): number {
    return this.allocated;
  }

  has(id: ObjectId): boolean {
    return id >= 0 && id < this.ut.length && this.ut[id] !== -1;
  }

  get(id: ObjectId): bigint | undefined {
    return this.has(id) ? this.paddr[id] : undefined;
  }

  /** Index into `BootInfo.untypeds` of the object's untyped, or -1. */
  untypedIndex(id: ObjectId): number {
    return id >= 0 && id < this.ut.length ? this.ut[id] : -1;
  }

  forEach(fn: (value: bigint, key: ObjectId, map: ReadonlyMap<ObjectId, bigint>) => void, thisArg?: unknown): void {
    for (let id = 0; id < this.ut.length; id++) {
      if (this.ut[id] !== -1) fn.call(thisArg, this.paddr[id], id, this);
    }
  }

  *entries(): MapIterator<[ObjectId, bigint]> {
    for (let id = 0; id < this.ut.length; id++) if (this.ut[id] !== -1) yield [id, this.paddr[id]];
  }

  *keys(): MapIterator<ObjectId> {
    for (let id = 0; id < this.ut.length; id++) if (this.ut[id] !== -1) yield id;
  }

  *values(): MapIterator<bigint> {
    for (let id = 0; id < this.ut.length; id++) if (this.ut[id] !== -1) yield this.paddr[id];
  }

  [Symbol.iterator](): MapIterator<[ObjectId, bigint]> {
    return this.entries();
  }
}

export interface AllocationResult {
  /** False when some object cannot be allocated. */
  readonly ok: boolean;
  /**
   * Placements. On failure this holds whatever the simulation had placed
   * before giving up (nothing when a pinned object is outside every
   * untyped), as upstream's `expected_allocations` does.
   */
  readonly paddrs: ObjectPaddrs;
  /** Upstream's error lines (B10), without the final summary line; empty when ok or suppressed. */
  readonly errors: readonly string[];
}

function hex12(x: bigint): string {
  return x.toString(16).padStart(12, '0');
}

/** First index in [0, n) where `pred` turns false, for a partitioned sequence (Rust's `partition_point`). */
function partitionPoint(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Run the simulation. `spec.objects` must be in the final order (pinned
 * objects first by paddr, then by size descending); `untypeds` in the
 * kernel's cap order (`BootInfo.untypeds`).
 */
export function simulateObjectAllocation(spec: Spec, untypeds: readonly Untyped[], sizes: ObjectSizes, mode: AllocationErrorMode = 'report'): AllocationResult {
  const objects = spec.objects;
  const count = objects.length;
  const report = mode === 'report';
  const errors: string[] = [];
  const paddrs = new ObjectPaddrs(count);

  // Step 1: untypeds by address (indices into the cap-ordered list).
  const order = untypeds
    .map((_, i) => i)
    .sort((a, b) => {
      const x = untypeds[a].start;
      const y = untypeds[b].start;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const utCount = order.length;
  const utStart: bigint[] = new Array(utCount);
  const utEnd: bigint[] = new Array(utCount);
  const utBlockEnd: bigint[] = new Array(utCount);
  const utDevice = new Uint8Array(utCount);
  for (let k = 0; k < utCount; k++) {
    const ut = untypeds[order[k]];
    utStart[k] = ut.start;
    utEnd[k] = ut.end;
    utBlockEnd[k] = ut.start + (1n << BigInt(ut.sizeBits));
    utDevice[k] = ut.isDevice ? 1 : 0;
  }

  // Step 2: physical sizes, and one window of consecutive object ids per
  // size class for the objects without a paddr.
  const sizeBits = new Uint8Array(count);
  for (let id = 0; id < count; id++) {
    const bits = physicalSizeBits(objects.object(id), sizes);
    if (bits >= SIZE_CLASSES) {
      throw new Error(`allocation simulation: object '${objects.name(id)}' is 2^${bits} bytes, beyond a 64-bit word`);
    }
    sizeBits[id] = bits;
  }
  const pinnedCount = partitionPoint(count, (id) => objects.paddr(id) !== null);
  const windowNext = new Int32Array(SIZE_CLASSES).fill(-1);
  const windowEnd = new Int32Array(SIZE_CLASSES).fill(-1);
  for (let id = pinnedCount; id < count; id++) {
    const bits = sizeBits[id];
    if (bits === 0) continue;
    // Upstream extends the window by one per object of that size, assuming
    // (as the sort guarantees) that they are consecutive.
    if (windowNext[bits] === -1) {
      windowNext[bits] = id;
      windowEnd[bits] = id + 1;
    } else {
      windowEnd[bits]++;
    }
  }

  // Step 3: every pinned object must lie inside one untyped.
  const pinnedPaddr: bigint[] = new Array(pinnedCount);
  let pinnedOk = true;
  for (let id = 0; id < pinnedCount; id++) {
    const start = objects.paddr(id)!;
    pinnedPaddr[id] = start;
    const end = start + (1n << BigInt(sizeBits[id]));
    const after = partitionPoint(utCount, (k) => utStart[k] <= start);
    if (after === 0) {
      // Upstream fails here without naming the object (only the list of
      // valid ranges below is printed); kept as is.
      pinnedOk = false;
      continue;
    }
    const k = after - 1;
    if (!(utStart[k] <= start && utBlockEnd[k] >= end)) {
      if (report) {
        errors.push(`ERROR: object '${objects.name(id)}', with paddr 0x${hex12(start)}..0x${hex12(end)} is not in any valid memory region.`);
      }
      pinnedOk = false;
    }
  }
  if (!pinnedOk) {
    if (report) {
      errors.push('Below are the valid ranges of memory to be allocated from:');
      errors.push('Valid ranges outside of main memory:');
      for (let k = 0; k < utCount; k++) if (utDevice[k]) errors.push(`     [0x${hex12(utStart[k])}..0x${hex12(utEnd[k])})`);
      errors.push('Valid ranges within main memory:');
      for (let k = 0; k < utCount; k++) if (!utDevice[k]) errors.push(`     [0x${hex12(utStart[k])}..0x${hex12(utEnd[k])})`);
    }
    return { ok: false, paddrs, errors };
  }

  // Step 4: walk the untypeds bottom up with a watermark, creating the
  // largest pending unpinned object that fits at each step, and pinned
  // objects exactly at their paddr.
  let nextPinned = 0;
  for (let k = 0; k < utCount; k++) {
    const base = utStart[k];
    const utEndK = utEnd[k];
    const device = utDevice[k] === 1;
    const utIndex = order[k];
    let cur = base;
    for (;;) {
      let target = utEndK;
      if (nextPinned < pinnedCount && pinnedPaddr[nextPinned] < target) target = pinnedPaddr[nextPinned];
      const targetIsPinned = target < utEndK;

      while (cur < target) {
        // Largest block allowed at the watermark: limited by its alignment
        // within the untyped and by the distance to the target.
        const alignBits = trailingZeros64(cur - base);
        const distanceBits = floorLog2_64(target - cur);
        const maxBits = alignBits < distanceBits ? alignBits : distanceBits;
        let created = false;
        if (!device) {
          for (let bits = maxBits; bits >= 0; bits--) {
            const id = windowNext[bits];
            if (id !== -1 && id < windowEnd[bits]) {
              paddrs.record(id, cur, utIndex);
              cur += 1n << BigInt(sizeBits[id]);
              windowNext[bits] = id + 1;
              created = true;
              break;
            }
          }
        }
        if (!created) {
          // Nothing fits here: move the watermark on (block by block up to a
          // pinned object, or straight to the end of the untyped).
          cur = targetIsPinned ? cur + (1n << BigInt(maxBits)) : target;
        }
      }
      if (!targetIsPinned) break;

      const id = nextPinned;
      if (pinnedPaddr[id] !== cur) {
        // An assertion upstream; pinned objects never overlap once the SDF is valid.
        throw new Error(`allocation simulation: pinned object '${objects.name(id)}' at 0x${hex12(pinnedPaddr[id])} but the watermark is at 0x${hex12(cur)}`);
      }
      paddrs.record(id, cur, utIndex);
      cur += 1n << BigInt(sizeBits[id]);
      nextPinned++;
    }
  }

  // Every size class must be exhausted.
  let ok = true;
  for (let bits = 0; bits < SIZE_CLASSES; bits++) {
    if (windowNext[bits] === -1 || windowNext[bits] === windowEnd[bits]) continue;
    ok = false;
    if (report) {
      const shortfall = BigInt(windowEnd[bits] - windowNext[bits]);
      const each = 1n << BigInt(bits);
      errors.push(
        `ERROR: ran out of untypeds for allocating objects of size ${humanSizeStrict(each)}, still need to create ${shortfall} objects which requires ${humanSizeStrict(each * shortfall)} of additional memory.`,
      );
    }
  }
  return { ok, paddrs, errors };
}

/**
 * The error a failed first-pass simulation ends the build with: its lines
 * followed by upstream's closing line.
 */
export function allocationError(result: AllocationResult): MicrokitError {
  return allocationFailed([...result.errors, ALLOCATION_FAILED_LINE]);
}
