/**
 * The system described by an SDF, after parsing: the typed model every later
 * stage (validate, allocate, emit) works on. Every 64-bit quantity is a
 * bigint; every node keeps its source location for later stages' errors.
 *
 * Plugins add their own data through TypeScript declaration merging on the
 * interfaces marked "extensible" (see docs/plugins.md): e.g. the x86_64
 * plugin adds `ioports` to ProtectionDomain and the IOMMU plugin adds
 * `ioAddressSpaces` to SystemDescription.
 */
import type { SourceLocation } from './location.js';

/** Mapping permission bits, as upstream's SysMapPerms. */
export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_EXECUTE = 4;

export interface Map {
  readonly mr: string;
  readonly vaddr: bigint;
  /** PERM_* bits. */
  readonly perms: number;
  readonly cached: boolean;
  readonly location: SourceLocation;
}

export type MemoryRegionPhysAddr =
  | { readonly kind: 'unspecified' }
  /** Given in the SDF. */
  | { readonly kind: 'specified'; readonly paddr: bigint }
  /** Subject of `<setvar region_paddr>` without `phys_addr`: the tool picks one. */
  | { kind: 'tool'; paddr?: bigint };

/** Bootinfo-provided contents (upstream's FillEntryContentBootInfoId). */
export type BootInfoId = 'X86Vbe' | 'X86Mbmmap' | 'X86AcpiRsdp' | 'X86FrameBuffer' | 'X86TscFreq' | 'Fdt';

export type MemoryRegionPrefill =
  | { readonly kind: 'file'; readonly path: string; readonly bytes: Uint8Array }
  | { readonly kind: 'bootinfo'; readonly id: BootInfoId };

export interface MemoryRegion {
  readonly name: string;
  readonly size: bigint;
  /** Bytes; starts as the user's (or the smallest) page size, may be raised by page-size optimisation. */
  pageSize: bigint;
  readonly pageSizeSpecified: boolean;
  physAddr: MemoryRegionPhysAddr;
  readonly prefill?: MemoryRegionPrefill;
  readonly location: SourceLocation;
}

/**
 * IRQ kinds, keyed by name (extensible: arch plugins add theirs). The core
 * defines the conventional ARM/RISC-V form.
 */
export interface IrqKinds {
  conventional: { readonly type: 'conventional'; readonly irq: bigint; readonly trigger: 'level' | 'edge' };
}

export type IrqKind = IrqKinds[keyof IrqKinds];

export interface Irq {
  /** The PD-local channel id (0..61). */
  readonly id: bigint;
  /** The system-wide IRQ number that must be unique (x86: the vector). */
  readonly number: bigint;
  readonly kind: IrqKind;
  readonly location: SourceLocation;
}

/** What a setvar writes: a constant known at parse time, or a value resolved later. */
export type SetVarValue =
  | { readonly type: 'constant'; readonly value: bigint }
  | { readonly type: 'mr_size'; readonly mr: string }
  | { readonly type: 'mr_paddr'; readonly mr: string }
  | { readonly type: 'mr_prefill_size'; readonly mr: string };

export interface SetVar {
  readonly symbol: string;
  readonly value: SetVarValue;
  /** The SDF attribute or element that asked for it, e.g. `setvar_vaddr`. */
  readonly origin: string;
  readonly location: SourceLocation;
}

export type CapMapType = 'tcb' | 'sc' | 'vspace';

export interface CapMap {
  readonly type: CapMapType;
  readonly pdName: string;
  /** Index of the named PD in SystemDescription.protectionDomains, resolved after parsing. */
  pd: number;
  readonly slot: bigint;
  readonly location: SourceLocation;
}

export interface SchedulingParams {
  readonly priority: number;
  readonly budget: bigint;
  readonly period: bigint;
}

export interface VirtualCpu {
  readonly id: bigint;
  readonly cpu?: number;
  readonly location: SourceLocation;
}

export interface VirtualMachine {
  readonly name: string;
  readonly vcpus: readonly VirtualCpu[];
  readonly maps: readonly Map[];
  /** AArch64 VMs have their own scheduling parameters; x86 VMs share the VMM's. */
  readonly sched?: SchedulingParams;
  readonly location: SourceLocation;
}

/** Extensible: plugins add PD-level data by declaration merging. */
export interface ProtectionDomain {
  readonly name: string;
  /** Position in the flattened (DFS pre-order) PD list. */
  readonly index: number;
  /** Index of the parent PD, for child PDs. */
  readonly parent?: number;
  /** Child PDs only: the id the parent knows it by. */
  readonly childId?: bigint;
  /** Indices of the direct children. */
  readonly children: readonly number[];
  readonly priority: number;
  readonly budget: bigint;
  readonly period: bigint;
  readonly passive: boolean;
  readonly stackSize: bigint;
  readonly smc: boolean;
  readonly cpu: number;
  /** Domain id when the system declares <domains>. */
  readonly domain?: number;
  readonly fpu: boolean;
  readonly programImage: string;
  readonly programImageForSymbols?: string;
  /** Where the `<program_image>` element is (for messages about the file it names). */
  readonly programImageLocation?: SourceLocation;
  readonly maps: readonly Map[];
  readonly irqs: readonly Irq[];
  readonly setvars: SetVar[];
  readonly capMaps: readonly CapMap[];
  readonly virtualMachine?: VirtualMachine;
  readonly location: SourceLocation;
}

export interface ChannelEnd {
  /** Index into SystemDescription.protectionDomains. */
  readonly pd: number;
  readonly id: bigint;
  readonly notify: boolean;
  readonly pp: boolean;
  readonly setvarId?: string;
  readonly location: SourceLocation;
}

export interface Channel {
  readonly a: ChannelEnd;
  readonly b: ChannelEnd;
  readonly location: SourceLocation;
}

export type DomainScheduleDuration =
  | { readonly type: 'us'; readonly value: bigint }
  | { readonly type: 'ticks'; readonly value: bigint }
  | { readonly type: 'end_marker' };

export interface DomainScheduleEntry {
  readonly domain: number;
  readonly duration: DomainScheduleDuration;
}

export interface Domain {
  readonly name: string;
  readonly id: number;
}

export interface DomainSchedule {
  readonly domains: readonly Domain[];
  readonly schedule: readonly DomainScheduleEntry[];
  readonly startIndex: bigint;
  readonly indexShift?: bigint;
  readonly location: SourceLocation;
}

/** Extensible: plugins add system-level data by declaration merging. */
export interface SystemDescription {
  /** The SDF file as named by the user. */
  readonly file: string;
  readonly protectionDomains: readonly ProtectionDomain[];
  readonly memoryRegions: readonly MemoryRegion[];
  readonly channels: readonly Channel[];
  readonly domainSchedule?: DomainSchedule;
  /** Location of `<system>`, for whole-system errors. */
  readonly location: SourceLocation;
}

export function memoryRegionPaddr(mr: MemoryRegion): bigint | undefined {
  switch (mr.physAddr.kind) {
    case 'specified':
      return mr.physAddr.paddr;
    case 'tool':
      return mr.physAddr.paddr;
    default:
      return undefined;
  }
}

export function pageCount(mr: MemoryRegion): bigint {
  return mr.size / mr.pageSize;
}
