/**
 * Boot-time memory modelling for ARM and RISC-V: the kernel's boot
 * (untypeds), the initialiser's allocation of spec objects, and the
 * physical placements the tool chooses.
 */
export { DisjointRegions, splitPowerOfTwo } from './memory-regions.js';
export {
  emulateKernelBoot,
  emulateKernelBootPartial,
  kernelImageRegions,
  pagingSpanCount,
  pagingTableCount,
  rootServerAlignBits,
  rootServerSize,
} from './kernel-boot.js';
export type { BootArch, BootInfo, KernelImageRegions, PartialBoot, Untyped } from './kernel-boot.js';
export { ALLOCATION_FAILED_LINE, ObjectPaddrs, allocationError, simulateObjectAllocation } from './allocation.js';
export type { AllocationErrorMode, AllocationResult } from './allocation.js';
export {
  INITIALISER_GRANULE_SIZE,
  autoPlaceRegions,
  availableUserMemory,
  initialiserVirtualRegion,
  placeInitialiser,
} from './placement.js';
export type { AutoPlaceRequest, FixedRegion } from './placement.js';
export * from './arch-facts.js';
