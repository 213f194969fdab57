/**
 * The typed system API: calls record SDF elements, each located at the
 * user's call site; `toSdfElement()` resolves the helpers (automatic ids and
 * map addresses) and gives the element tree the SDF parser takes. The
 * parser then builds the model with every SDF check and error text, so a
 * TypeScript system and an SDF file are checked by the same code.
 */
import { MicrokitError } from '../errors/microkit-error.js';
import { sdfErrorAt } from '../sdf/errors.js';
import type { SourceLocation } from '../sdf/location.js';
import type { XmlAttribute, XmlElement } from '../sdf/xml.js';
import { callSite } from './call-site.js';
import type {
  CapType,
  ChannelEndOptions,
  ChannelOptions,
  ChildOptions,
  DomainScheduleOptions,
  Duration,
  IoAddressSpaceOptions,
  IoMapOptions,
  IoPortOptions,
  IrqOptions,
  MapOptions,
  MemoryRegionOptions,
  Num,
  ProtectionDomainOptions,
  VcpuOptions,
  VirtualMachineOptions,
  VmMapOptions,
} from './types.js';

/** Channel and IRQ ids of a PD, vCPU ids: 0..61. */
const MAX_CHANNEL_ID = 61n;
/** Child PD ids: 0..63. */
const MAX_CHILD_ID = 63n;
const DEFAULT_MAP_BASE = 0x2000_0000n;
const SMALLEST_PAGE = 0x1000n;

type Attr = readonly [string, string | Num | boolean | undefined];

function text(v: string | Num | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

function element(tag: string, attrs: readonly Attr[], children: readonly XmlElement[], location: SourceLocation): XmlElement {
  const attributes: XmlAttribute[] = [];
  for (const [name, value] of attrs) if (value !== undefined) attributes.push({ name, value: text(value) });
  return { kind: 'element', tag, attributes, children, location };
}

/** An exact integer for the helpers' arithmetic; undefined when the value is not one (the parser then reports it). */
function exact(v: Num | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return v;
  return Number.isSafeInteger(v) ? BigInt(v) : undefined;
}

function alignUp(v: bigint, align: bigint): bigint {
  const r = v % align;
  return r === 0n ? v : v + align - r;
}

function helperError(msg: string, at: SourceLocation): MicrokitError {
  return sdfErrorAt('SYSTEM_API', msg, at);
}

/** The lowest id in 0..max not in `used`. */
function lowestFree(used: Set<bigint>, max: bigint): bigint | undefined {
  for (let id = 0n; id <= max; id++) if (!used.has(id)) return id;
  return undefined;
}

/** A memory region, to map by reference (its size and page size feed automatic addresses). */
export class MemoryRegionRef {
  /** @internal */
  constructor(
    readonly name: string,
    readonly options: MemoryRegionOptions,
    readonly location: SourceLocation,
  ) {}

  /** @internal */
  toElement(): XmlElement {
    const o = this.options;
    return element(
      'memory_region',
      [
        ['name', this.name],
        ['size', o.size],
        ['page_size', o.pageSize],
        ['phys_addr', o.physAddr],
        ['prefill_path', o.prefillPath],
        ['prefill_bootinfo', o.prefillBootinfo],
      ],
      [],
      this.location,
    );
  }
}

type MrArg = MemoryRegionRef | string;
type PdArg = ProtectionDomain | string;

interface MapEntry {
  readonly mr: MrArg;
  readonly options: MapOptions;
  readonly location: SourceLocation;
  /** Resolved when vaddr was left out. */
  vaddr?: bigint;
}

/** An id to pick later (automatic channel/IRQ ids), in call order across the system. */
interface AutoId {
  readonly seq: number;
  readonly location: SourceLocation;
  id?: bigint;
}

let sequence = 0;

interface CapEntry {
  readonly type: CapType;
  readonly pd: PdArg;
  readonly slot: Num;
  readonly location: SourceLocation;
}

/** A child element in call order, made when the tree is written. */
interface Item {
  readonly location: SourceLocation;
  readonly make: () => XmlElement;
  /** A `<cspace>`'s caps, which later capMap calls extend. */
  readonly caps?: CapEntry[];
}

/** A protection domain (or child PD): add maps, IRQs, children, a VM, cap maps, I/O ports. */
export class ProtectionDomain {
  /** @internal */ readonly items: Item[] = [];
  /** @internal */ readonly maps: MapEntry[] = [];
  /** @internal */ readonly irqIds: AutoId[] = [];
  /** @internal */ readonly explicitIds = new Set<bigint>();
  /** @internal */ readonly children: { pd: ProtectionDomain; id: AutoId; explicit?: bigint }[] = [];
  /** @internal */ vm?: VirtualMachine;
  private readonly ioportIds = new Set<bigint>();
  private readonly autoIoports: AutoId[] = [];

  /** @internal */
  constructor(
    readonly name: string,
    readonly options: ProtectionDomainOptions | ChildOptions,
    readonly location: SourceLocation,
    /** @internal */ readonly system: SystemBuilder,
  ) {}

  /** `<map>`: map a region; without `vaddr`, at the next free address (aligned to the region's page size). */
  map(mr: MrArg, options: MapOptions = {}): this {
    const entry: MapEntry = { mr, options, location: callSite() };
    this.maps.push(entry);
    this.items.push({
      location: entry.location,
      make: () =>
        element(
          'map',
          [
            ['mr', mrName(mr)],
            ['vaddr', options.vaddr ?? entry.vaddr],
            ['perms', options.perms],
            ['cached', options.cached],
            ['setvar_vaddr', options.setvarVaddr],
            ['setvar_size', options.setvarSize],
            ['setvar_prefill_size', options.setvarPrefillSize],
          ],
          [],
          entry.location,
        ),
    });
    return this;
  }

  /** `<irq>`: any form the architecture has (ARM/RISC-V `irq`, x86 `pin` or `pcidev`). */
  irq(options: IrqOptions): this {
    const location = callSite();
    const auto = this.channelId(options.id, location);
    const form: Attr[] =
      'irq' in options
        ? [['irq', options.irq], ['trigger', options.trigger]]
        : 'pin' in options
          ? [['ioapic', options.ioapic], ['pin', options.pin], ['trigger', options.trigger], ['polarity', options.polarity], ['vector', options.vector]]
          : [['pcidev', options.pcidev], ['handle', options.handle], ['vector', options.vector]];
    this.items.push({
      location,
      make: () => element('irq', [['id', options.id ?? auto.id], ...form, ['setvar_id', options.setvarId]], [], location),
    });
    return this;
  }

  /** `<setvar symbol region_paddr>`: the region's physical address, patched into `symbol`. */
  setvar(symbol: string, options: { readonly regionPaddr: MrArg }): this {
    const location = callSite();
    this.items.push({ location, make: () => element('setvar', [['symbol', symbol], ['region_paddr', mrName(options.regionPaddr)]], [], location) });
    return this;
  }

  /** A child PD (`id` defaults to the lowest free one). */
  child(name: string, options: ChildOptions): ProtectionDomain {
    const location = callSite();
    const pd = new ProtectionDomain(name, options, location, this.system);
    const explicit = exact(options.id);
    const entry = { pd, id: { seq: sequence++, location } as AutoId, explicit: options.id === undefined ? undefined : (explicit ?? -1n) };
    this.children.push(entry);
    this.items.push({ location, make: () => pd.toElement(options.id ?? entry.id.id) });
    return pd;
  }

  /** `<virtual_machine>` (hypervisor kernels). */
  virtualMachine(name: string, options: VirtualMachineOptions = {}): VirtualMachine {
    const location = callSite();
    const vm = new VirtualMachine(name, options, location, this);
    this.vm ??= vm;
    this.items.push({ location, make: () => vm.toElement() });
    return vm;
  }

  /** A `<cspace>` cap: another PD's TCB, SC or VSpace at `slot` of this PD's user CNode. */
  capMap(type: CapType, pd: PdArg, slot: Num): this {
    const location = callSite();
    const cap: CapEntry = { type, pd, slot, location };
    // One <cspace> per PD (the SDF allows only one); later caps join it.
    const cspace = this.items.find((i) => i.caps !== undefined);
    if (cspace !== undefined) {
      cspace.caps!.push(cap);
      return this;
    }
    const caps = [cap];
    this.items.push({
      location,
      caps,
      make: () => element('cspace', [], caps.map((c) => element(`cap_${c.type}`, [['pd', pdName(c.pd)], ['slot', c.slot]], [], c.location)), location),
    });
    return this;
  }

  /** `<ioport>` (x86): `id` defaults to the lowest I/O port id the PD does not use. */
  ioport(options: IoPortOptions): this {
    const location = callSite();
    const auto: AutoId = { seq: sequence++, location };
    if (options.id === undefined) this.autoIoports.push(auto);
    else {
      const id = exact(options.id);
      if (id !== undefined) this.ioportIds.add(id);
    }
    this.items.push({
      location,
      make: () =>
        element(
          'ioport',
          [['id', options.id ?? auto.id], ['addr', options.addr], ['size', options.size], ['setvar_id', options.setvarId], ['setvar_addr', options.setvarAddr]],
          [],
          location,
        ),
    });
    return this;
  }

  /** Any other element a plugin parses (e.g. one of your own), with its attributes in order. */
  element(tag: string, attrs: Readonly<Record<string, string | Num | boolean>>): this {
    const location = callSite();
    this.items.push({ location, make: () => element(tag, Object.entries(attrs), [], location) });
    return this;
  }

  /** @internal An IRQ or channel id: explicit, or picked when the system is written. */
  channelId(id: Num | undefined, location: SourceLocation, auto: AutoId = { seq: sequence++, location }): AutoId {
    if (id === undefined) this.irqIds.push(auto);
    else {
      const v = exact(id);
      if (v !== undefined) this.explicitIds.add(v);
    }
    return auto;
  }

  /** @internal Pick the automatic ids and addresses of this PD and its subtree. */
  resolve(mrs: ReadonlyMap<string, MemoryRegionRef>): void {
    const used = new Set(this.explicitIds);
    for (const auto of [...this.irqIds].sort((a, b) => a.seq - b.seq)) {
      const id = lowestFree(used, MAX_CHANNEL_ID);
      if (id === undefined) throw helperError(`no free channel id in protection domain '${this.name}': ids 0..${MAX_CHANNEL_ID} are taken`, auto.location);
      used.add(id);
      auto.id = id;
    }
    const ports = new Set(this.ioportIds);
    for (const auto of this.autoIoports) {
      const id = lowestFree(ports, MAX_CHANNEL_ID);
      if (id === undefined) throw helperError(`no free I/O port id in protection domain '${this.name}'`, auto.location);
      ports.add(id);
      auto.id = id;
    }
    this.resolveChildIds();
    this.resolveVaddrs(mrs);
    for (const c of this.children) c.pd.resolve(mrs);
  }

  private resolveChildIds(): void {
    const used = new Set<bigint>();
    for (const c of this.children) if (c.explicit !== undefined) used.add(c.explicit);
    for (const id of this.vm?.explicitVcpuIds ?? []) used.add(id);
    for (const c of this.children) {
      if (c.explicit !== undefined) continue;
      const id = lowestFree(used, MAX_CHILD_ID);
      if (id === undefined) throw helperError(`no free child id in protection domain '${this.name}'`, c.id.location);
      used.add(id);
      c.id.id = id;
    }
    this.vm?.resolveVcpuIds(used);
  }

  private resolveVaddrs(mrs: ReadonlyMap<string, MemoryRegionRef>): void {
    const sizeOf = (m: MapEntry): { size: bigint; page: bigint } | undefined => {
      const ref = typeof m.mr === 'string' ? mrs.get(m.mr) : m.mr;
      const size = exact(ref?.options.size);
      if (ref === undefined || size === undefined) return undefined;
      return { size, page: exact(ref.options.pageSize) ?? SMALLEST_PAGE };
    };
    const taken: [bigint, bigint][] = [];
    for (const m of this.maps) {
      const vaddr = exact(m.options.vaddr);
      const s = sizeOf(m);
      if (vaddr !== undefined && s !== undefined) taken.push([vaddr, vaddr + s.size]);
    }
    const base = exact(this.options.mapBase) ?? DEFAULT_MAP_BASE;
    for (const m of this.maps) {
      if (m.options.vaddr !== undefined) continue;
      const s = sizeOf(m);
      if (s === undefined) {
        throw helperError(`an automatic vaddr for memory region '${mrName(m.mr)}' needs the region's size (give 'size', or 'vaddr')`, m.location);
      }
      let at = alignUp(base, s.page);
      for (;;) {
        const clash = taken.find(([lo, hi]) => at < hi && lo < at + s.size);
        if (clash === undefined) break;
        at = alignUp(clash[1], s.page);
      }
      taken.push([at, at + s.size]);
      m.vaddr = at;
    }
  }

  /** @internal */
  toElement(childId?: Num): XmlElement {
    const o = this.options as ChildOptions;
    const image = typeof o.programImage === 'string' ? { path: o.programImage } : o.programImage;
    const attrs: Attr[] = [
      ['name', this.name],
      ['id', childId],
      ['setvar_id', o.setvarId],
      ['priority', o.priority],
      ['budget', o.budget],
      ['period', o.period],
      ['passive', o.passive],
      ['stack_size', o.stackSize],
      ['smc', o.smc],
      ['cpu', o.cpu],
      ['domain', o.domain],
      ['fpu', o.fpu],
    ];
    const programImage: XmlElement[] =
      image === undefined ? [] : [element('program_image', [['path', image.path], ['path_for_symbols', image.pathForSymbols]], [], this.location)];
    return element('protection_domain', attrs, [...programImage, ...this.items.map((i) => i.make())], this.location);
  }
}

/** A virtual machine of a PD: vCPUs and guest-physical maps. */
export class VirtualMachine {
  private readonly makers: (() => XmlElement)[] = [];
  private readonly autoVcpus: AutoId[] = [];
  /** @internal */ readonly explicitVcpuIds: bigint[] = [];

  /** @internal */
  constructor(
    readonly name: string,
    readonly options: VirtualMachineOptions,
    readonly location: SourceLocation,
    readonly pd: ProtectionDomain,
  ) {}

  vcpu(options: VcpuOptions = {}): this {
    const location = callSite();
    const auto: AutoId = { seq: sequence++, location };
    if (options.id === undefined) this.autoVcpus.push(auto);
    else {
      const id = exact(options.id);
      if (id !== undefined) this.explicitVcpuIds.push(id);
    }
    this.makers.push(() => element('vcpu', [['id', options.id ?? auto.id], ['cpu', options.cpu], ['setvar_id', options.setvarId]], [], location));
    return this;
  }

  /** A guest-physical map (`vaddr` is required: guests expect their RAM and devices at fixed addresses). */
  map(mr: MrArg, options: VmMapOptions & { readonly vaddr: Num }): this {
    const location = callSite();
    this.makers.push(() => element('map', [['mr', mrName(mr)], ['vaddr', options.vaddr], ['perms', options.perms], ['cached', options.cached]], [], location));
    return this;
  }

  /** @internal */
  resolveVcpuIds(used: Set<bigint>): void {
    for (const auto of this.autoVcpus) {
      const id = lowestFree(used, MAX_CHANNEL_ID);
      if (id === undefined) throw helperError(`no free vcpu id in virtual machine '${this.name}'`, auto.location);
      used.add(id);
      auto.id = id;
    }
  }

  /** @internal */
  toElement(): XmlElement {
    const o = this.options;
    const children = this.makers.map((make) => make());
    return element('virtual_machine', [['name', this.name], ['priority', o.priority], ['budget', o.budget], ['period', o.period]], children, this.location);
  }
}

/** An IO address space (one device behind the IOMMU): add IO maps. */
export class IoAddressSpace {
  private readonly maps: (() => XmlElement)[] = [];

  /** @internal */
  constructor(
    readonly name: string,
    readonly options: IoAddressSpaceOptions,
    readonly location: SourceLocation,
  ) {}

  /** `<iomap>`: the region at `iovaddr` in the device's IO address space. */
  map(mr: MrArg, options: IoMapOptions): this {
    const location = callSite();
    this.maps.push(() => element('iomap', [['mr', mrName(mr)], ['iovaddr', options.iovaddr], ['perms', options.perms]], [], location));
    return this;
  }

  /** @internal */
  toElement(): XmlElement {
    return element(
      'io_address_space',
      [['name', this.name], ['peripheral_id', this.options.peripheralId], ['domain_id', this.options.domainId]],
      this.maps.map((m) => m()),
      this.location,
    );
  }
}

/** A channel between two PDs; its ends' ids (given or picked) are known after the system is written. */
export class Channel {
  /** @internal */
  constructor(
    readonly a: PdArg,
    readonly b: PdArg,
    readonly options: ChannelOptions,
    readonly location: SourceLocation,
    /** @internal */ readonly ids: readonly [AutoId, AutoId],
  ) {}

  /** @internal */
  toElement(): XmlElement {
    const end = (pd: PdArg, o: ChannelEndOptions | undefined, auto: AutoId) =>
      element('end', [['pd', pdName(pd)], ['id', o?.id ?? auto.id], ['notify', o?.notify], ['pp', o?.pp], ['setvar_id', o?.setvarId]], [], this.location);
    return element('channel', [], [end(this.a, this.options.a, this.ids[0]), end(this.b, this.options.b, this.ids[1])], this.location);
  }
}

function mrName(mr: MrArg): string {
  return typeof mr === 'string' ? mr : mr.name;
}

function pdName(pd: PdArg): string {
  return typeof pd === 'string' ? pd : pd.name;
}

function durationText(d: Duration): string {
  if (typeof d === 'string') return d;
  return 'us' in d ? `${d.us} us` : `${d.ticks} ticks`;
}

/**
 * A system described in TypeScript. Make one with `system()`, add regions,
 * PDs and channels, then export it as `system:` in microkit.config.ts or
 * hand it to `microkit sdf` / the build.
 */
export class SystemBuilder {
  /** The file (and place) the system was made in; shown where a whole-system error has no better place. */
  readonly location: SourceLocation;
  private readonly items: Item[] = [];
  private readonly mrs = new Map<string, MemoryRegionRef>();
  private readonly pds: ProtectionDomain[] = [];
  private readonly allPds = new Map<string, ProtectionDomain>();
  private readonly channels: Channel[] = [];

  /** @internal use `system()` */
  constructor(location: SourceLocation) {
    this.location = location;
  }

  /** `<memory_region>`. */
  memoryRegion(name: string, options: MemoryRegionOptions = {}): MemoryRegionRef {
    const ref = new MemoryRegionRef(name, options, callSite());
    if (!this.mrs.has(name)) this.mrs.set(name, ref);
    this.items.push({ location: ref.location, make: () => ref.toElement() });
    return ref;
  }

  /** `<protection_domain>` at the top level. */
  protectionDomain(name: string, options: ProtectionDomainOptions): ProtectionDomain {
    const pd = new ProtectionDomain(name, options, callSite(), this);
    this.pds.push(pd);
    this.items.push({ location: pd.location, make: () => pd.toElement() });
    return pd;
  }

  /** `<channel>` between `a` and `b`; end ids default to the lowest id each PD has free. */
  channel(a: PdArg, b: PdArg, options: ChannelOptions = {}): Channel {
    const location = callSite();
    const idFor = (pd: PdArg, o: ChannelEndOptions | undefined): AutoId => {
      if (typeof pd !== 'string') return pd.channelId(o?.id, location);
      // A PD named by string: its ids are resolved against that PD at write time.
      const auto: AutoId = { seq: sequence++, location };
      this.pendingByName.push({ name: pd, id: o?.id, auto });
      return auto;
    };
    const ch = new Channel(a, b, options, location, [idFor(a, options.a), idFor(b, options.b)]);
    this.channels.push(ch);
    this.items.push({ location, make: () => ch.toElement() });
    return ch;
  }

  private readonly pendingByName: { name: string; id: Num | undefined; auto: AutoId }[] = [];

  /** `<io_address_space>` (IOMMU): a device's own address space. */
  ioAddressSpace(name: string, options: IoAddressSpaceOptions): IoAddressSpace {
    const space = new IoAddressSpace(name, options, callSite());
    this.items.push({ location: space.location, make: () => space.toElement() });
    return space;
  }

  /** `<domains>`: the domain list and the schedule. */
  domainSchedule(options: DomainScheduleOptions): this {
    const location = callSite();
    this.items.push({
      location,
      make: () => {
        const domains = options.domains.map((d) =>
          typeof d === 'string' ? element('domain', [['name', d]], [], location) : element('domain', [['name', d.name], ['id', d.id]], [], location),
        );
        const entries = options.schedule.map((e) =>
          e === 'end'
            ? element('schedule_end_marker', [], [], location)
            : element('schedule_entry', [['domain', e.domain], ['duration', durationText(e.duration)]], [], location),
        );
        const schedule = element('domain_schedule', [['start_index', options.startIndex], ['index_shift', options.indexShift]], entries, location);
        return element('domains', [], [...domains, schedule], location);
      },
    });
    return this;
  }

  /** Any other `<system>` child a plugin parses, with its attributes in order. */
  element(tag: string, attrs: Readonly<Record<string, string | Num | boolean>>): this {
    const location = callSite();
    this.items.push({ location, make: () => element(tag, Object.entries(attrs), [], location) });
    return this;
  }

  /**
   * The `<system>` element tree, every element located at its call: what
   * the SDF parser takes. Picks automatic ids and addresses first.
   */
  toSdfElement(): XmlElement {
    this.indexPds(this.pds);
    for (const p of this.pendingByName) {
      // Unknown PD names are the parser's to report ("invalid PD name").
      this.allPds.get(p.name)?.channelId(p.id, p.auto.location, p.auto);
    }
    this.pendingByName.length = 0;
    for (const pd of this.pds) pd.resolve(this.mrs);
    return element('system', [], this.items.map((i) => i.make()), this.location);
  }

  private indexPds(pds: readonly ProtectionDomain[]): void {
    for (const pd of pds) {
      if (!this.allPds.has(pd.name)) this.allPds.set(pd.name, pd);
      this.indexPds(pd.children.map((c) => c.pd));
    }
  }
}

/** Is this a system made with the API (e.g. a config's `system:` value)? */
export function isSystemBuilder(v: unknown): v is SystemBuilder {
  return v instanceof SystemBuilder || (typeof v === 'object' && v !== null && typeof (v as SystemBuilder).toSdfElement === 'function');
}

/** Start a system description. */
export function system(): SystemBuilder {
  return new SystemBuilder(callSite());
}
