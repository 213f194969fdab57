/**
 * Upstream's check_maps (S17): every map of one address space, in order:
 * the region exists, the address is aligned to its page size, the range
 * does not overflow or leave the address space, and no two maps overlap.
 * Shared by PD maps, VM maps and (through the IOMMU plugin) IO maps.
 */
import { U64_MAX, hex } from '../../util/bigint.js';
import { didYouMean } from '../../util/suggest.js';
import { sdfErrorAt } from '../errors.js';
import type { SourceLocation } from '../location.js';
import type { MemoryRegion } from '../model.js';

export interface AddressMap {
  readonly mr: string;
  readonly addr: bigint;
  readonly location: SourceLocation;
}

export interface MapFlavour {
  /** `map` or `iomap`. */
  readonly element: string;
  /** `vaddr` or `iovaddr`. */
  readonly addrName: string;
  /** `virtual address range` or `io address range`. */
  readonly rangeName: string;
}

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
  const checked: { mr: string; start: bigint; end: bigint; location: SourceLocation }[] = [];
  for (const map of maps) {
    const mr = regions.get(map.mr);
    if (mr === undefined) {
      throw sdfErrorAt('SDF_UNKNOWN_MEMORY_REGION', `invalid memory region name '${map.mr}' on '${flavour.element}'`, map.location, {
        attribute: 'mr',
        label: 'no memory region of this name',
        help: [didYouMean(map.mr, regions.keys()) ?? (regions.size > 0 ? `memory regions: ${[...regions.keys()].join(', ')}` : 'the system declares no memory regions')],
      });
    }
    if (map.addr % mr.pageSize !== 0n) {
      throw sdfErrorAt('SDF_MAP_MISALIGNED', `invalid ${flavour.addrName} alignment on '${flavour.element}'`, map.location, {
        attribute: flavour.addrName,
        help: [`'${map.mr}' has page size ${hex(mr.pageSize)}: ${flavour.addrName} must be a multiple of it`],
      });
    }
    const start = map.addr;
    const end = start + mr.size;
    if (end > U64_MAX) {
      throw sdfErrorAt('SDF_MAP_OVERFLOW', `${flavour.element} for '${map.mr}' has address range that overflows`, map.location, { attribute: flavour.addrName });
    }
    if (end > maxEnd) {
      throw sdfErrorAt(
        'SDF_MAP_OUT_OF_RANGE',
        `${flavour.element} for '${map.mr}' has ${flavour.rangeName} [${hex(start)}..${hex(end)}) which exceeds valid address space [0x0..${hex(maxEnd)})`,
        map.location,
        { attribute: flavour.addrName, label: `[${hex(start)}..${hex(end)})` },
      );
    }
    for (const other of checked) {
      if (start < other.end && end > other.start) {
        throw sdfErrorAt(
          'SDF_MAP_OVERLAP',
          `map for '${map.mr}' has ${flavour.rangeName} [${hex(start)}..${hex(end)}) which overlaps with map for '${other.mr}' [${hex(other.start)}..${hex(other.end)}) in ${addressSpace}`,
          map.location,
          {
            attribute: flavour.addrName,
            label: `'${map.mr}' at [${hex(start)}..${hex(end)})`,
            related: [{ location: other.location, attribute: flavour.addrName, label: `overlaps '${other.mr}' at [${hex(other.start)}..${hex(other.end)})` }],
          },
        );
      }
    }
    checked.push({ mr: map.mr, start, end, location: map.location });
  }
}

/** First definition wins, as upstream's linear search. */
export function regionsByName(regions: readonly MemoryRegion[]): Map<string, MemoryRegion> {
  const byName = new Map<string, MemoryRegion>();
  for (const mr of regions) if (!byName.has(mr.name)) byName.set(mr.name, mr);
  return byName;
}
