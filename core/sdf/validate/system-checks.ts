/**
 * Whole-system rules (upstream S5–S24), each a named function over the
 * parsed model. The validate stage runs them in upstream's order; plugins
 * insert their own rules between them by stage number (VALIDATE_STAGES).
 */
import type { ArchSupport } from '../../arch.js';
import { pdMapMaxVaddr, vmMapMaxVaddr, type KernelConfig } from '../../kernel/config.js';
import { hex } from '../../util/bigint.js';
import { sdfErrorAt, sdfUnlocatedError } from '../errors.js';
import { formatLocation, type SourceLocation } from '../location.js';
import type { CapMap, MemoryRegion, SystemDescription } from '../model.js';
import { recover, type DiagnosticSink } from '../../diagnostics/sink.js';
import { MicrokitError } from '../../errors/microkit-error.js';
import { checkMaps, PD_MAP_FLAVOUR, regionsByName } from './map-checks.js';

export const MAX_PDS = 63;
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
});

/** S5, S6. */
export function checkPdCount(system: SystemDescription): void {
  const n = system.protectionDomains.length;
  if (n === 0) throw sdfUnlocatedError('SDF_NO_PDS', 'Error: at least one protection domain must be defined', system.location);
  if (n > MAX_PDS) {
    throw sdfUnlocatedError('SDF_TOO_MANY_PDS', `Error: too many protection domains (${n}) defined. Maximum is ${MAX_PDS}.`, system.location);
  }
}

/** S7: unique names, and `monitor` is the monitor's. */
export function checkPdNames(system: SystemDescription, sink?: DiagnosticSink): void {
  const pds = system.protectionDomains;
  for (const pd of pds) recover(sink, () => {
    const same = pds.filter((x) => x.name === pd.name);
    if (same.length > 1) {
      throw sdfUnlocatedError('SDF_DUPLICATE_PD_NAME', `Error: duplicate protection domain name '${pd.name}'.`, same[1].location, {
        attribute: 'name',
        related: [{ location: same[0].location, attribute: 'name', label: `'${pd.name}' is first defined here` }],
      });
    }
    if (pd.name === MONITOR_PD_NAME) {
      throw sdfUnlocatedError('SDF_RESERVED_PD_NAME', "Error: the PD name 'monitor' is reserved for the Microkit Monitor.", pd.location, { attribute: 'name' });
    }
  });
}

/** S8. */
export function checkMemoryRegionNames(system: SystemDescription, sink?: DiagnosticSink): void {
  const seen = new Map<string, MemoryRegion>();
  for (const mr of system.memoryRegions) recover(sink, () => {
    const first = seen.get(mr.name);
    if (first !== undefined) {
      throw sdfUnlocatedError('SDF_DUPLICATE_MR_NAME', `Error: duplicate memory region name '${mr.name}'.`, mr.location, {
        attribute: 'name',
        related: [{ location: first.location, attribute: 'name', label: `'${mr.name}' is first defined here` }],
      });
    }
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
      if (first !== undefined) {
        throw sdfUnlocatedError('SDF_DUPLICATE_VM_NAME', `Error: duplicate virtual machine name '${vm.name}'.`, vm.location, {
          attribute: 'name',
          related: [{ location: first, attribute: 'name', label: `'${vm.name}' is first defined here` }],
        });
      }
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
        if (first !== undefined) {
          // Upstream's message names the PD; the span is the <irq> itself.
          throw new MicrokitError('SDF_DUPLICATE_IRQ', `Error: duplicate irq: ${irq.number} in protection domain: '${pd.name}' @ ${formatLocation(pd.location)}`, {
            location: irq.location,
            label: `IRQ ${irq.number} again`,
            related: [{ location: first, label: `IRQ ${irq.number} is first claimed here` }],
          });
        }
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
  const duplicate = (pdIndex: number, id: bigint, at: SourceLocation): MicrokitError => {
    const first = firstUse[pdIndex].get(id);
    return sdfErrorAt('SDF_DUPLICATE_CHANNEL_ID', `duplicate channel id: ${id} in protection domain: '${pds[pdIndex].name}'`, pds[pdIndex].location, {
      related: [
        { location: at, attribute: 'id', label: `id ${id} used again` },
        ...(first ? [{ location: first, attribute: 'id', label: `id ${id} is first used here` }] : []),
      ],
      help: ['IRQ ids and channel-end ids of a PD share one namespace (0..61)'],
    });
  };
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
      if (caller.pp && from.priority >= to.priority) {
        throw sdfUnlocatedError(
          'SDF_PPC_PRIORITY',
          `Error: PPCs must be to protection domains of strictly higher priorities; channel with PPC exists from pd ${from.name} (priority: ${from.priority}) to pd ${to.name} (priority: ${to.priority})`,
          ch.location,
        );
      }
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

const CAP_TYPE_NAMES: Record<CapMap['type'], string> = { tcb: 'Tcb', sc: 'Sc', vspace: 'VSpace' };

/**
 * S19: no two cap maps into the same slot of a PD. Upstream walks a HashMap,
 * so which clash it reports varies; we report the first slot in document
 * order.
 */
export function checkCapMaps(system: SystemDescription, sink?: DiagnosticSink): void {
  for (const pd of system.protectionDomains) recover(sink, () => {
    const bySlot = new Map<bigint, CapMap[]>();
    for (const m of pd.capMaps) {
      const list = bySlot.get(m.slot);
      if (list) list.push(m);
      else bySlot.set(m.slot, [m]);
    }
    for (const [slot, maps] of bySlot) {
      if (maps.length < 2) continue;
      const lines = maps.map((m) => `\n  type ${CAP_TYPE_NAMES[m.type]} from '${m.pdName}' at '${formatLocation(m.location)}'`).join('');
      throw new MicrokitError('SDF_OVERLAPPING_CAP_MAPS', `Error: overlapping user caps in slot ${slot} of protection domain '${pd.name}':${lines}`, {
        location: maps[1].location,
        attribute: 'slot',
        related: [{ location: maps[0].location, attribute: 'slot', label: `slot ${slot} is first used here` }],
      });
    }
  });
}

/** S20: regions with fixed physical addresses do not overlap. */
export function checkMemoryRegionPaddrs(system: SystemDescription, sink?: DiagnosticSink): void {
  const checked: { mr: MemoryRegion; start: bigint; end: bigint }[] = [];
  for (const mr of system.memoryRegions) recover(sink, () => {
    if (mr.physAddr.kind !== 'specified') return;
    const start = mr.physAddr.paddr;
    const end = start + mr.size;
    for (const other of checked) {
      if (start < other.end && end > other.start) {
        throw sdfErrorAt(
          'SDF_OVERLAPPING_PADDRS',
          `memory region '${mr.name}' physical address range [${hex(start)}..${hex(end)}) overlaps with another memory region '${other.mr.name}' [${hex(other.start)}..${hex(other.end)})`,
          mr.location,
          {
            attribute: 'phys_addr',
            label: `[${hex(start)}..${hex(end)})`,
            related: [{ location: other.mr.location, attribute: 'phys_addr', label: `'${other.mr.name}' is at [${hex(other.start)}..${hex(other.end)})` }],
          },
        );
      }
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

export function sdfUnusedMemoryRegion(mr: MemoryRegion): MicrokitError {
  return new MicrokitError('SDF_UNUSED_MEMORY_REGION', `WARNING: unused memory region '${mr.name}'`, {
    severity: 'warning',
    location: mr.location,
    attribute: 'name',
    label: 'no protection domain or virtual machine maps it',
    help: ['map it with <map mr="…" vaddr="…"/> in a protection domain, or remove it'],
  });
}

/** S23: `setvar_prefill_size` needs a region prefilled from a file. */
export function checkPrefillSizeSetVars(system: SystemDescription): void {
  for (const pd of system.protectionDomains) {
    for (const sv of pd.setvars) {
      if (sv.value.type !== 'mr_prefill_size') continue;
      const mrName = sv.value.mr;
      for (const mr of system.memoryRegions) {
        if (mr.name === mrName && mr.prefill?.kind !== 'file') {
          throw memoryRegionError('SDF_PREFILL_SIZE_WITHOUT_PREFILL', "'setvar_prefill_size' used for MR without a `prefill_path`", mr);
        }
      }
    }
  }
}

/** Upstream's `Error: <msg> @ '<mr>' <loc>` shape. */
export function memoryRegionError(code: string, msg: string, mr: MemoryRegion): MicrokitError {
  return new MicrokitError(code, `Error: ${msg} @ '${mr.name}' ${formatLocation(mr.location)}`, { location: mr.location });
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
        throw sdfErrorAt('SDF_UNKNOWN_MEMORY_REGION', `setvar on symbol '${sv.symbol}' names an unknown memory region '${sv.value.mr}' in 'region_paddr'`, sv.location);
      }
    }
  }
  for (const mr of regionsNeedingPaddr(system)) mr.physAddr = { kind: 'tool' };
}
