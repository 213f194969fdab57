/**
 * The object table behind `Spec.objects` and the empty spec around it.
 * Objects are kept in id order; the final sort reorders them in place.
 */
import { objectPaddr } from './spec.js';
import type { CapdlObject, NamedObject, ObjectId, ObjectTable, ObjectType, Spec } from './spec.js';

export class SpecObjectTable implements ObjectTable {
  private entries: NamedObject[] = [];

  /** A table holding `objects` (in that order). */
  static from(objects: Iterable<NamedObject>): SpecObjectTable {
    const table = new SpecObjectTable();
    for (const { name, object } of objects) table.push(name, object);
    return table;
  }

  get length(): number {
    return this.entries.length;
  }

  has(id: ObjectId): boolean {
    return Number.isInteger(id) && id >= 0 && id < this.entries.length;
  }

  get(id: ObjectId): NamedObject {
    const entry = this.entries[id];
    if (entry === undefined || !this.has(id)) throw new RangeError(`capDL spec: no object ${id} (the spec has ${this.entries.length})`);
    return entry;
  }

  name(id: ObjectId): string {
    return this.get(id).name;
  }

  object(id: ObjectId): CapdlObject {
    return this.get(id).object;
  }

  type(id: ObjectId): ObjectType {
    return this.get(id).object.type;
  }

  paddr(id: ObjectId): bigint | null {
    return objectPaddr(this.get(id).object);
  }

  push(name: string, object: CapdlObject): ObjectId {
    this.entries.push({ name, object });
    return this.entries.length - 1;
  }

  reorder(order: Uint32Array): void {
    if (order.length !== this.entries.length) throw new Error(`capDL spec: an order of ${order.length} for ${this.entries.length} objects`);
    const next: NamedObject[] = new Array(order.length);
    for (let i = 0; i < order.length; i++) next[i] = this.entries[order[i]];
    this.entries = next;
  }

  *[Symbol.iterator](): Iterator<NamedObject> {
    const n = this.entries.length;
    for (let id = 0; id < n; id++) yield this.get(id);
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
