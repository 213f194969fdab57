/**
 * The SDF syntax registry: the extension point through which plugins teach
 * the core parser elements, attributes and IRQ forms. The core knows the
 * whole vocabulary of upstream's SDF; for the parts owned by plugins it
 * installs a fallback that reports the construct the way upstream reports
 * it on an architecture without it. A plugin claims a construct by
 * registering a parser for it, replacing the fallback.
 */
import type { SdfParseContext } from './context.js';
import type { Irq, IrqKind, Map as SdfMap, ProtectionDomain, SetVar, SystemDescription } from './model.js';
import type { XmlAttribute, XmlElement } from './xml.js';

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

/**
 * Writing the model back as SDF (`microkit sdf`): a plugin that parses a
 * construct into the model also says how to write it, so SDF → model → SDF
 * is lossless for every construct the pipeline knows.
 */
export interface PdSdfParts {
  /** Extra `<protection_domain>` attributes, after the core's. */
  readonly attributes?: readonly XmlAttribute[];
  /** Extra child elements (their locations order them among the core's children). */
  readonly children?: readonly XmlElement[];
}

/** Writes a plugin's PD-level data. */
export type PdWriter = (pd: ProtectionDomain) => PdSdfParts;

/** What system writers need beyond the model: the architecture's spelling of IOMMU device ids. */
export interface SdfWriteContext {
  /** `peripheral_id` text that parses back to this device id. */
  formatDeviceId(id: { readonly kind: string; readonly display: string; readonly fields: Readonly<Record<string, number>> }): string;
}

/** Writes a plugin's system-level data as `<system>` children, e.g. `<io_address_space>`. */
export type SystemWriter = (system: SystemDescription, ctx: SdfWriteContext) => readonly XmlElement[];

/** Writes the form-specific attributes of one IRQ kind (the core writes `id` and `setvar_id`). */
export type IrqWriter = (kind: IrqKind) => readonly XmlAttribute[];

interface Entry<T> {
  readonly parser: T;
  /** Plugin name, or undefined for the core's fallback. */
  readonly owner?: string;
}

export interface IrqFormEntry extends Entry<IrqFormParser> {
  /** The attribute whose presence selects this form. */
  readonly discriminator: string;
  /** Forms are tried in ascending order (upstream: irq, then pin, then pcidev). */
  readonly order: number;
}

export class SdfSyntax {
  /** @param currentOwner tells which plugin is registering (the pipeline knows). */
  constructor(private readonly currentOwner: () => string | undefined = () => undefined) {}

  private readonly systemElements = new Map<string, Entry<SystemElementParser>>();
  private readonly pdElements = new Map<string, Entry<PdElementParser>>();
  private readonly pdAttributes = new Map<string, Entry<PdAttributeParser>>();
  private readonly irqForms = new Map<string, IrqFormEntry>();
  private readonly pdWriters: PdWriter[] = [];
  private readonly systemWriters: SystemWriter[] = [];
  private readonly irqWriters = new Map<string, IrqWriter>();

  /** Claim (or, without owner, reserve) a `<system>` child element. */
  systemElement(tag: string, parser: SystemElementParser, owner?: string): void {
    this.systemElements.set(tag, { parser, owner: owner ?? this.currentOwner() });
  }

  pdElement(tag: string, parser: PdElementParser, owner?: string): void {
    this.pdElements.set(tag, { parser, owner: owner ?? this.currentOwner() });
  }

  /**
   * Claim a `<protection_domain>` attribute. Only attributes in upstream's
   * vocabulary are run at upstream's position in the attribute order; others
   * run after the core's attributes.
   */
  pdAttribute(name: string, parser: PdAttributeParser, owner?: string): void {
    this.pdAttributes.set(name, { parser, owner: owner ?? this.currentOwner() });
  }

  irqForm(discriminator: string, order: number, parser: IrqFormParser, owner?: string): void {
    this.irqForms.set(discriminator, { discriminator, order, parser, owner: owner ?? this.currentOwner() });
  }

  /** How `microkit sdf` writes a plugin's PD data (attributes, child elements). */
  pdWriter(writer: PdWriter): void {
    this.pdWriters.push(writer);
  }

  /** How `microkit sdf` writes a plugin's system-level data. */
  systemWriter(writer: SystemWriter): void {
    this.systemWriters.push(writer);
  }

  /** How `microkit sdf` writes an IRQ kind (`IrqKinds` key, e.g. `ioapic`). */
  irqWriter(kind: string, writer: IrqWriter): void {
    this.irqWriters.set(kind, writer);
  }

  writersForPd(): readonly PdWriter[] {
    return this.pdWriters;
  }

  writersForSystem(): readonly SystemWriter[] {
    return this.systemWriters;
  }

  findIrqWriter(kind: string): IrqWriter | undefined {
    return this.irqWriters.get(kind);
  }

  findSystemElement(tag: string): SystemElementParser | undefined {
    return this.systemElements.get(tag)?.parser;
  }

  findPdElement(tag: string): PdElementParser | undefined {
    return this.pdElements.get(tag)?.parser;
  }

  findPdAttribute(name: string): PdAttributeParser | undefined {
    return this.pdAttributes.get(name)?.parser;
  }

  pdAttributeNames(): string[] {
    return [...this.pdAttributes.keys()];
  }

  /** IRQ forms in the order they are tried. */
  irqFormsInOrder(): IrqFormEntry[] {
    return [...this.irqForms.values()].sort((a, b) => a.order - b.order);
  }

  /** Who owns a construct, for `microkit plugins`-style introspection and tests. */
  ownerOf(kind: 'system' | 'pd' | 'pd-attribute' | 'irq-form', name: string): string | undefined {
    const table = { system: this.systemElements, pd: this.pdElements, 'pd-attribute': this.pdAttributes, 'irq-form': this.irqForms }[kind];
    return table.get(name)?.owner;
  }
}
