/** S18: IO maps use 4 KiB pages, then upstream's map rules per device under the 39-bit IOVA limit. */
import { sdfUnlocatedError } from '../../core/sdf/errors.js';
import type { SystemDescription } from '../../core/sdf/model.js';
import { checkMaps, regionsByName, type MapFlavour } from '../../core/sdf/validate/map-checks.js';
import { MAX_IOVA } from './parse.js';

const IO_MAP_FLAVOUR: MapFlavour = { element: 'iomap', addrName: 'iovaddr', rangeName: 'io address range' };

export function checkIoMaps(system: SystemDescription): void {
  const spaces = system.ioAddressSpaces ?? [];
  const regions = regionsByName(system.memoryRegions);
  for (const space of spaces) {
    for (const map of space.maps) {
      const mr = regions.get(map.mr);
      if (mr !== undefined && mr.pageSize !== 0x1000n) {
        throw sdfUnlocatedError('SDF_IOMMU_LARGE_PAGE', 'Error: currently seL4 does not have large page support for the IOMMU', map.location);
      }
    }
  }
  // Upstream visits devices in HashMap order; we use document order.
  for (const space of spaces) {
    const maps = space.maps.map((m) => ({ mr: m.mr, addr: m.iovaddr, location: m.location }));
    checkMaps(maps, regions, IO_MAP_FLAVOUR, space.device.display, MAX_IOVA + 1n);
  }
}
