/**
 * Cap tables of translation tables as compact records: the leaf tables of
 * an address space hold one frame cap per mapped page (millions in a large
 * system). A record is three u32 words (slot, object id, kind and flags) in
 * a growable Uint32Array instead of a `CapTableEntry` and a cap object per
 * slot; the entries are made when someone reads the table's `slots`.
 */
import { CAP_TYPES } from './spec.js';
import type { Cap, CapTableEntry, CapType, ObjectId, ObjectWithSlots, Rights } from './spec.js';

/** Shared, frozen rights values: millions of frame caps reference a handful of objects. */
const RIGHTS_CACHE: Rights[] = [];
export function rights(read: boolean, write: boolean, grant = false, grantReply = false): Rights {
  const key = (read ? 1 : 0) | (write ? 2 : 0) | (grant ? 4 : 0) | (grantReply ? 8 : 0);
  return (RIGHTS_CACHE[key] ??= Object.freeze({ read, write, grant, grantReply }));
}

const CAP_INDEX = new Map<CapType, number>(CAP_TYPES.map((t, i) => [t, i]));
const FRAME = CAP_INDEX.get('Frame')!;

/** Cap kinds that are only their object (all but Frame, Endpoint, Notification and CNode): a record holds these and frame caps. */
const WITH_FIELDS = new Set<CapType>(['Frame', 'Endpoint', 'Notification', 'CNode']);
const PLAIN = new Set<CapType>(CAP_TYPES.filter((t) => !WITH_FIELDS.has(t)));

// Flags word: bits 0-4 the cap kind (index in CAP_TYPES), then rights, cached, executable.
const READ = 1 << 5;
const WRITE = 1 << 6;
const GRANT = 1 << 7;
const GRANT_REPLY = 1 << 8;
const CACHED = 1 << 9;
const EXECUTABLE = 1 << 10;
const KIND = 0x1f;

function isU32(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;
}

export class CapRecords {
  private words = new Uint32Array(3 * 16);
  private count = 0;

  get length(): number {
    return this.count;
  }

  /**
   * Whether `cap` in `slot` can be held as a record: a frame cap or a cap
   * that is only its object, with u32 slot and object id (anything else,
   * such as a dangling id a check reports later, keeps its exact value in an
   * ordinary entry).
   */
  static holds(slot: number, cap: Cap): boolean {
    return (cap.type === 'Frame' || PLAIN.has(cap.type)) && isU32(slot) && isU32(cap.object);
  }

  /** Append `cap` in `slot`; the caller checked {@link CapRecords.holds}. */
  add(slot: number, cap: Cap): void {
    if (3 * this.count === this.words.length) {
      const words = new Uint32Array(this.words.length * 2);
      words.set(this.words);
      this.words = words;
    }
    let flags = cap.type === 'Frame' ? FRAME : CAP_INDEX.get(cap.type)!;
    if (cap.type === 'Frame') {
      const r = cap.rights;
      flags |= (r.read ? READ : 0) | (r.write ? WRITE : 0) | (r.grant ? GRANT : 0) | (r.grantReply ? GRANT_REPLY : 0);
      flags |= (cap.cached ? CACHED : 0) | (cap.executable ? EXECUTABLE : 0);
    }
    const at = 3 * this.count;
    this.words[at] = slot;
    this.words[at + 1] = cap.object;
    this.words[at + 2] = flags;
    this.count++;
  }

  slot(i: number): number {
    return this.words[3 * i];
  }

  object(i: number): ObjectId {
    return this.words[3 * i + 1];
  }

  /** Cap `i` as a new frozen object. */
  cap(i: number): Cap {
    const object = this.words[3 * i + 1];
    const flags = this.words[3 * i + 2];
    const kind = flags & KIND;
    if (kind !== FRAME) return Object.freeze({ type: CAP_TYPES[kind] as Exclude<CapType, 'Frame' | 'Endpoint' | 'Notification' | 'CNode'>, object });
    return Object.freeze({
      type: 'Frame',
      object,
      rights: rights((flags & READ) !== 0, (flags & WRITE) !== 0, (flags & GRANT) !== 0, (flags & GRANT_REPLY) !== 0),
      cached: (flags & CACHED) !== 0,
      executable: (flags & EXECUTABLE) !== 0,
    });
  }

  /** The entries as new objects, frozen unless `mutable`. */
  entries(mutable = false): CapTableEntry[] {
    const out: CapTableEntry[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const cap = this.cap(i);
      out[i] = mutable ? { slot: this.slot(i), cap: { ...cap } } : Object.freeze({ slot: this.slot(i), cap });
    }
    return mutable ? out : (Object.freeze(out) as CapTableEntry[]);
  }

  /** The first entry whose object is not below `count` (a dangling reference), or -1. */
  dangling(count: number): number {
    for (let i = 0; i < this.count; i++) if (this.words[3 * i + 1] >= count) return i;
    return -1;
  }

  /** Replace every object id `old` with `newIdOf[old]`. */
  renumber(newIdOf: Uint32Array): void {
    for (let i = 0; i < this.count; i++) this.words[3 * i + 1] = newIdOf[this.words[3 * i + 1]];
  }
}

const RECORDS = Symbol('capRecords');

/**
 * A compact table as a spec object: its own fields, and `slots` made from
 * the records on each read (frozen). The writers of the JSON and the packed
 * spec read the records behind it directly ({@link capRecordsOf}).
 */
export function capTableView(header: ObjectWithSlots, records: CapRecords): ObjectWithSlots {
  const view = { ...header };
  Object.defineProperty(view, 'slots', { enumerable: true, get: () => records.entries() });
  Object.defineProperty(view, RECORDS, { value: records });
  return Object.freeze(view);
}

/** The records behind an object made by {@link capTableView}, if it is one. */
export function capRecordsOf(object: object): CapRecords | undefined {
  return (object as { [RECORDS]?: CapRecords })[RECORDS];
}

/** Number of caps in an object's cap table, without making the entries of a compact one. */
export function slotCount(object: ObjectWithSlots): number {
  return capRecordsOf(object)?.length ?? object.slots.length;
}
