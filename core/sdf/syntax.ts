/**
 * The SDF syntax registry: the extension point through which plugins teach
 * the core parser elements, attributes and IRQ forms. The core knows the
 * whole vocabulary of upstream's SDF; for the parts owned by plugins it
 * installs a fallback that reports the construct the way upstream reports
 * it on an architecture without it. A plugin claims a construct by
 * registering a parser for it, replacing the fallback.
 */
import type { IrqFormEntry, IrqFormParser, PdAttributeParser, PdElementParser, SdfSyntaxLookup, SyntaxEntry, SystemElementParser } from './context.js';
import { guardCallback } from '../plugin-driver.js';
import type { IrqKind, ProtectionDomain, SystemDescription } from './model.js';
import type { XmlAttribute, XmlElement } from './xml.js';

export type {
  IrqCommon,
  IrqFormEntry,
  IrqFormParser,
  PdAttributeParser,
  PdElementParser,
  ProtectionDomainDraft,
  SystemDraft,
  SystemElementParser,
} from './context.js';

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

export class SdfSyntax implements SdfSyntaxLookup {
  /** @param currentOwner tells which plugin is registering (the pipeline knows). */
  constructor(private readonly currentOwner: () => string | undefined = () => undefined) {}

  private readonly systemElements = new Map<string, SyntaxEntry<SystemElementParser>>();
  private readonly pdElements = new Map<string, SyntaxEntry<PdElementParser>>();
  private readonly pdAttributes = new Map<string, SyntaxEntry<PdAttributeParser>>();
  private readonly irqForms = new Map<string, IrqFormEntry>();
  private readonly pdWriters: PdWriter[] = [];
  private readonly systemWriters: SystemWriter[] = [];
  private readonly irqWriters = new Map<string, IrqWriter>();

  /** Claim (or, without owner, reserve) a `<system>` child element. */
  systemElement(tag: string, parser: SystemElementParser, owner?: string): void {
    const by = owner ?? this.currentOwner();
    this.systemElements.set(tag, { parser: guardCallback(by, `sdf.systemElement:${tag}`, parser), owner: by });
  }

  pdElement(tag: string, parser: PdElementParser, owner?: string): void {
    const by = owner ?? this.currentOwner();
    this.pdElements.set(tag, { parser: guardCallback(by, `sdf.pdElement:${tag}`, parser), owner: by });
  }

  /**
   * Claim a `<protection_domain>` attribute. Only attributes in upstream's
   * vocabulary are run at upstream's position in the attribute order; others
   * run after the core's attributes.
   */
  pdAttribute(name: string, parser: PdAttributeParser, owner?: string): void {
    const by = owner ?? this.currentOwner();
    this.pdAttributes.set(name, { parser: guardCallback(by, `sdf.pdAttribute:${name}`, parser), owner: by });
  }

  irqForm(discriminator: string, order: number, parser: IrqFormParser, owner?: string): void {
    const by = owner ?? this.currentOwner();
    this.irqForms.set(discriminator, { discriminator, order, parser: guardCallback(by, `sdf.irqForm:${discriminator}`, parser), owner: by });
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

  /** Registered `<system>` children (for did-you-mean on an unknown element). */
  systemElementNames(): string[] {
    return [...this.systemElements.keys()];
  }

  /** Registered `<protection_domain>` children. */
  pdElementNames(): string[] {
    return [...this.pdElements.keys()];
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
