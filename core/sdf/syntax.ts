/**
 * The SDF syntax registry: the extension point through which plugins teach
 * the core parser elements, attributes and IRQ forms. The core knows the
 * whole vocabulary of upstream's SDF; for the parts owned by plugins it
 * installs a fallback that reports the construct the way upstream reports
 * it on an architecture without it. A plugin claims a construct by
 * registering a parser for it, replacing the fallback.
 */
import type { SdfParseContext } from './context.js';
import type { Irq, Map as SdfMap, ProtectionDomain, SetVar, SystemDescription } from './model.js';
import type { XmlElement } from './xml.js';

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
