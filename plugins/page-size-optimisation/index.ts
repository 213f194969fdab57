/**
 * Page-size optimisation, as upstream: a memory region whose page size the
 * SDF leaves open, that no IO map uses, is promoted from 4 KiB to 2 MiB
 * pages when its size is a multiple of 2 MiB and every address it is mapped
 * at (PD and VM maps) and its fixed physical address are 2 MiB-aligned.
 * Fewer frames and no leaf page tables. Turn it off by leaving this plugin
 * out (`plugins` in microkit.config.ts, or a preset without it).
 */
import { definePlugin } from '../../core/plugin.js';
import { pageSizes } from '../../core/kernel/config.js';
import type { SystemDescription } from '../../core/sdf/model.js';
import '../iommu/model.js';

/**
 * The largest supported page size dividing the size that every address is
 * aligned to. (Upstream's loop would settle on the smallest qualifying size
 * if there were more than two; with 4 KiB and 2 MiB the results agree.)
 */
export function optimalPageSize(size: bigint, addresses: readonly bigint[], sizes: readonly bigint[]): bigint {
  for (let i = sizes.length - 1; i >= 0; i--) {
    const p = sizes[i];
    if (size % p === 0n && addresses.every((a) => a % p === 0n)) return p;
  }
  return sizes[0];
}

export function optimisePageSizes(system: SystemDescription, sizes: readonly bigint[]): void {
  const ioMapped = new Set((system.ioAddressSpaces ?? []).flatMap((s) => s.maps.map((m) => m.mr)));
  const addresses = new Map<string, bigint[]>();
  for (const pd of system.protectionDomains) {
    for (const m of [...pd.maps, ...(pd.virtualMachine?.maps ?? [])]) {
      const list = addresses.get(m.mr);
      if (list) list.push(m.vaddr);
      else addresses.set(m.mr, [m.vaddr]);
    }
  }
  for (const mr of system.memoryRegions) {
    if (mr.pageSizeSpecified || ioMapped.has(mr.name)) continue;
    const addrs = [...(addresses.get(mr.name) ?? [])];
    if (mr.physAddr.kind === 'specified') addrs.push(mr.physAddr.paddr);
    const best = optimalPageSize(mr.size, addrs, sizes);
    if (best > mr.pageSize) mr.pageSize = best;
  }
}

export const pageSizeOptimisation = definePlugin(() => ({
  name: 'page-size-optimisation',
  apply(pipeline) {
    // First in allocate: every later stage sees the final page sizes.
    pipeline.hooks.allocate.tap({ name: 'page-size-optimisation', stage: -100 }, (build, ctx) => {
      optimisePageSizes(build.system, pageSizes(ctx.kernel));
    });
  },
}));
