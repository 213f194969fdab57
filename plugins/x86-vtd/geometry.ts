/**
 * The IO page-table tree of a VT-d IO space, as the capDL initialiser
 * expects it: level 0 is the IOSpace object, whose slot 0 holds the root of
 * a fixed 3-level IOPT tree covering IO addresses [0, 2^39); 4 KiB pages sit
 * in the last level. Slots 1.. of the IOSpace hold spare level-0 IOPTs that
 * the initialiser maps above the tree when the hardware has more levels.
 */
import type { CapdlObject } from '../../core/capdl/spec.js';
import type { AddressSpaceGeometry } from '../../core/capdl/construct/address-space.js';

/** IOPT levels the spec describes (rust-sel4 CAPDL_NUM_IOPT_LEVELS). */
export const CAPDL_NUM_IOPT_LEVELS = 3;
/** The deepest IOPT tree seL4 reports (rust-sel4 MAX_RUNTIME_NUM_LEVELS). */
export const MAX_RUNTIME_NUM_LEVELS = 6;
/** The IOSpace slot holding the tree's root. */
export const IOSPACE_ROOT_IOPT_SLOT = 0;

export function ioptLevelName(level: number): string {
  return level === 0 ? 'iospace' : `iopt_level_${level - 1}`;
}

export function vtdGeometry(ioPageTableIndexBits: number, pageBits: number): AddressSpaceGeometry {
  return {
    levels: CAPDL_NUM_IOPT_LEVELS + 1,
    rootLevel: 0,
    pageBits,
    indexBits: (level) => (level === 0 ? 0 : ioPageTableIndexBits),
    fixedSlot: { level: 0, slot: IOSPACE_ROOT_IOPT_SLOT },
    levelName: ioptLevelName,
    addrLabel: 'ioaddr',
    makeTable: (level): CapdlObject => ({ type: 'IOPageTable', slots: [], level: BigInt(level - 1) }),
    tableCapType: 'IOPageTable',
    validAt: (object, level) => (level === 0 ? object.type === 'IOSpace' : object.type === 'IOPageTable'),
  };
}
