/** Protection domains (and child PDs) and virtual machines of the system API. */
import type { SourceLocation } from '../sdf/location.js';
import type { XmlElement } from '../sdf/xml.js';
import { callSite } from './call-site.js';
import {
  alignUp,
  type Attr,
  type AutoId,
  autoId,
  checkArgument,
  DEFAULT_MAP_BASE,
  element,
  exact,
  helperError,
  isOptions,
  lowestFree,
  MAX_CHANNEL_ID,
  MAX_CHILD_ID,
  SMALLEST_PAGE,
} from './element.js';
import { isMrArg, type MemoryRegionRef, type MrArg, mrName } from './regions.js';
import type {
  CapType,
  ChildOptions,
  IoPortOptions,
  IrqOptions,
  MapOptions,
  Num,
  ProtectionDomainOptions,
  VcpuOptions,
  VirtualMachineOptions,
  VmMapOptions,
} from './types.js';

/** A PD, by reference or by name. */
export type PdArg = ProtectionDomain | string;

interface MapEntry {
  readonly mr: MrArg;
  readonly options: MapOptions;
  readonly location: SourceLocation;
  /** Resolved when vaddr was left out. */
  vaddr?: bigint;
}

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
  ) {}

  /** `<map>`: map a region; without `vaddr`, at the next free address (aligned to the region's page size). */
  map(mr: MrArg, options: MapOptions = {}): this {
    const entry: MapEntry = { mr, options, location: callSite() };
    checkArgument(isMrArg(mr), 'map(mr, options)', 'mr must be a memory region or its name', entry.location);
    checkArgument(isOptions(options, false), 'map(mr, options)', 'the options must be an object', entry.location);
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
    checkArgument(isOptions(options, true), 'irq(options)', 'the options must be an object', location);
    const auto = this.channelId(options.id, location);
    const form: Attr[] =
      'irq' in options
        ? [
            ['irq', options.irq],
            ['trigger', options.trigger],
          ]
        : 'pin' in options
          ? [
              ['ioapic', options.ioapic],
              ['pin', options.pin],
              ['trigger', options.trigger],
              ['polarity', options.polarity],
              ['vector', options.vector],
            ]
          : [
              ['pcidev', options.pcidev],
              ['handle', options.handle],
              ['vector', options.vector],
            ];
    this.items.push({
      location,
      make: () => element('irq', [['id', options.id ?? auto.id], ...form, ['setvar_id', options.setvarId]], [], location),
    });
    return this;
  }

  /** `<setvar symbol region_paddr>`: the region's physical address, patched into `symbol`. */
  setvar(symbol: string, options: { readonly regionPaddr: MrArg }): this {
    const location = callSite();
    this.items.push({
      location,
      make: () =>
        element(
          'setvar',
          [
            ['symbol', symbol],
            ['region_paddr', mrName(options.regionPaddr)],
          ],
          [],
          location,
        ),
    });
    return this;
  }

  /** A child PD (`id` defaults to the lowest free one). */
  child(name: string, options: ChildOptions): ProtectionDomain {
    const location = callSite();
    checkArgument(typeof name === 'string', 'child(name, options)', 'the name must be a string', location);
    checkArgument(isOptions(options, true), 'child(name, options)', 'the options must be an object', location);
    const pd = new ProtectionDomain(name, options, location);
    const explicit = exact(options.id);
    const entry = { pd, id: autoId(location), explicit: options.id === undefined ? undefined : (explicit ?? -1n) };
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
      make: () =>
        element(
          'cspace',
          [],
          caps.map((c) =>
            element(
              `cap_${c.type}`,
              [
                ['pd', pdName(c.pd)],
                ['slot', c.slot],
              ],
              [],
              c.location,
            ),
          ),
          location,
        ),
    });
    return this;
  }

  /** `<ioport>` (x86): `id` defaults to the lowest I/O port id the PD does not use. */
  ioport(options: IoPortOptions): this {
    const location = callSite();
    const auto: AutoId = autoId(location);
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
          [
            ['id', options.id ?? auto.id],
            ['addr', options.addr],
            ['size', options.size],
            ['setvar_id', options.setvarId],
            ['setvar_addr', options.setvarAddr],
          ],
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
  channelId(id: Num | undefined, location: SourceLocation, auto: AutoId = autoId(location)): AutoId {
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
      image === undefined
        ? []
        : [
            element(
              'program_image',
              [
                ['path', image.path],
                ['path_for_symbols', image.pathForSymbols],
              ],
              [],
              this.location,
            ),
          ];
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
    const auto: AutoId = autoId(location);
    if (options.id === undefined) this.autoVcpus.push(auto);
    else {
      const id = exact(options.id);
      if (id !== undefined) this.explicitVcpuIds.push(id);
    }
    this.makers.push(() =>
      element(
        'vcpu',
        [
          ['id', options.id ?? auto.id],
          ['cpu', options.cpu],
          ['setvar_id', options.setvarId],
        ],
        [],
        location,
      ),
    );
    return this;
  }

  /** A guest-physical map (`vaddr` is required: guests expect their RAM and devices at fixed addresses). */
  map(mr: MrArg, options: VmMapOptions & { readonly vaddr: Num }): this {
    const location = callSite();
    this.makers.push(() =>
      element(
        'map',
        [
          ['mr', mrName(mr)],
          ['vaddr', options.vaddr],
          ['perms', options.perms],
          ['cached', options.cached],
        ],
        [],
        location,
      ),
    );
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
    return element(
      'virtual_machine',
      [
        ['name', this.name],
        ['priority', o.priority],
        ['budget', o.budget],
        ['period', o.period],
      ],
      children,
      this.location,
    );
  }
}

export function pdName(pd: PdArg): string {
  return typeof pd === 'string' ? pd : pd.name;
}
