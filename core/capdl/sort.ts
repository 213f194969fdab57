/**
 * The final, deterministic object order of a spec (upstream builder step 8).
 * The initialiser's allocator walks objects in this order and needs pinned
 * frames first, then size-descending runs, so the order is part of the
 * output contract, not cosmetics: object ids in caps, in the report and in
 * the packed spec all depend on it.
 */

import type { ObjectSizes } from '../kernel/config.js';
import { physicalSizeBits } from './object-sizes.js';
import { objectSlots } from './spec.js';
import type { CapTableEntry, CapdlObject, ObjectId, Spec } from './spec.js';
import { SpecObjectTable } from './object-table.js';
import { NameOrder } from './name-order.js';

export { compareUtf8 } from './name-order.js';

/**
 * The final order as a permutation: `order[newId] = oldId`.
 *
 * Objects with a paddr come first, by ascending paddr; then (and among equal
 * paddrs) by physical size bits descending, then by name bytewise. Upstream
 * panics on two objects with the same name; we break that tie by the original
 * id so the result stays deterministic and every object keeps its identity.
 */
export function finalObjectOrder(spec: Spec, sizes: ObjectSizes): Uint32Array {
  const objects = spec.objects;
  const count = objects.length;
  const paddrs: (bigint | null)[] = new Array(count);
  const sizeBits = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    paddrs[i] = objects.paddr(i);
    sizeBits[i] = physicalSizeBits(objects.object(i), sizes);
  }
  // Names compare without making the compact frames' names (see NameOrder).
  const names = new NameOrder(objects);
  const order = Array.from({ length: count }, (_, i) => i);
  order.sort((a, b) => {
    const pa = paddrs[a];
    const pb = paddrs[b];
    if (pa !== null || pb !== null) {
      if (pa === null) return 1;
      if (pb === null) return -1;
      if (pa !== pb) return pa < pb ? -1 : 1;
    }
    const bySize = sizeBits[b] - sizeBits[a];
    if (bySize !== 0) return bySize;
    const byName = names.compare(a, b);
    if (byName !== 0) return byName;
    return a - b;
  });
  return Uint32Array.from(order);
}

/**
 * The final order (`order[newId] = oldId`) and its inverse. `untyped_covers`
 * and `cached_orig_cap_slots` index objects by position and are produced
 * after this step, so a spec that already has them is refused.
 */
function renumbering(spec: Spec, sizes: ObjectSizes): { order: Uint32Array; newIdOf: Uint32Array } {
  if (spec.untypedCovers.length > 0 || spec.cachedOrigCapSlots !== null) {
    throw new Error('sortAndRenumber: spec already has untyped covers or cached cap slots');
  }
  const order = finalObjectOrder(spec, sizes);
  const newIdOf = new Uint32Array(order.length);
  for (let newId = 0; newId < order.length; newId++) newIdOf[order[newId]] = newId;
  return { order, newIdOf };
}

function remapSlots(slots: readonly CapTableEntry[], newIdOf: Uint32Array, owner: string): CapTableEntry[] {
  return slots.map((entry) => {
    const old = entry.cap.object;
    if (!(old >= 0 && old < newIdOf.length)) {
      throw new Error(`capDL spec: cap in slot ${entry.slot} of '${owner}' refers to missing object ${old}`);
    }
    return { slot: entry.slot, cap: { ...entry.cap, object: newIdOf[old] } };
  });
}

function withSlots(object: CapdlObject, slots: CapTableEntry[]): CapdlObject {
  return { ...object, slots } as CapdlObject;
}

/**
 * Reorder the spec's objects into the final order and renumber every
 * reference (cap objects, IRQ handlers, ASID slots); then sort IRQ entries by
 * number and CNode slots by slot, as upstream does for readability.
 *
 * The input is not modified. Objects without a cap table (frames, the bulk of
 * a large spec) are shared between input and output rather than copied.
 * `untyped_covers` and `cached_orig_cap_slots` index objects by position and
 * are produced after this step, so a spec that already has them is refused.
 */
export function sortAndRenumber(spec: Spec, sizes: ObjectSizes): Spec {
  const { order, newIdOf } = renumbering(spec, sizes);
  const count = order.length;
  const renumber = (id: ObjectId, what: string): ObjectId => {
    if (!(id >= 0 && id < count)) throw new Error(`capDL spec: ${what} refers to missing object ${id}`);
    return newIdOf[id];
  };

  const objects = new SpecObjectTable();
  for (let newId = 0; newId < count; newId++) {
    const named = spec.objects.get(order[newId]);
    const slots = objectSlots(named.object);
    if (slots === null) {
      objects.push(named.name, named.object);
      continue;
    }
    const remapped = remapSlots(slots, newIdOf, named.name);
    // Only CNode tables are sorted upstream; TCB slots keep insertion order,
    // which the report shows.
    if (named.object.type === 'CNode') remapped.sort((x, y) => x.slot - y.slot);
    objects.push(named.name, withSlots(named.object, remapped));
  }

  const irqs = spec.irqs
    .map((irq) => ({ irq: irq.irq, handler: renumber(irq.handler, `IRQ ${irq.irq}`) }))
    .sort((x, y) => (x.irq < y.irq ? -1 : x.irq > y.irq ? 1 : 0));

  return {
    ...spec,
    objects,
    irqs,
    domainSchedule: spec.domainSchedule === null ? null : spec.domainSchedule.slice(),
    asidSlots: spec.asidSlots.map((id) => renumber(id, 'ASID slot')),
    rootObjects: { ...spec.rootObjects },
    untypedCovers: [],
  };
}

/**
 * {@link sortAndRenumber} for a spec nobody else holds (the builder's own):
 * reorders and renumbers in place, allocating nothing per cap. Large specs
 * have a cap per mapped page; copying them all doubled the build's garbage.
 * Cap objects shared between tables (a PD's notification cap, bound to its
 * TCB and in its CNode) are renumbered once: a renumbered cap holds
 * `-(newId + 1)` until every table is done (ids are never negative), which
 * marks it without a set of millions of caps.
 */
export function sortAndRenumberInPlace(spec: Spec, sizes: ObjectSizes): Spec {
  const count = spec.objects.length;
  // Every reference is checked first, so a negative id below can only be a mark.
  const table = spec.objects instanceof SpecObjectTable ? spec.objects : null;
  for (let id = 0; id < count; id++) {
    const records = table?.capRecords(id);
    if (records) {
      const bad = records.dangling(count);
      if (bad >= 0) {
        throw new Error(`capDL spec: cap in slot ${records.slot(bad)} of '${spec.objects.name(id)}' refers to missing object ${records.object(bad)}`);
      }
      continue;
    }
    for (const entry of objectSlots(spec.objects.object(id)) ?? []) {
      const old = entry.cap.object;
      if (!(old >= 0 && old < count && Number.isInteger(old))) {
        throw new Error(`capDL spec: cap in slot ${entry.slot} of '${spec.objects.name(id)}' refers to missing object ${old}`);
      }
    }
  }
  const { order, newIdOf } = renumbering(spec, sizes);
  spec.objects.reorder(order);
  const objects = spec.objects;
  for (let newId = 0; newId < count; newId++) {
    const records = table?.capRecords(newId);
    if (records) {
      records.renumber(newIdOf);
      continue;
    }
    const object = objects.object(newId);
    const slots = objectSlots(object);
    if (slots === null) continue;
    for (const entry of slots) {
      const cap = entry.cap;
      if (cap.object >= 0) cap.object = -newIdOf[cap.object] - 1;
    }
    if (object.type === 'CNode') slots.sort((x, y) => x.slot - y.slot);
  }
  for (let id = 0; id < count; id++) {
    if (table?.capRecords(id)) continue;
    const slots = objectSlots(objects.object(id));
    if (slots === null) continue;
    for (const entry of slots) {
      const cap = entry.cap;
      if (cap.object < 0) cap.object = -cap.object - 1;
    }
  }
  for (const irq of spec.irqs) irq.handler = newIdOf[irq.handler];
  spec.irqs.sort((x, y) => (x.irq < y.irq ? -1 : x.irq > y.irq ? 1 : 0));
  spec.asidSlots = spec.asidSlots.map((id) => newIdOf[id]);
  return spec;
}
