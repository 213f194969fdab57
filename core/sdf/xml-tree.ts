/**
 * The SDF's element tree, built from the well-formedness checker's events
 * (xml-wellformed.ts) in the checker's own pass: local tag names, attributes
 * in document order without namespace declarations, and text nodes as
 * roxmltree makes them (character data and CDATA sections merged, split by
 * comments and processing instructions), each with its source location.
 */
import type { LineIndex, SourceLocation } from './location.js';
import type { XmlAttributeSpan, XmlEventSink } from './xml-wellformed.js';
import { attributeValue, cdataValue, textValue } from './xml-values.js';

export interface XmlAttribute {
  /** The local name (`a:name` → `name`). */
  readonly name: string;
  readonly value: string;
  /**
   * Written with a prefix (`a:name`, `xml:lang`): in a namespace, so not the
   * attribute a lookup by name finds (roxmltree's `attribute("name")` is the
   * one without a namespace), though it is checked against the allowed names.
   */
  readonly prefixed?: true;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly tag: string;
  /** In document order (upstream reports the first unknown attribute). */
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlNode[];
  /** Location of the element's `<`. */
  readonly location: SourceLocation;
}

export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  /** Location of the text node's first character, or of the CDATA section it starts with. */
  readonly location: SourceLocation;
  /** Whether it is the element's first child node (comments and PIs count), which is what roxmltree's `text()` returns. */
  readonly first: boolean;
}

export type XmlNode = XmlElement | XmlText;

export interface XmlDocument {
  readonly root: XmlElement;
}

interface OpenElement {
  readonly children: XmlNode[];
  /** Child nodes so far, comments and PIs included (they are not in `children`). */
  nodes: number;
  /** The text node being extended by character data and CDATA sections until the next node of another kind. */
  text?: { parts: string[]; location: SourceLocation; first: boolean };
}

/** Builds the tree from the checker's events, with an explicit stack (nesting depth is bounded by memory only). */
export class XmlTreeBuilder implements XmlEventSink {
  private readonly open: OpenElement[] = [];
  /** One string per distinct tag or attribute name: large SDFs repeat a few names hundreds of thousands of times. */
  private readonly names = new Map<string, string>();
  root?: XmlElement;

  constructor(
    private readonly source: string,
    private readonly file: string,
    private readonly lines: LineIndex,
  ) {}

  startElement(start: number, _prefix: string, local: string, spans: readonly XmlAttributeSpan[], empty: boolean, _end: number): void {
    const attributes: XmlAttribute[] = [];
    for (const a of spans) {
      // Namespace declarations are not attributes to roxmltree.
      if (a.prefix === 'xmlns' || (a.prefix === '' && a.local === 'xmlns')) continue;
      const value = attributeValue(this.source.slice(a.valueStart, a.valueEnd));
      attributes.push(a.prefix === '' ? { name: this.intern(a.local), value } : { name: this.intern(a.local), value, prefixed: true });
    }
    const children: XmlNode[] = [];
    const element: XmlElement = { kind: 'element', tag: this.intern(local), attributes, children, location: this.lines.locate(this.file, start) };
    const parent = this.open[this.open.length - 1];
    if (parent) {
      this.addChild(parent, element);
    } else if (this.root === undefined) {
      this.root = element;
    }
    if (!empty) this.open.push({ children, nodes: 0 });
  }

  endElement(_end: number): void {
    this.closeText(this.open.pop()!);
  }

  text(start: number, end: number): void {
    const f = this.open[this.open.length - 1];
    if (f) this.appendText(f, textValue(this.source.slice(start, end)), start);
  }

  cdata(start: number, contentStart: number, contentEnd: number): void {
    const f = this.open[this.open.length - 1];
    if (f) this.appendText(f, cdataValue(this.source.slice(contentStart, contentEnd)), start);
  }

  comment(_end: number): void {
    this.otherNode();
  }

  processingInstruction(): void {
    this.otherNode();
  }

  /** A comment or PI: not in this tree, but a node that ends the text before it and counts for `first`. */
  private otherNode(): void {
    const f = this.open[this.open.length - 1];
    if (!f) return;
    this.closeText(f);
    f.nodes++;
  }

  private intern(name: string): string {
    const known = this.names.get(name);
    if (known !== undefined) return known;
    this.names.set(name, name);
    return name;
  }

  private appendText(f: OpenElement, value: string, start: number): void {
    if (f.text) {
      f.text.parts.push(value);
      return;
    }
    f.text = { parts: [value], location: this.lines.locate(this.file, start), first: f.nodes === 0 };
    f.nodes++;
  }

  private addChild(f: OpenElement, node: XmlNode): void {
    this.closeText(f);
    f.children.push(node);
    f.nodes++;
  }

  /** Ends the text node being built, if any. */
  private closeText(f: OpenElement): void {
    const t = f.text;
    if (t) {
      f.children.push({ kind: 'text', text: t.parts.length === 1 ? t.parts[0] : t.parts.join(''), location: t.location, first: t.first });
      f.text = undefined;
    }
  }
}
