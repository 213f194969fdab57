/**
 * Whole-system rules (upstream S5–S24), each a named function over the
 * parsed model. The validate stage runs them in upstream's order; plugins
 * insert their own rules between them by stage number (VALIDATE_STAGES).
 */
import type { ArchSupport } from '../../arch.js';
import { pdMapMaxVaddr, vmMapMaxVaddr, type KernelConfig } from '../../kernel/config.js';
import type { SourceLocation } from '../location.js';
import type { CapMap, MemoryRegion, ProtectionDomain, SystemDescription } from '../model.js';
import { recover, type DiagnosticSink } from '../../diagnostics/sink.js';
import type { MicrokitError } from '../../errors/microkit-error.js';
import {
  MAX_PDS,
  sdfDuplicateChannelId,
  sdfCapSlotTooLarge,
  sdfChildIdTooLarge,
  sdfEmptyMemoryRegion,
  sdfDuplicateIrq,
  sdfDuplicateMrName,
  sdfDuplicatePdName,
  sdfDuplicateVmName,
  sdfNoProtectionDomains,
  sdfOverlappingCapMaps,
  sdfOverlappingPaddrs,
  sdfPpcPriority,
  sdfPrefillSizeWithoutPrefill,
  sdfReservedPdName,
  sdfTooManyProtectionDomains,
  sdfUnknownRegionPaddr,
  sdfUnusedMemoryRegion,
} from './errors.js';
import { checkMaps, PD_MAP_FLAVOUR, regionsByName } from './map-checks.js';
import { CAP_MAP_MAX_SLOT } from '../parse/cspace.js';
import { CHILD_MAX_ID } from '../parse/protection-domain.js';

export { MAX_PDS, memoryRegionError, sdfUnusedMemoryRegion } from './errors.js';
export const MONITOR_PD_NAME = 'monitor';

/**
 * Stage numbers of the validate hook. Core rules use the named stages;
 * plugins tap between them (e.g. x86 I/O ports at IO_PORTS, IOMMU maps at
 * IO_MAPS) so the first error reported is the one upstream reports first.
 */
export const VALIDATE_STAGES = Object.freeze({
  PD_COUNT: 100,
  PD_NAMES: 200,
  MR_NAMES: 300,
  VIRTUAL_MACHINES: 400,
  IRQ_NUMBERS: 500,
  CHANNEL_IDS: 600,
  IO_PORTS: 700,
  MAPS: 800,
  IO_MAPS: 900,
  CAP_MAPS: 1000,
  MR_PADDRS: 1100,
  UNUSED_MRS: 1200,
  PREFILL_SIZES: 1300,
  REGION_PADDRS: 1400,
  TOOL_LIMITS: 1500,
});

/** S5, S6. */
export function checkPdCount(system: SystemDescription): void {
  const n = system.protectionDomains.length;
  if (n === 0) throw sdfNoProtectionDomains(system);
  if (n > MAX_PDS) throw sdfTooManyProtectionDomains(system, n);
}

/** S7: unique names, and `monitor` is the monitor's. */
export function checkPdNames(system: SystemDescription, sink?: DiagnosticSink): void {
  const pds = system.protectionDomains;
  // The first two PDs of each name, found once: a search per PD is quadratic (100k PDs took minutes).
  const firstTwo = new Map<string, ProtectionDomain[]>();
  for (const pd of pds) {
    const same = firstTwo.get(pd.name);
    if (same === undefined) firstTwo.set(pd.name, [pd]);
    else if (same.length < 2) same.push(pd);
  }
  for (const pd of pds)
    recover(sink, () => {
      const same = firstTwo.get(pd.name)!;
      if (same.length > 1) throw sdfDuplicatePdName(same[1], same[0]);
      if (pd.name === MONITOR_PD_NAME) throw sdfReservedPdName(pd);
    });
}

/** S8. */
export function checkMemoryRegionNames(system: SystemDescription, sink?: DiagnosticSink): void {
  const seen = new Map<string, MemoryRegion>();
  for (const mr of system.memoryRegions)
    recover(sink, () => {
      const first = seen.get(mr.name);
      if (first !== undefined) throw sdfDuplicateMrName(mr, first);
      seen.set(mr.name, mr);
    });
}

/** S9 (unique VM names), interleaved per PD with the architecture's VMM rule (S10). */
export function checkVirtualMachines(system: SystemDescription, kernel: KernelConfig, arch: ArchSupport): void {
  const names = new Map<string, SourceLocation>();
  for (const pd of system.protectionDomains) {
    const vm = pd.virtualMachine;
    if (vm !== undefined) {
      const first = names.get(vm.name);
      if (first !== undefined) throw sdfDuplicateVmName(vm, first);
      names.set(vm.name, vm.location);
      arch.vm?.checkVmm?.(pd, system, kernel);
    }
  }
}

/** S11: IRQ numbers are unique across the system (on x86 the number is the vector). */
export function checkIrqNumbers(system: SystemDescription, sink?: DiagnosticSink): void {
  const seen = new Map<bigint, SourceLocation>();
  for (const pd of system.protectionDomains) {
    for (const irq of pd.irqs) {
      recover(sink, () => {
        const first = seen.get(irq.number);
        if (first !== undefined) throw sdfDuplicateIrq(pd, irq, first);
        seen.set(irq.number, irq.location);
      });
    }
  }
}

/**
 * S12–S14, channel by channel as upstream: a PD's IRQ ids and channel-end
 * ids share one namespace; PPC goes to strictly higher priority; then the
 * architecture's channel rule.
 */
export function checkChannels(system: SystemDescription, kernel: KernelConfig, arch: ArchSupport): void {
  const pds = system.protectionDomains;
  const ids = pds.map(() => new Set<bigint>());
  // Where each id of each PD was first used, for the related span of a duplicate.
  const firstUse = pds.map(() => new Map<bigint, SourceLocation>());
  const duplicate = (pdIndex: number, id: bigint, at: SourceLocation): MicrokitError => sdfDuplicateChannelId(pds[pdIndex], id, at, firstUse[pdIndex].get(id));
  const use = (pdIndex: number, id: bigint, at: SourceLocation): void => {
    ids[pdIndex].add(id);
    if (!firstUse[pdIndex].has(id)) firstUse[pdIndex].set(id, at);
  };
  for (const pd of pds) {
    for (const irq of pd.irqs) {
      if (ids[pd.index].has(irq.id)) throw duplicate(pd.index, irq.id, irq.location);
      use(pd.index, irq.id, irq.location);
    }
  }
  for (const ch of system.channels) {
    if (ids[ch.a.pd].has(ch.a.id)) throw duplicate(ch.a.pd, ch.a.id, ch.a.location);
    if (ids[ch.b.pd].has(ch.b.id)) throw duplicate(ch.b.pd, ch.b.id, ch.b.location);
    for (const [caller, callee] of [
      [ch.a, ch.b],
      [ch.b, ch.a],
    ] as const) {
      const from = pds[caller.pd];
      const to = pds[callee.pd];
      if (caller.pp && from.priority >= to.priority) throw sdfPpcPriority(ch, from, to);
    }
    arch.vm?.checkChannel?.(ch, system, kernel);
    use(ch.a.pd, ch.a.id, ch.a.location);
    use(ch.b.pd, ch.b.id, ch.b.location);
  }
}

/** S17: the maps of each PD's address space, then of its VM's. */
export function checkPdMaps(system: SystemDescription, kernel: KernelConfig, sink?: DiagnosticSink): void {
  const regions = regionsByName(system.memoryRegions);
  // Each address space on its own: one stops at its first broken map, the next is still checked.
  for (const pd of system.protectionDomains) {
    const pdMaps = pd.maps.map((m) => ({ mr: m.mr, addr: m.vaddr, location: m.location }));
    recover(sink, () => checkMaps(pdMaps, regions, PD_MAP_FLAVOUR, `protection domain '${pd.name}'`, pdMapMaxVaddr(kernel, pd.stackSize)));
    const vm = pd.virtualMachine;
    if (vm !== undefined) {
      const vmMaps = vm.maps.map((m) => ({ mr: m.mr, addr: m.vaddr, location: m.location }));
      recover(sink, () => checkMaps(vmMaps, regions, PD_MAP_FLAVOUR, `virtual machine '${vm.name}'`, vmMapMaxVaddr(kernel)));
    }
  }
}

/**
 * S19: no two cap maps into the same slot of a PD. Upstream walks a HashMap,
 * so which clash it reports varies; we report the first slot in document
 * order.
 */
export function checkCapMaps(system: SystemDescription, sink?: DiagnosticSink): void {
  for (const pd of system.protectionDomains)
    recover(sink, () => {
      const bySlot = new Map<bigint, CapMap[]>();
      for (const m of pd.capMaps) {
        const list = bySlot.get(m.slot);
        if (list) list.push(m);
        else bySlot.set(m.slot, [m]);
      }
      for (const [slot, maps] of bySlot) {
        if (maps.length < 2) continue;
        throw sdfOverlappingCapMaps(pd, slot, maps);
      }
    });
}

/** S20: regions with fixed physical addresses do not overlap. */
export function checkMemoryRegionPaddrs(system: SystemDescription, sink?: DiagnosticSink): void {
  const checked: { mr: MemoryRegion; start: bigint; end: bigint }[] = [];
  for (const mr of system.memoryRegions)
    recover(sink, () => {
      if (mr.physAddr.kind !== 'specified') return;
      const start = mr.physAddr.paddr;
      const end = start + mr.size;
      for (const other of checked) {
        if (start < other.end && end > other.start) throw sdfOverlappingPaddrs(mr, start, end, other);
      }
      checked.push({ mr, start, end });
    });
}

/** S21: a region no PD or VM maps is worth a warning (IO maps do not count, as upstream). */
export function findUnusedMemoryRegions(system: SystemDescription): string[] {
  return unusedMemoryRegionWarnings(system).map((w) => w.message);
}

/** S21 as diagnostics (code SDF_UNUSED_MEMORY_REGION, located at the region). */
export function unusedMemoryRegionWarnings(system: SystemDescription): MicrokitError[] {
  const used = new Set<string>();
  for (const pd of system.protectionDomains) {
    for (const m of pd.maps) used.add(m.mr);
    for (const m of pd.virtualMachine?.maps ?? []) used.add(m.mr);
  }
  return system.memoryRegions.filter((mr) => !used.has(mr.name)).map((mr) => sdfUnusedMemoryRegion(mr));
}

/** S23: `setvar_prefill_size` needs a region prefilled from a file. */
export function checkPrefillSizeSetVars(system: SystemDescription): void {
  for (const pd of system.protectionDomains) {
    for (const sv of pd.setvars) {
      if (sv.value.type !== 'mr_prefill_size') continue;
      const mrName = sv.value.mr;
      for (const mr of system.memoryRegions) {
        if (mr.name === mrName && mr.prefill?.kind !== 'file') {
          throw sdfPrefillSizeWithoutPrefill(mr);
        }
      }
    }
  }
}

/**
 * What upstream leaves unchecked and then crashes on, or turns into a spec
 * that fails at boot (docs/compat.md): child PD ids above 63, `<cspace>` slots
 * 64..127 of the 64-slot root CNode, memory regions of size 0. Checked last,
 * so that every error upstream reports comes first.
 */
export function checkToolLimits(system: SystemDescription): void {
  for (const pd of system.protectionDomains) {
    if (pd.childId !== undefined && pd.childId > CHILD_MAX_ID) throw sdfChildIdTooLarge(pd, CHILD_MAX_ID);
  }
  for (const pd of system.protectionDomains) {
    for (const map of pd.capMaps) if (map.slot >= CAP_MAP_MAX_SLOT) throw sdfCapSlotTooLarge(map, CAP_MAP_MAX_SLOT);
  }
  const empty = system.memoryRegions.find((mr) => mr.size === 0n);
  if (empty !== undefined) throw sdfEmptyMemoryRegion(empty);
}

/** Regions named by `<setvar region_paddr>` without a `phys_addr`, in region order. */
export function regionsNeedingPaddr(system: SystemDescription): MemoryRegion[] {
  const named = new Set<string>();
  for (const pd of system.protectionDomains) {
    for (const sv of pd.setvars) if (sv.value.type === 'mr_paddr') named.add(sv.value.mr);
  }
  return system.memoryRegions.filter((mr) => named.has(mr.name) && mr.physAddr.kind === 'unspecified');
}

/**
 * S24 (the architecture-neutral part): a `region_paddr` must name a region
 * (upstream crashes later otherwise), and regions without `phys_addr` are
 * marked for the tool to place.
 */
export function markToolPlacedRegions(system: SystemDescription): void {
  const names = new Set(system.memoryRegions.map((mr) => mr.name));
  for (const pd of system.protectionDomains) {
    for (const sv of pd.setvars) {
      if (sv.value.type === 'mr_paddr' && !names.has(sv.value.mr)) {
        throw sdfUnknownRegionPaddr(sv, sv.value.mr, names);
      }
    }
  }
  for (const mr of regionsNeedingPaddr(system)) mr.physAddr = { kind: 'tool' };
}
