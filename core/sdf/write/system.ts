/**
 * The model back to SDF: `microkit sdf` writes what a TypeScript-described
 * system (or a normalised SDF) means, in a stable layout. Core constructs
 * are written here; plugins write theirs through the SdfSyntax writers.
 * Parsing the output gives the same model (tests/system/round-trip.test.ts).
 */
import type { ArchSupport } from '../../arch.js';
import type { SourceLocation } from '../location.js';
import type {
  BootInfoId,
  CapMap,
  Channel,
  ChannelEnd,
  DomainSchedule,
  Irq,
  Map as SdfMap,
  MemoryRegion,
  ProtectionDomain,
  SetVar,
  SystemDescription,
  VirtualMachine,
} from '../model.js';
import { PERM_EXECUTE, PERM_READ, PERM_WRITE } from '../model.js';
import type { SdfSyntax, SdfWriteContext } from '../syntax.js';
import type { XmlAttribute, XmlElement } from '../xml.js';
import { attributes, sdfLines, sdfText, xmlElement } from './xml-text.js';
import { sdfWriteUnsupported } from '../errors.js';

const BOOTINFO_NAMES: Readonly<Record<BootInfoId, string>> = {
  X86Vbe: 'x86_vbe',
  X86Mbmmap: 'x86_mbmmap',
  X86AcpiRsdp: 'x86_acpi_rsdp',
  X86FrameBuffer: 'x86_framebuffer',
  X86TscFreq: 'x86_tsc_freq',
  Fdt: 'fdt',
};

const DEFAULT_BUDGET = 1000n;
const DEFAULT_STACK_SIZE = 0x2000n;

export function hexText(v: bigint): string {
  return `0x${v.toString(16)}`;
}

export function permsText(perms: number): string {
  return `${perms & PERM_READ ? 'r' : ''}${perms & PERM_WRITE ? 'w' : ''}${perms & PERM_EXECUTE ? 'x' : ''}`;
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.line === b.line && a.column === b.column && a.file === b.file;
}

/**
 * A PD's setvars, each claimed once by the element that introduced it: the
 * parser records the introducing element's location with each setvar, so
 * location, origin and value identify it (elements made in a loop share a
 * call site, hence the value check and the claiming).
 */
export class SetVarClaims {
  private readonly claimed = new Set<SetVar>();

  constructor(private readonly setvars: readonly SetVar[]) {}

  /** The symbol of the first unclaimed setvar at `at` with this origin whose value matches. */
  take(at: SourceLocation, origin: string, matches: (s: SetVar) => boolean = () => true): string | undefined {
    const found = this.setvars.find((s) => !this.claimed.has(s) && s.origin === origin && sameLocation(s.location, at) && matches(s));
    if (found === undefined) return undefined;
    this.claimed.add(found);
    return found.symbol;
  }

  /** Setvars no element claimed (written as `<setvar>` when they are region_paddr). */
  unclaimed(): SetVar[] {
    return this.setvars.filter((s) => !this.claimed.has(s));
  }
}

export function constantIs(value: bigint): (s: SetVar) => boolean {
  return (s) => s.value.type === 'constant' && s.value.value === value;
}

/** The SDF element tree for a system. */
export function systemToSdfElement(system: SystemDescription, syntax: SdfSyntax, arch: ArchSupport): XmlElement {
  const ctx: SdfWriteContext = {
    formatDeviceId(id) {
      const format = arch.iommu.formatDeviceId;
      if (format === undefined) {
        throw sdfWriteUnsupported(id.display, arch.name);
      }
      return format(id as Parameters<typeof format>[0]);
    },
  };
  const children: XmlElement[] = [];
  if (system.domainSchedule !== undefined) children.push(domainsElement(system.domainSchedule));
  for (const mr of system.memoryRegions) children.push(memoryRegionElement(mr));
  for (const writer of syntax.writersForSystem()) children.push(...writer(system, ctx));
  for (const pd of system.protectionDomains) if (pd.parent === undefined) children.push(pdElement(pd, system, syntax));
  for (const ch of system.channels) children.push(channelElement(ch, system));
  return xmlElement('system', [], children);
}

/** The system as SDF text. */
export function writeSdf(system: SystemDescription, syntax: SdfSyntax, arch: ArchSupport): string {
  return sdfText(systemToSdfElement(system, syntax, arch));
}

/** The system as SDF lines, for writing large systems without one big string. */
export function writeSdfLines(system: SystemDescription, syntax: SdfSyntax, arch: ArchSupport): Generator<string> {
  return sdfLines(systemToSdfElement(system, syntax, arch));
}

function memoryRegionElement(mr: MemoryRegion): XmlElement {
  const paddr = mr.physAddr.kind === 'specified' ? mr.physAddr.paddr : undefined;
  return xmlElement(
    'memory_region',
    attributes([
      ['name', mr.name],
      ['size', hexText(mr.size)],
      ['page_size', mr.pageSizeSpecified ? hexText(mr.pageSize) : undefined],
      ['phys_addr', paddr === undefined ? undefined : hexText(paddr)],
      ['prefill_path', mr.prefill?.kind === 'file' ? mr.prefill.path : undefined],
      ['prefill_bootinfo', mr.prefill?.kind === 'bootinfo' ? BOOTINFO_NAMES[mr.prefill.id] : undefined],
    ]),
  );
}

interface Placed {
  readonly element: XmlElement;
  /** Source position, to keep the document order the parser saw (setvar order follows it). */
  readonly at: SourceLocation;
}

function pdElement(pd: ProtectionDomain, system: SystemDescription, syntax: SdfSyntax): XmlElement {
  const claims = new SetVarClaims(pd.setvars);
  const parts = syntax.writersForPd().map((w) => w(pd));
  const domain = pd.domain === undefined ? undefined : system.domainSchedule?.domains.find((d) => d.id === pd.domain)?.name;
  const parent = pd.parent === undefined ? undefined : system.protectionDomains[pd.parent];
  const attrs: XmlAttribute[] = attributes([
    ['name', pd.name],
    ['id', pd.childId === undefined ? undefined : pd.childId.toString()],
    ['setvar_id', parent === undefined ? undefined : new SetVarClaims(parent.setvars).take(pd.location, 'setvar_id', constantIs(pd.childId!))],
    ['priority', pd.priority.toString()],
    ['budget', pd.budget === DEFAULT_BUDGET && pd.period === pd.budget ? undefined : pd.budget.toString()],
    ['period', pd.period === pd.budget ? undefined : pd.period.toString()],
    ['passive', pd.passive ? 'true' : undefined],
    ['stack_size', pd.stackSize === DEFAULT_STACK_SIZE ? undefined : hexText(pd.stackSize)],
    ['smc', pd.smc ? 'true' : undefined],
    ['cpu', pd.cpu === 0 ? undefined : pd.cpu.toString()],
    ['domain', domain],
    ['fpu', pd.fpu ? undefined : 'false'],
  ]);
  for (const p of parts) attrs.push(...(p.attributes ?? []));

  const placed: Placed[] = [];
  for (const map of pd.maps) placed.push({ element: mapElement(map, claims), at: map.location });
  for (const irq of pd.irqs) placed.push({ element: irqElement(irq, claims, syntax), at: irq.location });
  for (const child of pd.children) {
    const childPd = system.protectionDomains[child];
    placed.push({ element: pdElement(childPd, system, syntax), at: childPd.location });
  }
  // The child's setvar_id lives in this PD's list: claim it so it is not written twice.
  for (const child of pd.children) {
    const c = system.protectionDomains[child];
    claims.take(c.location, 'setvar_id', constantIs(c.childId!));
  }
  if (pd.virtualMachine !== undefined) placed.push({ element: vmElement(pd.virtualMachine, claims), at: pd.virtualMachine.location });
  if (pd.capMaps.length > 0) placed.push({ element: cspaceElement(pd.capMaps, system), at: pd.capMaps[0].location });
  for (const p of parts) for (const el of p.children ?? []) placed.push({ element: el, at: el.location });
  // Channel-end setvars are written on their <end>; claim them here.
  for (const ch of system.channels) {
    for (const end of [ch.a, ch.b]) {
      if (end.pd === pd.index && end.setvarId !== undefined) claims.take(ch.location, 'setvar_id', constantIs(end.id));
    }
  }
  // Plugins write the setvars of their own elements; only `<setvar region_paddr>` stands alone.
  for (const s of claims.unclaimed()) {
    if (s.value.type === 'mr_paddr') {
      placed.push({
        element: xmlElement(
          'setvar',
          attributes([
            ['symbol', s.symbol],
            ['region_paddr', s.value.mr],
          ]),
        ),
        at: s.location,
      });
    }
  }

  const programImage = xmlElement(
    'program_image',
    attributes([
      ['path', pd.programImage],
      ['path_for_symbols', pd.programImageForSymbols],
    ]),
  );
  return xmlElement('protection_domain', attrs, [programImage, ...inSourceOrder(placed, pd.location)], pd.location);
}

/** Children in the order the source had them when they come from one file; else as collected. */
function inSourceOrder(placed: Placed[], pdAt: SourceLocation): XmlElement[] {
  const oneFile = placed.every((p) => p.at.file === pdAt.file && p.at.line > 0);
  if (!oneFile) return placed.map((p) => p.element);
  return [...placed].sort((a, b) => a.at.line - b.at.line || a.at.column - b.at.column).map((p) => p.element);
}

function mapElement(map: SdfMap, claims?: SetVarClaims): XmlElement {
  const mrIs = (s: SetVar) => 'mr' in s.value && s.value.mr === map.mr;
  return xmlElement(
    'map',
    attributes([
      ['mr', map.mr],
      ['vaddr', hexText(map.vaddr)],
      ['perms', permsText(map.perms)],
      ['cached', map.cached ? undefined : 'false'],
      ['setvar_vaddr', claims?.take(map.location, 'setvar_vaddr', constantIs(map.vaddr))],
      ['setvar_size', claims?.take(map.location, 'setvar_size', mrIs)],
      ['setvar_prefill_size', claims?.take(map.location, 'setvar_prefill_size', mrIs)],
    ]),
  );
}

function irqElement(irq: Irq, claims: SetVarClaims, syntax: SdfSyntax): XmlElement {
  const kind = irq.kind;
  let form: readonly XmlAttribute[];
  if (kind.type === 'conventional') {
    form = attributes([
      ['irq', kind.irq.toString()],
      ['trigger', kind.trigger === 'edge' ? 'edge' : undefined],
    ]);
  } else {
    const writer = syntax.findIrqWriter(kind.type);
    if (writer === undefined) throw new Error(`no SDF writer for IRQ kind '${kind.type}'`);
    form = writer(kind);
  }
  const setvarId = claims.take(irq.location, 'setvar_id', constantIs(irq.id));
  return xmlElement('irq', [...attributes([['id', irq.id.toString()]]), ...form, ...attributes([['setvar_id', setvarId]])]);
}

function vmElement(vm: VirtualMachine, claims: SetVarClaims): XmlElement {
  const sched = vm.sched;
  const attrs = attributes([
    ['name', vm.name],
    ['priority', sched?.priority.toString()],
    ['budget', sched === undefined || (sched.budget === DEFAULT_BUDGET && sched.period === sched.budget) ? undefined : sched.budget.toString()],
    ['period', sched === undefined || sched.period === sched.budget ? undefined : sched.period.toString()],
  ]);
  const vcpus = vm.vcpus.map((v) =>
    xmlElement(
      'vcpu',
      attributes([
        ['id', v.id.toString()],
        ['cpu', v.cpu?.toString()],
        ['setvar_id', claims.take(vm.location, 'setvar_id', constantIs(v.id))],
      ]),
    ),
  );
  return xmlElement('virtual_machine', attrs, [...vcpus, ...vm.maps.map((m) => mapElement(m))]);
}

function cspaceElement(capMaps: readonly CapMap[], system: SystemDescription): XmlElement {
  return xmlElement(
    'cspace',
    [],
    capMaps.map((c) =>
      xmlElement(
        `cap_${c.type}`,
        attributes([
          ['pd', system.protectionDomains[c.pd]?.name ?? c.pdName],
          ['slot', c.slot.toString()],
        ]),
      ),
    ),
  );
}

function channelElement(ch: Channel, system: SystemDescription): XmlElement {
  const end = (e: ChannelEnd) =>
    xmlElement(
      'end',
      attributes([
        ['pd', system.protectionDomains[e.pd].name],
        ['id', e.id.toString()],
        ['notify', e.notify ? undefined : 'false'],
        ['pp', e.pp ? 'true' : undefined],
        ['setvar_id', e.setvarId],
      ]),
    );
  return xmlElement('channel', [], [end(ch.a), end(ch.b)]);
}

function domainsElement(d: DomainSchedule): XmlElement {
  const nameOf = (id: number) => d.domains.find((x) => x.id === id)?.name ?? String(id);
  const entries = d.schedule.map((e) =>
    e.duration.type === 'end_marker'
      ? xmlElement('schedule_end_marker')
      : xmlElement(
          'schedule_entry',
          attributes([
            ['domain', nameOf(e.domain)],
            ['duration', `${e.duration.value} ${e.duration.type}`],
          ]),
        ),
  );
  const schedule = xmlElement(
    'domain_schedule',
    attributes([
      ['start_index', d.startIndex === 0n ? undefined : d.startIndex.toString()],
      ['index_shift', d.indexShift?.toString()],
    ]),
    entries,
  );
  return xmlElement(
    'domains',
    [],
    [
      ...d.domains.map((x) =>
        xmlElement(
          'domain',
          attributes([
            ['name', x.name],
            ['id', x.id.toString()],
          ]),
        ),
      ),
      schedule,
    ],
  );
}
