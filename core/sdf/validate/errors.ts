/**
 * The whole-system rules' diagnostics, one named function per code (the
 * element-level ones are in ../errors.ts): upstream's text first, then the
 * place, related places and help the renderer shows.
 */
import { MicrokitError } from '../../errors/microkit-error.js';
import { hex } from '../../util/bigint.js';
import { didYouMean } from '../../util/suggest.js';
import { sdfErrorAt, sdfUnlocatedError } from '../errors.js';
import { formatLocation, type SourceLocation } from '../location.js';
import type { CapMap, Channel, Irq, MemoryRegion, ProtectionDomain, SetVar, SystemDescription, VirtualMachine } from '../model.js';

export const MAX_PDS = 63;

/** How a map flavour (PD/VM `map`, IOMMU `iomap`) is named in upstream's texts. */
export interface MapFlavour {
  /** `map` or `iomap`. */
  readonly element: string;
  /** `vaddr` or `iovaddr`. */
  readonly addrName: string;
  /** `virtual address range` or `io address range`. */
  readonly rangeName: string;
}

/** A map as the map rules see it. */
export interface AddressMap {
  readonly mr: string;
  readonly addr: bigint;
  readonly location: SourceLocation;
}

const range = (start: bigint, end: bigint) => `[${hex(start)}..${hex(end)})`;

export function sdfNoProtectionDomains(system: SystemDescription): MicrokitError {
  return sdfUnlocatedError('SDF_NO_PDS', 'Error: at least one protection domain must be defined', system.location, {
    help: ['add a <protection_domain name="…"> with a <program_image path="…"/>'],
  });
}

/** `system` is the parsed system, or the `<system>` element when PDs nested too deep to be parsed are counted (parse/system.ts). */
export function sdfTooManyProtectionDomains(system: { readonly location: SourceLocation }, count: number): MicrokitError {
  return sdfUnlocatedError('SDF_TOO_MANY_PDS', `Error: too many protection domains (${count}) defined. Maximum is ${MAX_PDS}.`, system.location);
}

export function sdfDuplicatePdName(pd: ProtectionDomain, first: ProtectionDomain): MicrokitError {
  return sdfUnlocatedError('SDF_DUPLICATE_PD_NAME', `Error: duplicate protection domain name '${pd.name}'.`, pd.location, {
    attribute: 'name',
    related: [{ location: first.location, attribute: 'name', label: `'${pd.name}' is first defined here` }],
  });
}

export function sdfReservedPdName(pd: ProtectionDomain): MicrokitError {
  return sdfUnlocatedError('SDF_RESERVED_PD_NAME', "Error: the PD name 'monitor' is reserved for the Microkit Monitor.", pd.location, { attribute: 'name' });
}

export function sdfDuplicateMrName(mr: MemoryRegion, first: MemoryRegion): MicrokitError {
  return sdfUnlocatedError('SDF_DUPLICATE_MR_NAME', `Error: duplicate memory region name '${mr.name}'.`, mr.location, {
    attribute: 'name',
    related: [{ location: first.location, attribute: 'name', label: `'${mr.name}' is first defined here` }],
  });
}

export function sdfDuplicateVmName(vm: VirtualMachine, first: SourceLocation): MicrokitError {
  return sdfUnlocatedError('SDF_DUPLICATE_VM_NAME', `Error: duplicate virtual machine name '${vm.name}'.`, vm.location, {
    attribute: 'name',
    related: [{ location: first, attribute: 'name', label: `'${vm.name}' is first defined here` }],
  });
}

/** Upstream's message names the PD; the span is the `<irq>` itself. */
export function sdfDuplicateIrq(pd: ProtectionDomain, irq: Irq, first: SourceLocation): MicrokitError {
  return new MicrokitError('SDF_DUPLICATE_IRQ', `Error: duplicate irq: ${irq.number} in protection domain: '${pd.name}' @ ${formatLocation(pd.location)}`, {
    location: irq.location,
    label: `IRQ ${irq.number} again`,
    related: [{ location: first, label: `IRQ ${irq.number} is first claimed here` }],
  });
}

/** @param at the `<irq>` or `<end>` that repeats the id; `first` where it was first used. */
export function sdfDuplicateChannelId(pd: ProtectionDomain, id: bigint, at: SourceLocation, first: SourceLocation | undefined): MicrokitError {
  return sdfErrorAt('SDF_DUPLICATE_CHANNEL_ID', `duplicate channel id: ${id} in protection domain: '${pd.name}'`, pd.location, {
    related: [
      { location: at, attribute: 'id', label: `id ${id} used again` },
      ...(first ? [{ location: first, attribute: 'id', label: `id ${id} is first used here` }] : []),
    ],
    help: ['IRQ ids and channel-end ids of a PD share one namespace (0..61)'],
  });
}

export function sdfPpcPriority(channel: Channel, from: ProtectionDomain, to: ProtectionDomain): MicrokitError {
  return sdfUnlocatedError(
    'SDF_PPC_PRIORITY',
    `Error: PPCs must be to protection domains of strictly higher priorities; channel with PPC exists from pd ${from.name} (priority: ${from.priority}) to pd ${to.name} (priority: ${to.priority})`,
    channel.location,
    { help: [`give '${to.name}' a priority above ${from.priority}, or call the other way`] },
  );
}

const CAP_TYPE_NAMES: Record<CapMap['type'], string> = { tcb: 'Tcb', sc: 'Sc', vspace: 'VSpace' };

/** @param maps every cap map into the slot, in document order. */
export function sdfOverlappingCapMaps(pd: ProtectionDomain, slot: bigint, maps: readonly CapMap[]): MicrokitError {
  const lines = maps.map((m) => `\n  type ${CAP_TYPE_NAMES[m.type]} from '${m.pdName}' at '${formatLocation(m.location)}'`).join('');
  return new MicrokitError('SDF_OVERLAPPING_CAP_MAPS', `Error: overlapping user caps in slot ${slot} of protection domain '${pd.name}':${lines}`, {
    location: maps[1].location,
    attribute: 'slot',
    related: [{ location: maps[0].location, attribute: 'slot', label: `slot ${slot} is first used here` }],
  });
}

export function sdfOverlappingPaddrs(mr: MemoryRegion, start: bigint, end: bigint, other: { mr: MemoryRegion; start: bigint; end: bigint }): MicrokitError {
  return sdfErrorAt(
    'SDF_OVERLAPPING_PADDRS',
    `memory region '${mr.name}' physical address range ${range(start, end)} overlaps with another memory region '${other.mr.name}' ${range(other.start, other.end)}`,
    mr.location,
    {
      attribute: 'phys_addr',
      label: range(start, end),
      related: [{ location: other.mr.location, attribute: 'phys_addr', label: `'${other.mr.name}' is at ${range(other.start, other.end)}` }],
    },
  );
}

/** A region of size 0 (upstream accepts it and crashes when it is mapped), in upstream's value_error form. */
export function sdfEmptyMemoryRegion(mr: MemoryRegion): MicrokitError {
  return new MicrokitError('SDF_INVALID_VALUE', `Error: size must be greater than 0 on element 'memory_region': ${formatLocation(mr.location)}`, {
    location: mr.location,
    attribute: 'size',
  });
}

/** A child PD id beyond the parent's child-TCB range (upstream leaves it unchecked). */
export function sdfChildIdTooLarge(pd: ProtectionDomain, max: bigint): MicrokitError {
  return new MicrokitError('SDF_INVALID_VALUE', `Error: id must be < ${max + 1n} on element 'protection_domain': ${formatLocation(pd.location)}`, {
    location: pd.location,
    attribute: 'id',
  });
}

/** A `<cspace>` slot the 64-slot root CNode cannot hold (upstream accepts up to 127; they fail at boot). */
export function sdfCapSlotTooLarge(map: CapMap, slots: bigint): MicrokitError {
  return new MicrokitError(
    'SDF_INVALID_VALUE',
    `Error: There are only ${slots} destination cspace slots available. on element 'cap_${map.type}': ${formatLocation(map.location)}`,
    { location: map.location, attribute: 'slot' },
  );
}

/** S21, a warning. */
export function sdfUnusedMemoryRegion(mr: MemoryRegion): MicrokitError {
  return new MicrokitError('SDF_UNUSED_MEMORY_REGION', `WARNING: unused memory region '${mr.name}'`, {
    severity: 'warning',
    location: mr.location,
    attribute: 'name',
    label: 'no protection domain or virtual machine maps it',
    help: ['map it with <map mr="…" vaddr="…"/> in a protection domain, or remove it'],
  });
}

/** Upstream's `Error: <msg> @ '<mr>' <loc>` shape. */
export function memoryRegionError(code: string, msg: string, mr: MemoryRegion): MicrokitError {
  return new MicrokitError(code, `Error: ${msg} @ '${mr.name}' ${formatLocation(mr.location)}`, { location: mr.location });
}

export function sdfPrefillSizeWithoutPrefill(mr: MemoryRegion): MicrokitError {
  return memoryRegionError('SDF_PREFILL_SIZE_WITHOUT_PREFILL', "'setvar_prefill_size' used for MR without a `prefill_path`", mr).withHelp(
    `give '${mr.name}' a prefill_path, or drop setvar_prefill_size`,
  );
}

export function sdfUnknownRegionPaddr(sv: SetVar, mrName: string, known: Iterable<string>): MicrokitError {
  return sdfErrorAt('SDF_UNKNOWN_MEMORY_REGION', `setvar on symbol '${sv.symbol}' names an unknown memory region '${mrName}' in 'region_paddr'`, sv.location, {
    attribute: 'region_paddr',
    help: didYouMean(mrName, known) === undefined ? [] : [didYouMean(mrName, known)!],
  });
}

export function sdfUnknownMapRegion(map: AddressMap, flavour: MapFlavour, known: ReadonlyMap<string, MemoryRegion>): MicrokitError {
  return sdfErrorAt('SDF_UNKNOWN_MEMORY_REGION', `invalid memory region name '${map.mr}' on '${flavour.element}'`, map.location, {
    attribute: 'mr',
    label: 'no memory region of this name',
    help: [didYouMean(map.mr, known.keys()) ?? (known.size > 0 ? `memory regions: ${[...known.keys()].join(', ')}` : 'the system declares no memory regions')],
  });
}

export function sdfMapMisaligned(map: AddressMap, flavour: MapFlavour, mr: MemoryRegion): MicrokitError {
  return sdfErrorAt('SDF_MAP_MISALIGNED', `invalid ${flavour.addrName} alignment on '${flavour.element}'`, map.location, {
    attribute: flavour.addrName,
    help: [`'${map.mr}' has page size ${hex(mr.pageSize)}: ${flavour.addrName} must be a multiple of it`],
  });
}

export function sdfMapOverflow(map: AddressMap, flavour: MapFlavour): MicrokitError {
  return sdfErrorAt('SDF_MAP_OVERFLOW', `${flavour.element} for '${map.mr}' has address range that overflows`, map.location, { attribute: flavour.addrName });
}

export function sdfMapOutOfRange(map: AddressMap, flavour: MapFlavour, start: bigint, end: bigint, maxEnd: bigint): MicrokitError {
  return sdfErrorAt(
    'SDF_MAP_OUT_OF_RANGE',
    `${flavour.element} for '${map.mr}' has ${flavour.rangeName} ${range(start, end)} which exceeds valid address space [0x0..${hex(maxEnd)})`,
    map.location,
    { attribute: flavour.addrName, label: range(start, end) },
  );
}

export function sdfMapOverlap(
  map: AddressMap,
  flavour: MapFlavour,
  addressSpace: string,
  start: bigint,
  end: bigint,
  other: { mr: string; start: bigint; end: bigint; location: SourceLocation },
): MicrokitError {
  return sdfErrorAt(
    'SDF_MAP_OVERLAP',
    `map for '${map.mr}' has ${flavour.rangeName} ${range(start, end)} which overlaps with map for '${other.mr}' ${range(other.start, other.end)} in ${addressSpace}`,
    map.location,
    {
      attribute: flavour.addrName,
      label: `'${map.mr}' at ${range(start, end)}`,
      related: [{ location: other.location, attribute: flavour.addrName, label: `overlaps '${other.mr}' at ${range(other.start, other.end)}` }],
    },
  );
}
