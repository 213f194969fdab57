/**
 * What an architecture plugin tells the core about its architecture. The
 * core never switches on the architecture name: it asks the registered
 * ArchSupport instead. Parse/validate needs are here; spec construction
 * needs are added by the spec builder's own extension points.
 */
import type { CapdlObject, PlainCapType } from './capdl/spec.js';
import type { ArchName, KernelConfig } from './kernel/config.js';
import type { PageTableShape } from './capdl/construct/page-table-geometry.js';
import type { BootArch } from './boot/kernel-boot.js';
import type { LoaderArchSupport } from './loader/types.js';
import type { SdfParseContext } from './sdf/context.js';
import type { Channel, Irq, ProtectionDomain, SchedulingParams, SystemDescription } from './sdf/model.js';
import type { XmlElement } from './sdf/xml.js';

/** A device as an IOMMU identifies it (x86 VT-d: a PCI bus:dev.fn). */
export interface IommuDeviceId {
  readonly kind: string;
  /** Stable key for duplicate detection. */
  readonly key: string;
  /** As upstream prints it, e.g. `PCI device 00:03.0`. */
  readonly display: string;
  /** Kind-specific fields, e.g. bus/device/function. */
  readonly fields: Readonly<Record<string, number>>;
}

export type IommuDeviceIdResult = { readonly ok: true; readonly id: IommuDeviceId } | { readonly ok: false; readonly reason: string };

export interface VirtualMachineSupport {
  /** Attributes `<virtual_machine>` accepts on this architecture (upstream: AArch64 adds priority/budget/period). */
  readonly attributes: readonly string[];
  /** Scheduling parameters of the VM's own threads, when the architecture gives VMs their own. */
  parseSchedParams?(el: XmlElement, ctx: SdfParseContext): SchedulingParams | undefined;
  /** Whole-system rule for a PD with a VM, run in the VM-name pass (upstream S10). */
  checkVmm?(pd: ProtectionDomain, system: SystemDescription, kernel: KernelConfig): void;
  /** Rule for a channel, run after the PPC-priority rule (upstream S14). */
  checkChannel?(channel: Channel, system: SystemDescription, kernel: KernelConfig): void;
}

/** How this architecture's IOMMU identifies devices and address spaces. */
export interface IommuSupport {
  /** Parse an `<io_address_space peripheral_id>`. */
  parseDeviceId(text: string): IommuDeviceIdResult;
  /** The `peripheral_id` text for a device id (`microkit sdf`); parseDeviceId of it gives the id back. */
  formatDeviceId?(id: IommuDeviceId): string;
  /** Whether `domain_id` is required (and must be unique), as on x86 VT-d. */
  readonly domainIds: boolean;
}

/** An IRQ's handler object (its cap table still empty) and the kind of cap that controls it. */
export interface IrqObjectSpec {
  readonly object: CapdlObject;
  readonly handlerCap: PlainCapType;
}

/** What spec construction needs from the architecture. */
export interface ArchSpecSupport {
  /** Shape of a PD's VSpace (and of an AArch64 VM's guest address space). */
  vspace(kernel: KernelConfig): PageTableShape;
  /** The handler object of one of a PD's IRQs. */
  irqObject(irq: Irq, pd: ProtectionDomain): IrqObjectSpec;
  /** Whether vCPUs run on threads of their own that the monitor names (vm_names): AArch64 yes, x86 no. */
  readonly vcpuThreads: boolean;
}

export interface ArchSupport {
  readonly name: ArchName;
  /** As upstream prints the architecture in messages, e.g. `AArch64`, `RISC-V (64-bit)`, `x86-64`. */
  readonly displayName: string;
  readonly iommu: IommuSupport;
  /** Present when the architecture can host virtual machines. */
  readonly vm?: VirtualMachineSupport;
  /** Needed to build a spec (not to check an SDF). */
  readonly spec?: ArchSpecSupport;
  /**
   * Facts for emulating the kernel's boot (ARM, RISC-V). Absent where the
   * memory map is only known at boot (x86): no allocation check, no
   * tool-chosen physical addresses.
   */
  boot?(kernel: KernelConfig): BootArch;
  /** Present when images boot through the Microkit loader (ARM, RISC-V): its boot page tables. */
  readonly loader?: LoaderArchSupport;
}

/** IOMMU support for an architecture whose IOMMU the tool does not know (upstream: SMMU, RISC-V IOMMU). */
export function unsupportedIommu(displayName: string): IommuSupport {
  return {
    domainIds: false,
    parseDeviceId: () => ({ ok: false, reason: `IOMMU device identifiers are not supported on ${displayName}` }),
  };
}
