/**
 * SpecBuilder: a capDL spec under construction. Objects get ids in creation
 * order (the final sort renumbers them); helpers build the objects and caps
 * Microkit uses, with upstream's names. Plugins receive the builder in the
 * spec hooks to add their own objects and caps.
 */
import {
  addRootObject,
  addRootCapTable,
  addRootSeriesFrame,
  type Cap,
  type CapdlObject,
  type CapTableEntry,
  type FillEntry,
  type FrameCap,
  type ObjectId,
  type PlainCapType,
  type Rights,
  type Spec,
} from '../spec.js';
import { createSpec } from '../object-table.js';
import { MAX_COMPACT_SEQ, NO_FILL } from '../frame-table.js';
import { rights } from '../cap-table.js';

export { NO_FILL };

export { rights };

export const RIGHTS_RW = rights(true, true);

export const RIGHTS_RWG = rights(true, true, true);

export class SpecBuilder {
  readonly spec: Spec = createSpec();
  /** Names of objects made one by one. */
  private readonly names = new Set<string>();
  /** Prefixes of numbered frame series (`<prefix>_%09d`): millions of frames, one entry each series. */
  private readonly series = new Set<string>();
  private duplicate: string | undefined;
  private lastPrefix: string | undefined;
  private lastSeries = '';

  add(name: string, object: CapdlObject): ObjectId {
    if (this.names.has(name)) this.duplicate ??= name;
    this.names.add(name);
    return addRootObject(this.spec, name, object);
  }

  /** Frame `seq` of the numbered series `frame_<prefix>_%09d`, stored compactly (see `ObjectTable.pushSeriesFrame`). */
  seriesFrame(prefix: string, seq: number | bigint, sizeBits: number, paddr: bigint | null, init: FillEntry[] = NO_FILL): ObjectId {
    // One name string per series, not per page: the frame table then finds its series by identity.
    if (prefix !== this.lastPrefix) {
      this.lastPrefix = prefix;
      this.lastSeries = `frame_${prefix}`;
    }
    const full = this.lastSeries;
    if (seq === 0 || seq === 0n) {
      if (this.series.has(full)) this.duplicate ??= `${full}_000000000`;
      this.series.add(full);
    }
    if (seq > MAX_COMPACT_SEQ) return addRootObject(this.spec, `${full}_${seq}`, { type: 'Frame', sizeBits, paddr, init });
    return addRootSeriesFrame(this.spec, full, Number(seq), sizeBits, paddr, init);
  }

  /**
   * A name two objects would share, if any. Two series collide when their
   * prefixes are equal; a single object collides with a series when it
   * looks like one of its members.
   */
  duplicateName(): string | undefined {
    if (this.duplicate !== undefined) return this.duplicate;
    for (const name of this.names) {
      const m = /^(.*)_\d{9}$/.exec(name);
      if (m && this.series.has(m[1])) return name;
    }
    return undefined;
  }

  object(id: ObjectId): CapdlObject {
    return this.spec.objects.object(id);
  }

  name(id: ObjectId): string {
    return this.spec.objects.name(id);
  }

  /** The cap table of an object that has one (CNode, TCB, page tables, IRQs, IOSpace). */
  slots(id: ObjectId): CapTableEntry[] {
    const o = this.object(id);
    if (!('slots' in o)) throw new Error(`internal error: object '${this.name(id)}' has no cap table`);
    return o.slots;
  }

  insertCap(into: ObjectId, slot: number, cap: Cap): void {
    this.spec.objects.insertCap(into, slot, cap);
  }

  /**
   * A translation table (page table, IO page table) whose cap table is kept
   * as compact records: the leaf tables of address spaces, which hold a cap
   * per mapped page. Add caps with {@link insertCap}.
   */
  addTable(name: string, object: CapdlObject): ObjectId {
    if (this.names.has(name)) this.duplicate ??= name;
    this.names.add(name);
    return addRootCapTable(this.spec, name, object);
  }

  frame(name: string, sizeBits: number, paddr: bigint | null, init: FillEntry[] = NO_FILL): ObjectId {
    return this.add(`frame_${name}`, { type: 'Frame', sizeBits, paddr, init });
  }

  endpoint(name: string): ObjectId {
    return this.add(`ep_${name}`, { type: 'Endpoint' });
  }

  notification(name: string): ObjectId {
    return this.add(`ntfn_${name}`, { type: 'Notification' });
  }

  reply(name: string): ObjectId {
    return this.add(`reply_${name}`, { type: 'Reply' });
  }

  schedContext(name: string, sizeBits: number, period: bigint, budget: bigint, badge: bigint): ObjectId {
    return this.add(`sched_context_${name}`, { type: 'SchedContext', sizeBits, extra: { period, budget, badge } });
  }

  cnode(name: string, sizeBits: number, slots: CapTableEntry[] = []): ObjectId {
    return this.add(`cnode_${name}`, { type: 'CNode', sizeBits, slots });
  }

  vcpu(name: string): ObjectId {
    return this.add(`vcpu_${name}`, { type: 'VCpu' });
  }
}

export function frameCap(object: ObjectId, read: boolean, write: boolean, executable: boolean, cached: boolean): FrameCap {
  return { type: 'Frame', object, rights: rights(read, write), cached, executable };
}

export function endpointCap(object: ObjectId, badge: bigint, r: Rights = RIGHTS_RWG): Cap {
  return { type: 'Endpoint', object, badge, rights: r };
}

export function notificationCap(object: ObjectId, badge: bigint, r: Rights = RIGHTS_RW): Cap {
  return { type: 'Notification', object, badge, rights: r };
}

export function cnodeCap(object: ObjectId, guard: bigint, guardSize: number): Cap {
  return { type: 'CNode', object, guard, guardSize };
}

export function plainCap(type: PlainCapType, object: ObjectId): Cap {
  return { type, object };
}

export function cte(slot: number, cap: Cap): CapTableEntry {
  return { slot, cap };
}
