/** Memory regions and IO address spaces of the system API. */
import type { SourceLocation } from '../sdf/location.js';
import type { XmlElement } from '../sdf/xml.js';
import { callSite } from './call-site.js';
import { element } from './element.js';
import type { IoAddressSpaceOptions, IoMapOptions, MemoryRegionOptions } from './types.js';

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

/** A region, by reference or by name. */
export type MrArg = MemoryRegionRef | string;

export function isMrArg(v: unknown): v is MrArg {
  return typeof v === 'string' || (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string');
}

export function mrName(mr: MrArg): string {
  return typeof mr === 'string' ? mr : mr.name;
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
    this.maps.push(() =>
      element(
        'iomap',
        [
          ['mr', mrName(mr)],
          ['iovaddr', options.iovaddr],
          ['perms', options.perms],
        ],
        [],
        location,
      ),
    );
    return this;
  }

  /** @internal */
  toElement(): XmlElement {
    return element(
      'io_address_space',
      [
        ['name', this.name],
        ['peripheral_id', this.options.peripheralId],
        ['domain_id', this.options.domainId],
      ],
      this.maps.map((m) => m()),
      this.location,
    );
  }
}
