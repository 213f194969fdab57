/** The AddressSpaceGeometry of a CPU page-table tree (VSpace or EPT), from the architecture's numbers. */
import type { CapdlObject } from '../spec.js';
import type { AddressSpaceGeometry } from './address-space.js';

export interface PageTableShape {
  readonly levels: number;
  readonly rootLevel: number;
  readonly pageBits: number;
  indexBits(level: number): number;
  /** Table names by level (e.g. AArch64 pgd, pud, pd, pt). */
  readonly levelNames: readonly string[];
  /** x86 EPT tables (a VM's guest-physical space). */
  readonly ept?: boolean;
}

export function pageTableGeometry(shape: PageTableShape): AddressSpaceGeometry {
  const ept = shape.ept ?? false;
  return {
    levels: shape.levels,
    rootLevel: shape.rootLevel,
    pageBits: shape.pageBits,
    indexBits: (level) => shape.indexBits(level),
    levelName: (level) => shape.levelNames[level],
    addrLabel: 'vaddr',
    makeTable: (level): CapdlObject => ({ type: 'PageTable', x86Ept: ept, isRoot: false, level, slots: [] }),
    tableCapType: 'PageTable',
    validAt: (object) => object.type === 'PageTable',
  };
}

/** The root table of a page-table tree. */
export function rootPageTable(shape: PageTableShape): CapdlObject {
  return { type: 'PageTable', x86Ept: shape.ept ?? false, isRoot: true, level: shape.rootLevel, slots: [] };
}
