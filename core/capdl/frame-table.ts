/**
 * Frames of numbered series (`<series>_%09d`: every page of a memory region,
 * of an ELF segment, of a stack), stored as one compact record each in
 * growable typed arrays instead of a JS object and a name string per page.
 * Large systems have millions of them. A record holds the size, the paddr
 * (or none), an index into the distinct fills (0: zeroed) and the series and
 * sequence number the name is made from, when someone asks for it.
 */
import type { FillEntry, FrameObject } from './spec.js';

/** The fill of a zeroed frame, shared by every such frame. */
export const NO_FILL = Object.freeze([]) as unknown as FillEntry[];

/**
 * The object of an unpinned, zeroed frame, one frozen instance per size:
 * such frames differ only in their name and id, so they share the object as
 * they share {@link NO_FILL}. Nothing keys on a frame object's identity.
 */
const ZERO_FRAMES: FrameObject[] = [];
export function zeroFrameObject(sizeBits: number): FrameObject {
  return (ZERO_FRAMES[sizeBits] ??= Object.freeze({ type: 'Frame', sizeBits, paddr: null, init: NO_FILL }) as FrameObject);
}

/** Sequence numbers a record can hold (u32); larger ones are stored as ordinary objects. */
export const MAX_COMPACT_SEQ = 0xffff_ffff;

/** Digits of the zero-padded sequence number in a series member's name. */
export const SEQ_DIGITS = 9;

function grown<T extends Uint8Array | Uint32Array | BigUint64Array>(old: T, capacity: number): T {
  const next = new (old.constructor as new (n: number) => T)(capacity);
  next.set(old as never);
  return next;
}

export class FrameTable {
  private count = 0;
  private sizeBitsOf = new Uint8Array(1024);
  /** 1 when the frame has a paddr (then in `paddrOf`). */
  private pinned = new Uint8Array(1024);
  private paddrOf = new BigUint64Array(1024);
  private fillOf = new Uint32Array(1024);
  private seriesOf = new Uint32Array(1024);
  private seqOf = new Uint32Array(1024);
  /** Distinct fills; 0 is {@link NO_FILL}. */
  private readonly fills: FillEntry[][] = [NO_FILL];
  /** Series names (`frame_<prefix>`), by series id. */
  private readonly seriesNames: string[] = [];
  private readonly seriesIds = new Map<string, number>();
  /** The series of the last record (pages of one series come in a row). */
  private lastSeries = -1;

  get length(): number {
    return this.count;
  }

  /** Append a record; returns its index. `seq` must be an integer in 0..{@link MAX_COMPACT_SEQ}. */
  add(series: string, seq: number, sizeBits: number, paddr: bigint | null, init: FillEntry[]): number {
    const i = this.count;
    if (i === this.sizeBitsOf.length) this.grow(i * 2);
    let s = this.lastSeries;
    if (s < 0 || this.seriesNames[s] !== series) {
      s = this.seriesIds.get(series) ?? -1;
      if (s < 0) {
        s = this.seriesNames.length;
        this.seriesNames.push(series);
        this.seriesIds.set(series, s);
      }
      this.lastSeries = s;
    }
    this.sizeBitsOf[i] = sizeBits;
    if (paddr !== null) {
      this.pinned[i] = 1;
      this.paddrOf[i] = paddr;
    }
    if (init.length > 0) {
      // Frozen: the spec hands out objects made from it; nobody may change a fill behind its back.
      this.fillOf[i] = this.fills.push(Object.freeze(init) as FillEntry[]) - 1;
    }
    this.seriesOf[i] = s;
    this.seqOf[i] = seq;
    this.count = i + 1;
    return i;
  }

  private grow(capacity: number): void {
    this.sizeBitsOf = grown(this.sizeBitsOf, capacity);
    this.pinned = grown(this.pinned, capacity);
    this.paddrOf = grown(this.paddrOf, capacity);
    this.fillOf = grown(this.fillOf, capacity);
    this.seriesOf = grown(this.seriesOf, capacity);
    this.seqOf = grown(this.seqOf, capacity);
  }

  sizeBits(i: number): number {
    return this.sizeBitsOf[i];
  }

  paddr(i: number): bigint | null {
    return this.pinned[i] === 1 ? this.paddrOf[i] : null;
  }

  /** The frame's fill entries (empty: zeroed). */
  init(i: number): FillEntry[] {
    return this.fills[this.fillOf[i]];
  }

  /** Series id of record `i` (ids follow first use). */
  series(i: number): number {
    return this.seriesOf[i];
  }

  /** The id of the series named `series`, or -1. */
  seriesId(series: string): number {
    return this.seriesIds.get(series) ?? -1;
  }

  seriesName(series: number): string {
    return this.seriesNames[series];
  }

  seq(i: number): number {
    return this.seqOf[i];
  }

  /** `<series>_%09d`, made on each call. */
  name(i: number): string {
    return `${this.seriesNames[this.seriesOf[i]]}_${this.seqOf[i].toString().padStart(SEQ_DIGITS, '0')}`;
  }

  /** The frame as a spec object: the shared zero-frame object, or a new frozen one. */
  object(i: number): FrameObject {
    const init = this.fills[this.fillOf[i]];
    if (this.pinned[i] === 0 && init === NO_FILL) return zeroFrameObject(this.sizeBitsOf[i]);
    return Object.freeze({ type: 'Frame', sizeBits: this.sizeBitsOf[i], paddr: this.paddr(i), init });
  }
}
