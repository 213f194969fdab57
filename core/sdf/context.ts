/**
 * What the SDF parser is given: the kernel facts, the architecture's parse
 * rules, the syntax registered by plugins, and file access for prefill
 * files. Parsing is otherwise pure, so it tests without touching the disk.
 * The shapes of parser extensions live here too, so that the registry
 * (syntax.ts) and the architecture (arch.ts) depend on this module and not
 * on each other.
 */
import type { DiagnosticSink } from '../diagnostics/sink.js';
import type { ArchName, KernelConfig } from '../kernel/config.js';
import type { Channel, Irq, Map as SdfMap, ProtectionDomain, SchedulingParams, SetVar, SystemDescription } from './model.js';
import type { XmlElement } from './xml.js';

/** How the parser reaches files named by the SDF (prefill files). */
export interface SdfFileAccess {
  /** Upstream's search: the first `searchPath/<path>` that exists (absolute paths as they are). */
  resolve(path: string): string | undefined;
  /**
   * That file as upstream names it in messages (the search path as given,
   * joined as Rust joins paths), where it differs from `resolve`'s.
   */
  shown?(path: string): string | undefined;
  read(resolvedPath: string): Uint8Array;
  /** The places `resolve(path)` looks, in order (for a "not found" message). */
  searched?(path: string): readonly string[];
}

export interface SdfParseContext {
  /** The SDF file as the user named it; shown in every location. */
  readonly file: string;
  readonly kernel: KernelConfig;
  readonly arch: SdfArchRules;
  readonly syntax: SdfSyntaxLookup;
  readonly files: SdfFileAccess;
  /** Non-fatal findings, printed by the CLI (upstream prints `WARNING: ...` to stdout). */
  readonly warnings: string[];
  /**
   * Record an element's error and go on with the next element; without a
   * sink the first error throws.
   */
  readonly diagnostics?: DiagnosticSink;
}

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

/** What the parser and the validate rules ask of the architecture (its ArchSupport extends this). */
export interface SdfArchRules {
  readonly name: ArchName;
  /** As upstream prints the architecture in messages, e.g. `AArch64`, `RISC-V (64-bit)`, `x86-64`. */
  readonly displayName: string;
  readonly iommu: IommuSupport;
  /** Present when the architecture can host virtual machines. */
  readonly vm?: VirtualMachineSupport;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A protection domain while its element is being parsed. */
export type ProtectionDomainDraft = Partial<Mutable<ProtectionDomain>> & {
  readonly name: string;
  readonly maps: SdfMap[];
  readonly irqs: Irq[];
  readonly setvars: SetVar[];
  smc: boolean;
};

/** The system while `<system>`'s children are being parsed. */
export type SystemDraft = Partial<Mutable<SystemDescription>>;

/** Parses one `<system>` child element owned by a plugin. */
export type SystemElementParser = (el: XmlElement, ctx: SdfParseContext, system: SystemDraft) => void;

/** Parses one `<protection_domain>` child element owned by a plugin. */
export type PdElementParser = (el: XmlElement, pdElement: XmlElement, ctx: SdfParseContext, pd: ProtectionDomainDraft) => void;

/** Interprets one `<protection_domain>` attribute owned by a plugin (value undefined when absent). */
export type PdAttributeParser = (pdElement: XmlElement, value: string | undefined, ctx: SdfParseContext, pd: ProtectionDomainDraft) => void;

/** The part of an `<irq>` every form shares, parsed by the core before the form. */
export interface IrqCommon {
  readonly id: bigint;
}

/** Parses the form-specific part of an `<irq>` (attributes checked by the form). */
export type IrqFormParser = (el: XmlElement, common: IrqCommon, ctx: SdfParseContext) => Irq;

export interface SyntaxEntry<T> {
  readonly parser: T;
  /** The registering plugin (`core/sdf-parse` for the core's "not on this architecture" fallbacks). */
  readonly owner?: string;
}

export interface IrqFormEntry extends SyntaxEntry<IrqFormParser> {
  /** The attribute whose presence selects this form. */
  readonly discriminator: string;
  /** Forms are tried in ascending order (upstream: irq, then pin, then pcidev). */
  readonly order: number;
}

/** The registry as the parser reads it (SdfSyntax in syntax.ts is the implementation plugins register with). */
export interface SdfSyntaxLookup {
  findSystemElement(tag: string): SystemElementParser | undefined;
  findPdElement(tag: string): PdElementParser | undefined;
  findPdAttribute(name: string): PdAttributeParser | undefined;
  pdAttributeNames(): string[];
  irqFormsInOrder(): IrqFormEntry[];
  /** Every `<system>` child element known (for did-you-mean). */
  systemElementNames(): string[];
  /** Every `<protection_domain>` child element known (for did-you-mean). */
  pdElementNames(): string[];
}
