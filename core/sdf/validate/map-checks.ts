/**
 * Upstream's check_maps (S17): every map of one address space, in order:
 * the region exists, the address is aligned to its page size, the range
 * does not overflow or leave the address space, and no two maps overlap.
 * Shared by PD maps, VM maps and (through the IOMMU plugin) IO maps.
 */
import { U64_MAX } from '../../util/bigint.js';
import type { SourceLocation } from '../location.js';
import type { MemoryRegion } from '../model.js';
import { sdfMapMisaligned, sdfMapOutOfRange, sdfMapOverflow, sdfMapOverlap, sdfUnknownMapRegion, type AddressMap, type MapFlavour } from './errors.js';

export type { AddressMap, MapFlavour } from './errors.js';

export const PD_MAP_FLAVOUR: MapFlavour = { element: 'map', addrName: 'vaddr', rangeName: 'virtual address range' };

/**
 * @param addressSpace as upstream names it in overlap messages, e.g. `protection domain 'x'`.
 * @param maxEnd first invalid address.
 */
export function checkMaps(
  maps: Iterable<AddressMap>,
  regions: ReadonlyMap<string, MemoryRegion>,
  flavour: MapFlavour,
  addressSpace: string,
  maxEnd: bigint,
): void {
  // The maps checked so far are disjoint (an overlap throws), kept sorted by start: an overlap is found by
  // binary search, not by a pass over every earlier map (100k maps took 15 s). Upstream reports the earliest
  // map in document order that overlaps, hence `order`.
  const checked: { mr: string; start: bigint; end: bigint; location: SourceLocation; order: number }[] = [];
  let order = 0;
  for (const map of maps) {
    const mr = regions.get(map.mr);
    if (mr === undefined) throw sdfUnknownMapRegion(map, flavour, regions);
    if (map.addr % mr.pageSize !== 0n) throw sdfMapMisaligned(map, flavour, mr);
    const start = map.addr;
    const end = start + mr.size;
    if (end > U64_MAX) throw sdfMapOverflow(map, flavour);
    if (end > maxEnd) throw sdfMapOutOfRange(map, flavour, start, end, maxEnd);
    // The first checked map that ends after `start`: the only ones that can overlap follow it.
    let lo = 0;
    let hi = checked.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (checked[mid].end > start) hi = mid;
      else lo = mid + 1;
    }
    let first: (typeof checked)[number] | undefined;
    for (let i = lo; i < checked.length && checked[i].start < end; i++) if (first === undefined || checked[i].order < first.order) first = checked[i];
    if (first !== undefined) throw sdfMapOverlap(map, flavour, addressSpace, start, end, first);
    checked.splice(lo, 0, { mr: map.mr, start, end, location: map.location, order: order++ });
  }
}

/** First definition wins, as upstream's linear search. */
export function regionsByName(regions: readonly MemoryRegion[]): Map<string, MemoryRegion> {
  const byName = new Map<string, MemoryRegion>();
  for (const mr of regions) if (!byName.has(mr.name)) byName.set(mr.name, mr);
  return byName;
}
