/**
 * The object table behind `Spec.objects` and the empty spec around it.
 * Frames of numbered series (the millions of pages of a large system) are
 * compact records in a {@link FrameTable}; every other object is kept as
 * its `NamedObject`, the leaf translation tables with their caps as
 * {@link CapRecords}. Ids map to frame records or entries through one
 * Int32Array, which the final sort permutes in place.
 */
import { CapRecords, capTableView as tableView } from './cap-table.js';
import { FrameTable, MAX_COMPACT_SEQ } from './frame-table.js';
import { objectPaddr } from './spec.js';
import type { Cap, CapdlObject, FillEntry, NamedObject, ObjectId, ObjectTable, ObjectType, ObjectWithSlots, Spec } from './spec.js';

export class SpecObjectTable implements ObjectTable {
  /** Per id: an index into `entries` (≥ 0), or `~i` for frame record `i`. */
  private refs = new Int32Array(1024);
  private count = 0;
  private readonly entries: NamedObject[] = [];
  /** Cap records of the tables added with `pushCapTable`, by index into `entries`. */
  private readonly tables = new Map<number, CapRecords>();
  /** The compact frames (the final sort's name order reads their series and numbers). */
  readonly frames = new FrameTable();

  /** A table holding `objects` (in that order). */
  static from(objects: Iterable<NamedObject>): SpecObjectTable {
    const table = new SpecObjectTable();
    for (const { name, object } of objects) table.push(name, object);
    return table;
  }

  get length(): number {
    return this.count;
  }

  has(id: ObjectId): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.count;
  }

  private ref(id: ObjectId): number {
    if (!this.has(id)) throw new RangeError(`capDL spec: no object ${id} (the spec has ${this.count})`);
    return this.refs[id];
  }

  /** The frame record of `id`, or -1 when `id` is not a compact frame. */
  frameRecord(id: ObjectId): number {
    const r = this.ref(id);
    return r < 0 ? ~r : -1;
  }

  /** The cap records of `id` when it is a compact table, else null. */
  capRecords(id: ObjectId): CapRecords | null {
    const r = this.ref(id);
    return r >= 0 ? (this.tables.get(r) ?? null) : null;
  }

  get(id: ObjectId): NamedObject {
    const r = this.ref(id);
    if (r >= 0) {
      const records = this.tables.get(r);
      if (records === undefined) return this.entries[r];
      const { name, object } = this.entries[r];
      return Object.freeze({ name, object: tableView(object as ObjectWithSlots, records) });
    }
    return Object.freeze({ name: this.frames.name(~r), object: this.frames.object(~r) });
  }

  name(id: ObjectId): string {
    const r = this.ref(id);
    return r >= 0 ? this.entries[r].name : this.frames.name(~r);
  }

  object(id: ObjectId): CapdlObject {
    const r = this.ref(id);
    if (r < 0) return this.frames.object(~r);
    const records = this.tables.get(r);
    return records === undefined ? this.entries[r].object : tableView(this.entries[r].object as ObjectWithSlots, records);
  }

  type(id: ObjectId): ObjectType {
    const r = this.ref(id);
    return r >= 0 ? this.entries[r].object.type : 'Frame';
  }

  paddr(id: ObjectId): bigint | null {
    const r = this.ref(id);
    return r >= 0 ? objectPaddr(this.entries[r].object) : this.frames.paddr(~r);
  }

  sizeBits(id: ObjectId): number | null {
    const r = this.ref(id);
    if (r < 0) return this.frames.sizeBits(~r);
    const o = this.entries[r].object;
    return 'sizeBits' in o ? o.sizeBits : null;
  }

  find(name: string): ObjectId | undefined {
    // A compact frame can only be named `<series>_<digits>`: compare its series and number before its name.
    const m = /^(.*)_(\d{9,})$/.exec(name);
    const series = m === null ? -1 : this.frames.seriesId(m[1]);
    const seq = m === null ? -1 : Number(m[2]);
    for (let id = 0; id < this.count; id++) {
      const r = this.refs[id];
      if (r >= 0) {
        if (this.entries[r].name === name) return id;
      } else if (series >= 0 && this.frames.series(~r) === series && this.frames.seq(~r) === seq && this.frames.name(~r) === name) {
        return id;
      }
    }
    return undefined;
  }

  private nextId(): ObjectId {
    const id = this.count;
    if (id === this.refs.length) {
      const refs = new Int32Array(id * 2);
      refs.set(this.refs);
      this.refs = refs;
    }
    this.count = id + 1;
    return id;
  }

  push(name: string, object: CapdlObject): ObjectId {
    const id = this.nextId();
    this.refs[id] = this.entries.push({ name, object }) - 1;
    return id;
  }

  pushCapTable(name: string, object: ObjectWithSlots): ObjectId {
    if (object.slots.length > 0) return this.push(name, object);
    const id = this.push(name, object);
    // The caps live in the records; a write to the object's own array would be lost, so it throws.
    Object.freeze(object.slots);
    this.tables.set(this.refs[id], new CapRecords());
    return id;
  }

  insertCap(id: ObjectId, slot: number, cap: Cap): void {
    const r = this.ref(id);
    const named = r >= 0 ? this.entries[r] : undefined;
    if (named === undefined || !('slots' in named.object)) throw new Error(`internal error: object '${this.name(id)}' has no cap table`);
    const records = this.tables.get(r);
    if (records === undefined) {
      named.object.slots.push({ slot, cap });
    } else if (CapRecords.holds(slot, cap)) {
      records.add(slot, cap);
    } else {
      // A cap a record cannot hold: the table becomes an ordinary object.
      this.entries[r] = { name: named.name, object: { ...named.object, slots: [...records.entries(true), { slot, cap }] } };
      this.tables.delete(r);
    }
  }

  pushSeriesFrame(series: string, seq: number, sizeBits: number, paddr: bigint | null, init: FillEntry[]): ObjectId {
    if (!(Number.isInteger(seq) && seq >= 0 && seq <= MAX_COMPACT_SEQ)) {
      return this.push(`${series}_${seq.toString().padStart(9, '0')}`, { type: 'Frame', sizeBits, paddr, init });
    }
    const id = this.nextId();
    this.refs[id] = ~this.frames.add(series, seq, sizeBits, paddr, init);
    return id;
  }

  reorder(order: Uint32Array): void {
    const n = this.count;
    if (order.length !== n) throw new Error(`capDL spec: an order of ${order.length} for ${n} objects`);
    const refs = new Int32Array(Math.max(n, 1));
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const old = order[i];
      if (!(old < n) || seen[old] === 1) throw new Error(`capDL spec: the order is not a permutation of ${n} objects (at ${i}: ${old})`);
      seen[old] = 1;
      refs[i] = this.refs[old];
    }
    this.refs = refs;
  }

  *[Symbol.iterator](): Iterator<NamedObject> {
    for (let id = 0; id < this.count; id++) yield this.get(id);
  }
}

/** An empty spec, as upstream's `CapDLSpecContainer::new`. */
export function createSpec(): Spec {
  return {
    objects: new SpecObjectTable(),
    irqs: [],
    domainSchedule: null,
    domainSetStart: null,
    domainIdxShift: null,
    asidSlots: [],
    rootObjects: { start: 0, end: 0 },
    untypedCovers: [],
    cachedOrigCapSlots: null,
    logLevel: null,
  };
}
