/**
 * What an architecture plugin tells the core about its architecture. The
 * core never switches on the architecture name: it asks the registered
 * ArchSupport instead. Parse/validate needs are here; spec construction
 * needs are added by the spec builder's own extension points.
 */
import type { CapdlObject, PlainCapType } from './capdl/spec.js';
import type { KernelConfig } from './kernel/config.js';
import type { PageTableShape } from './capdl/construct/page-table-geometry.js';
import type { BootArch } from './boot/kernel-boot.js';
import type { LoaderArchSupport } from './loader/types.js';
import type { IommuSupport, SdfArchRules } from './sdf/context.js';
import type { Irq, ProtectionDomain } from './sdf/model.js';

export type { IommuDeviceId, IommuDeviceIdResult, IommuSupport, SdfArchRules, VirtualMachineSupport } from './sdf/context.js';

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

export interface ArchSupport extends SdfArchRules {
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
