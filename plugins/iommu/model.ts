/** IO address spaces (one per device behind an IOMMU), added to SystemDescription by declaration merging. */
import type { IommuDeviceId } from '../../core/arch.js';
import type { SourceLocation } from '../../core/sdf/location.js';

/** PERM_READ / PERM_WRITE bits; IO mappings are never executable. */
export interface IoMap {
  readonly mr: string;
  readonly iovaddr: bigint;
  readonly perms: number;
  readonly location: SourceLocation;
}

export interface IoAddressSpace {
  readonly name: string;
  readonly device: IommuDeviceId;
  /** VT-d domain id (x86). */
  readonly domainId?: bigint;
  readonly maps: readonly IoMap[];
  readonly location: SourceLocation;
}

declare module '../../core/sdf/model.js' {
  interface SystemDescription {
    /** `<io_address_space>` elements, in document order. */
    readonly ioAddressSpaces?: readonly IoAddressSpace[];
  }
}
