/**
 * SpecBuilder: a capDL spec under construction. Objects get ids in creation
 * order (the final sort renumbers them); helpers build the objects and caps
 * Microkit uses, with upstream's names. Plugins receive the builder in the
 * spec hooks to add their own objects and caps.
 */
import {
  addRootObject,
  type Cap,
  type CapdlObject,
  type CapTableEntry,
  type FillEntry,
  type FrameCap,
  type FrameObject,
  type ObjectId,
  type PlainCapType,
  type Rights,
  type Spec,
} from '../spec.js';
import { createSpec } from '../object-table.js';

/** Shared, frozen rights values: millions of frame caps reference four objects. */
const RIGHTS_CACHE = new Map<number, Rights>();
export function rights(read: boolean, write: boolean, grant = false, grantReply = false): Rights {
  const key = (read ? 1 : 0) | (write ? 2 : 0) | (grant ? 4 : 0) | (grantReply ? 8 : 0);
  let r = RIGHTS_CACHE.get(key);
  if (!r) {
    r = Object.freeze({ read, write, grant, grantReply }) as Rights;
    RIGHTS_CACHE.set(key, r);
  }
  return r;
}

export const RIGHTS_RW = rights(true, true);

/** The fill of a zeroed frame, shared by every such frame (millions of them in large systems). */
export const NO_FILL = Object.freeze([]) as unknown as FillEntry[];
export const RIGHTS_RWG = rights(true, true, true);

/**
 * The object of an unpinned, zeroed frame, one frozen instance per size:
 * such frames (every page of a large region on a board without tool placement)
 * differ only in their name and id, so they share the object as they share
 * {@link NO_FILL}. Nothing keys on a frame object's identity.
 */
const ZERO_FRAMES: FrameObject[] = [];
function zeroFrameObject(sizeBits: number): FrameObject {
  return (ZERO_FRAMES[sizeBits] ??= Object.freeze({ type: 'Frame', sizeBits, paddr: null, init: NO_FILL }) as FrameObject);
}

export class SpecBuilder {
  readonly spec: Spec = createSpec();
  /** Names of objects made one by one. */
  private readonly names = new Set<string>();
  /** Prefixes of numbered frame series (`<prefix>_%09d`): millions of frames, one entry each series. */
  private readonly series = new Set<string>();
  private duplicate: string | undefined;

  add(name: string, object: CapdlObject): ObjectId {
    if (this.names.has(name)) this.duplicate ??= name;
    this.names.add(name);
    return addRootObject(this.spec, name, object);
  }

  /** Frame `seq` of the numbered series `frame_<prefix>_%09d`. */
  seriesFrame(prefix: string, seq: number | bigint, sizeBits: number, paddr: bigint | null, init: FillEntry[] = NO_FILL): ObjectId {
    const full = `frame_${prefix}`;
    if (seq === 0 || seq === 0n) {
      if (this.series.has(full)) this.duplicate ??= `${full}_000000000`;
      this.series.add(full);
    }
    const object = paddr === null && init === NO_FILL ? zeroFrameObject(sizeBits) : { type: 'Frame' as const, sizeBits, paddr, init };
    return addRootObject(this.spec, `${full}_${seq.toString().padStart(9, '0')}`, object);
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
    this.slots(into).push({ slot, cap });
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
