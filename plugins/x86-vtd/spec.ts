/** VT-d IO spaces in the spec: one IOSpace per device, its spare IOPTs, and the IO maps. */
import { AddressSpace } from '../../core/capdl/construct/address-space.js';
import type { SpecContext } from '../../core/capdl/construct/hooks.js';
import { PERM_READ, PERM_WRITE } from '../../core/sdf/model.js';
import '../iommu/model.js';
import { CAPDL_NUM_IOPT_LEVELS, ioptLevelName, vtdGeometry } from './geometry.js';

/**
 * How many IOPT levels the machines the image boots on have: 'auto' (any
 * from 3 to 6, upstream's spec: three spare tables per device) or a known
 * maximum (only the spares that machine needs).
 */
export type IommuLevels = 'auto' | 3 | 4 | 5 | 6;

export function spareTables(levels: IommuLevels): number {
  return levels === 'auto' ? 3 : levels - CAPDL_NUM_IOPT_LEVELS;
}

export function buildIoSpaces(ctx: SpecContext, levels: IommuLevels): void {
  const spaces = ctx.system.ioAddressSpaces ?? [];
  if (spaces.length === 0) return;
  const indexBits = ctx.kernel.addressSpace.ioPageTableIndexBits;
  if (indexBits === undefined) throw new Error('internal error: VT-d kernel without io_page_table_index_bits');
  const geometry = vtdGeometry(indexBits, ctx.kernel.objectSizes?.smallPage ?? 12);
  for (const space of spaces) {
    // Upstream creates IOSpaces per <iomap>: a space without one has nothing in the spec.
    if (space.maps.length === 0) continue;
    const { bus, device, function: fn } = space.device.fields;
    const root = ctx.builder.add(`${ioptLevelName(0)}_${space.name}`, {
      type: 'IOSpace',
      slots: [],
      domainId: space.domainId ?? 0n,
      pciDevice: { bus, device, function: fn },
    });
    const as = new AddressSpace(space.name, root, geometry, ctx.builder);
    for (let i = 0; i < spareTables(levels); i++) {
      const slot = 1 + i;
      const spare = ctx.builder.add(`${ioptLevelName(1)}_${space.name}_spare_${slot}`, geometry.makeTable(1));
      as.insertIntoRoot(slot, { type: 'IOPageTable', object: spare });
    }
    for (const map of space.maps) {
      ctx.mapRegion(as, {
        mr: map.mr,
        addr: map.iovaddr,
        read: (map.perms & PERM_READ) !== 0,
        write: (map.perms & PERM_WRITE) !== 0,
        execute: false,
        cached: false,
        element: 'iomap',
        addrName: 'iovaddr',
      });
    }
  }
}
