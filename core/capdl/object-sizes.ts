/**
 * How much physical memory a spec object takes, in bits, as upstream's
 * `capdl_obj_physical_size_bits` computes it. The final object sort, the
 * allocation simulation and the report all key off this number.
 */

import type { ObjectSizes } from '../kernel/config.js';
import type { CapdlObject } from './spec.js';

/** seL4_SlotBits: a CNode of 2^n slots takes 2^(n + 5) bytes. */
export const CNODE_SLOT_BITS = 5;

function required(value: number | undefined, what: string): number {
  // Upstream unwraps here: asking for a VCPU size on RISC-V or an IO page
  // table size without an IOMMU is a builder bug, not a user error.
  if (value === undefined) throw new Error(`object sizes: no ${what} size for this kernel`);
  return value;
}

/**
 * Physical size bits of `object`; 0 for objects the initialiser does not
 * retype from untyped memory (IRQs, I/O ports, IOSpaces, SMC, untypeds...).
 * A root page table is sized as a VSpace (`sizes.vspace`), which differs from
 * an ordinary page table on AArch64 stage-2 roots (13 vs 12 bits).
 */
export function physicalSizeBits(object: CapdlObject, sizes: ObjectSizes): number {
  switch (object.type) {
    case 'Endpoint':
      return sizes.endpoint;
    case 'Notification':
      return sizes.notification;
    case 'CNode':
      return object.sizeBits + CNODE_SLOT_BITS;
    case 'Tcb':
      return sizes.tcb;
    case 'VCpu':
      return required(sizes.vcpu, 'VCPU');
    case 'Frame':
      return object.sizeBits;
    case 'PageTable':
      return object.isRoot ? sizes.vspace : sizes.pageTable;
    case 'AsidPool':
      return sizes.asidPool;
    case 'IOPageTable':
      return required(sizes.ioPageTable, 'IO page table');
    case 'SchedContext':
      return object.sizeBits;
    case 'Reply':
      return sizes.reply;
    default:
      return 0;
  }
}
