/**
 * Kernel facts: everything the tool needs to know about one seL4 kernel build
 * (a board + config of a Microkit SDK). They come from the SDK's JSON files,
 * from a preset (when there is no SDK), or from a `--kernel-config` file.
 */

export type ArchName = 'aarch64' | 'riscv64' | 'x86_64';

export const ARCH_NAMES: readonly ArchName[] = ['aarch64', 'riscv64', 'x86_64'];

/** Object size bits, as the SDK's object_sizes.json. */
export interface ObjectSizes {
  readonly tcb: number;
  readonly endpoint: number;
  readonly notification: number;
  readonly reply: number;
  readonly smallPage: number;
  readonly largePage: number;
  readonly hugePage?: number;
  readonly asidPool: number;
  readonly asidTable?: number;
  readonly slot?: number;
  readonly minUntypedBits?: number;
  readonly maxUntypedBits?: number;
  /** Root page table of a VSpace. */
  readonly vspace: number;
  readonly pageTable: number;
  readonly vcpu?: number;
  readonly ioPageTable?: number;
}

export interface AddressSpaceConstants {
  readonly pageTableIndexBits: number;
  /** AArch64: index bits of the root table (10 for stage-2 tables starting at level 1). */
  readonly vspaceIndexBits?: number;
  /** x86 VT-d: index bits of an IO page table. */
  readonly ioPageTableIndexBits?: number;
  /** Highest user virtual address (inclusive). */
  readonly vspaceUserTop: bigint;
}

/** A half-open physical range [start, end). */
export interface PhysicalRange {
  readonly start: bigint;
  readonly end: bigint;
}

/** The platform's physical memory map (ARM/RISC-V; unknown on x86 at build time). */
export interface PlatformMemory {
  readonly normal: readonly PhysicalRange[];
  readonly device: readonly PhysicalRange[];
}

export interface KernelConfig {
  readonly arch: ArchName;
  readonly wordSize: number;
  readonly minimumPageSize: bigint;
  readonly paddrUserDeviceTop: bigint;
  readonly kernelFrameSize: bigint;
  readonly initCNodeBits: number;
  readonly capAddressBits: number;
  readonly maxNumBootinfoUntypeds: number;
  readonly fanOutLimit: number;
  /** ARM hypervisor support or x86 VT-x. */
  readonly hypervisor: boolean;
  readonly iommu: boolean;
  /** Upstream derives this from the config name being exactly `benchmark`. */
  readonly benchmark: boolean;
  readonly numCores: number;
  readonly numDomains: number;
  readonly numDomainSchedules: bigint;
  readonly fpu: boolean;
  /** AArch64 only: 40 or 44. */
  readonly armPaSizeBits?: number;
  /** AArch64 only: whether the kernel allows SMC calls; undefined elsewhere. */
  readonly armSmc?: boolean;
  /** RISC-V only: page-table levels (Sv39 = 3). */
  readonly riscvPtLevels?: number;
  readonly addressSpace: AddressSpaceConstants;
  readonly objectSizes?: ObjectSizes;
  readonly memory?: PlatformMemory;
}

/** Page sizes every architecture supports (upstream's Config::page_sizes). */
export const PAGE_SIZES: readonly bigint[] = [0x1000n, 0x200000n];

export function pageSizes(_kernel: KernelConfig): readonly bigint[] {
  return PAGE_SIZES;
}

/** The IPC buffer lives in the highest user page. */
export function pdIpcBufferVaddr(kernel: KernelConfig): bigint {
  return kernel.addressSpace.vspaceUserTop & ~(0x1000n - 1n);
}

/** Bottom of a PD's stack: below the IPC buffer and one guard page. */
export function pdStackBottom(kernel: KernelConfig, stackSize: bigint): bigint {
  return pdIpcBufferVaddr(kernel) - 0x1000n - stackSize;
}

/** First invalid vaddr for a PD `<map>`. */
export function pdMapMaxVaddr(kernel: KernelConfig, stackSize: bigint): bigint {
  return pdStackBottom(kernel, stackSize);
}

/** First invalid guest-physical address for a VM `<map>`. */
export function vmMapMaxVaddr(kernel: KernelConfig): bigint {
  return kernel.addressSpace.vspaceUserTop + 1n;
}
