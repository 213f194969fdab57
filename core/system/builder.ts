/**
 * The typed system API: calls record SDF elements, each located at the
 * user's call site; `toSdfElement()` resolves the helpers (automatic ids and
 * map addresses) and gives the element tree the SDF parser takes. The
 * parser then builds the model with every SDF check and error text, so a
 * TypeScript system and an SDF file are checked by the same code.
 */
import type { SourceLocation } from '../sdf/location.js';
import type { XmlElement } from '../sdf/xml.js';
import { callSite } from './call-site.js';
import { Channel } from './channel.js';
import { type AutoId, autoId, checkArgument, element, isOptions } from './element.js';
import { type PdArg, ProtectionDomain } from './protection-domain.js';
import { IoAddressSpace, MemoryRegionRef } from './regions.js';
import type {
  ChannelEndOptions,
  ChannelOptions,
  DomainScheduleOptions,
  Duration,
  IoAddressSpaceOptions,
  MemoryRegionOptions,
  Num,
  ProtectionDomainOptions,
} from './types.js';

/** A child element of `<system>` in call order, made when the tree is written. */
interface Item {
  readonly location: SourceLocation;
  readonly make: () => XmlElement;
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
    const at = callSite();
    checkArgument(typeof name === 'string', 'memoryRegion(name, options)', 'the name must be a string', at);
    checkArgument(isOptions(options, false), 'memoryRegion(name, options)', 'the options must be an object', at);
    const ref = new MemoryRegionRef(name, options, at);
    if (!this.mrs.has(name)) this.mrs.set(name, ref);
    this.items.push({ location: ref.location, make: () => ref.toElement() });
    return ref;
  }

  /** `<protection_domain>` at the top level. */
  protectionDomain(name: string, options: ProtectionDomainOptions): ProtectionDomain {
    const at = callSite();
    checkArgument(typeof name === 'string', 'protectionDomain(name, options)', 'the name must be a string', at);
    checkArgument(isOptions(options, true), 'protectionDomain(name, options)', 'the options must be an object', at);
    const pd = new ProtectionDomain(name, options, at);
    this.pds.push(pd);
    this.items.push({ location: pd.location, make: () => pd.toElement() });
    return pd;
  }

  /** `<channel>` between `a` and `b`; end ids default to the lowest id each PD has free. */
  channel(a: PdArg, b: PdArg, options: ChannelOptions = {}): Channel {
    const location = callSite();
    for (const pd of [a, b]) {
      checkArgument(
        typeof pd === 'string' || pd instanceof ProtectionDomain,
        'channel(a, b, options)',
        'each end must be a protection domain or its name',
        location,
      );
    }
    checkArgument(isOptions(options, false), 'channel(a, b, options)', 'the options must be an object', location);
    const idFor = (pd: PdArg, o: ChannelEndOptions | undefined): AutoId => {
      if (typeof pd !== 'string') return pd.channelId(o?.id, location);
      // A PD named by string: its ids are resolved against that PD at write time.
      const auto: AutoId = autoId(location);
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
          typeof d === 'string'
            ? element('domain', [['name', d]], [], location)
            : element(
                'domain',
                [
                  ['name', d.name],
                  ['id', d.id],
                ],
                [],
                location,
              ),
        );
        const entries = options.schedule.map((e) =>
          e === 'end'
            ? element('schedule_end_marker', [], [], location)
            : element(
                'schedule_entry',
                [
                  ['domain', e.domain],
                  ['duration', durationText(e.duration)],
                ],
                [],
                location,
              ),
        );
        const schedule = element(
          'domain_schedule',
          [
            ['start_index', options.startIndex],
            ['index_shift', options.indexShift],
          ],
          entries,
          location,
        );
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
    return element(
      'system',
      [],
      this.items.map((i) => i.make()),
      this.location,
    );
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
