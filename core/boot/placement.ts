/**
 * Physical placement decisions the tool makes itself (upstream: main.rs,
 * inside the build iteration loop): where the loader puts the initial task
 * (the capDL initialiser), and which physical address each memory region
 * named by a `<setvar region_paddr>` but given no `phys_addr` gets.
 */
import type { MicrokitError } from '../errors/microkit-error.js';
import type { PhysicalRange } from '../kernel/config.js';
import { roundDown, roundUp } from '../util/bigint.js';
import { humanSizeStrict } from '../util/human-size.js';
import type { PartialBoot, Untyped } from './kernel-boot.js';
import { DisjointRegions } from './memory-regions.js';
import { initialiserPlacementFailed, mrAutoPlacementFailed } from './errors.js';

/** The initialiser's footprint is rounded up to this (upstream INITIALISER_GRANULE_SIZE). */
export const INITIALISER_GRANULE_SIZE = 0x1000n;

function hex12(x: bigint): string {
  return x.toString(16).padStart(12, '0');
}

/**
 * The initialiser's virtual footprint: from its lowest loadable vaddr to its
 * highest loadable end rounded up to 4 KiB (upstream `image_bound`).
 */
export function initialiserVirtualRegion(lowestVaddr: bigint, highestVaddrEnd: bigint): PhysicalRange {
  return { start: lowestVaddr, end: roundUp(highestVaddrEnd, INITIALISER_GRANULE_SIZE) };
}

/**
 * Physical base of the initialiser: the start of the first free normal
 * region that begins at or above the end of the kernel boot region (the
 * kernel requires the initial task above its own image) and is at least
 * `size` bytes long; no alignment beyond the regions' own. Throws B9.
 */
export function placeInitialiser(partial: PartialBoot, size: bigint): bigint {
  const base = partial.normalMemory.clone().allocateFrom(size, partial.bootRegion.end);
  if (base !== undefined) return base;
  const lines = [
    `ERROR: cannot allocate memory for the initialiser, contiguous physical memory region of size ${humanSizeStrict(size)} not found`,
    'ERROR: physical memory regions the initialiser can be placed at:',
  ];
  // Upstream lists every free normal region, including those below the bound.
  for (const r of partial.normalMemory.toArray()) {
    lines.push(`       [0x${hex12(r.start)}..0x${hex12(r.end)}), size: ${humanSizeStrict(r.end - r.start)}`);
  }
  throw initialiserPlacementFailed(lines);
}

/** A memory region with a `phys_addr` given in the SDF. */
export interface FixedRegion {
  readonly paddr: bigint;
  readonly size: bigint;
}

/** A memory region the tool must place (subject of `<setvar region_paddr>`, no `phys_addr`). */
export interface AutoPlaceRequest {
  readonly name: string;
  readonly size: bigint;
  /** Alignment of the placement: the region's page size. */
  readonly pageSize: bigint;
}

/**
 * Normal memory still free once the initialiser runs: the normal untypeds
 * (in cap order) that can hold at least one page, minus the fixed-address
 * regions that lie wholly inside it (regions in device memory are skipped).
 *
 * Upstream computes the page-rounded bounds of each untyped but then inserts
 * the untyped's exact bounds; only the "holds a page" test uses the rounded
 * ones. Kept, since it decides the addresses chosen.
 */
export function availableUserMemory(untypeds: readonly Untyped[], fixed: Iterable<FixedRegion>, minimumPageSize: bigint): DisjointRegions {
  const free = new DisjointRegions();
  for (const ut of untypeds) {
    if (ut.isDevice) continue;
    if (roundDown(ut.end, minimumPageSize) > roundUp(ut.start, minimumPageSize)) free.insert(ut.start, ut.end);
  }
  for (const mr of fixed) {
    const end = mr.paddr + mr.size;
    if (free.contains(mr.paddr, end)) free.remove(mr.paddr, end);
  }
  return free;
}

/**
 * Choose a physical address for each request, in order: first fit, lowest
 * address first, aligned to the request's page size, from `available`
 * (which is not modified). Returns the addresses in request order; throws
 * B11 for the first request that does not fit.
 */
export function autoPlaceRegions(available: DisjointRegions, requests: readonly AutoPlaceRequest[]): bigint[] {
  const free = available.clone();
  const placed: bigint[] = [];
  for (const mr of requests) {
    const paddr = free.allocate(mr.size, mr.pageSize);
    if (paddr === undefined) throw autoPlaceError(mr, requests, placed, free);
    placed.push(paddr);
  }
  return placed;
}

function autoPlaceError(mr: AutoPlaceRequest, requests: readonly AutoPlaceRequest[], placed: readonly bigint[], free: DisjointRegions): MicrokitError {
  const lines = [
    `ERROR: cannot auto-select a physical address for MR ${mr.name} because there are no contiguous memory region of sufficient size.`,
    `ERROR: MR ${mr.name} needs to be physically contiguous as it is a subject of a setvar region_paddr.`,
  ];
  if (placed.length > 0) {
    lines.push('Previously auto-allocated memory regions:');
    for (let i = 0; i < placed.length; i++) {
      lines.push(`name = '${requests[i].name}', paddr = 0x${hex12(placed[i])}, size = 0x${hex12(requests[i].size)}`);
    }
  }
  lines.push('available physical memory regions:');
  for (const r of free.toArray()) {
    lines.push(`[0x${hex12(r.start)}..0x${hex12(r.end)}), size: ${humanSizeStrict(r.end - r.start)}`);
  }
  return mrAutoPlacementFailed(lines);
}
