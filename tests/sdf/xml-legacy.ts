/**
 * The XML layer of the SDF front end: text in, a small element tree with
 * source locations out. xml-wellformed.ts checks well-formedness as upstream's
 * parser does (and words its errors the same way), fast-xml-parser then does the
 * tokenising; this module only adds what the SDF needs on top: ordered attributes, element and text locations, upstream's
 * whitespace rules and a located error for malformed input.
 */
import { XMLParser } from 'fast-xml-parser';
import type { MicrokitError } from '../../core/errors/microkit-error.js';
import { LineIndex, type SourceLocation } from '../../core/sdf/location.js';
import { findXmlError } from '../../core/sdf/xml-wellformed.js';
import { sdfMalformedXml } from '../../core/sdf/xml-errors.js';

export interface XmlAttribute {
  readonly name: string;
  readonly value: string;
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
  /** Location of the first character of the text node. */
  readonly location: SourceLocation;
  /** Whether it is the element's first child node (comments count), which is what roxmltree's `text()` returns. */
  readonly first: boolean;
}

export type XmlNode = XmlElement | XmlText;

export interface XmlDocument {
  readonly root: XmlElement;
}

export function attribute(el: XmlElement, name: string): string | undefined {
  for (const a of el.attributes) if (a.name === name) return a.value;
  return undefined;
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.kind === 'element');
}

/** `Could not parse '<file>': <reason>`, upstream's message for malformed XML (the reason carries its own position). */
function malformed(file: string, reason: string, loc?: SourceLocation): MicrokitError {
  return sdfMalformedXml(file, reason, loc);
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // References are decoded here (decodeReferences): the checker has vetted every one, and fast-xml-parser
  // leaves character references undecoded and caps entity expansions.
  processEntities: false,
  htmlEntities: false,
  captureMetaData: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Well-formed XML of any depth is an SDF; the default limit (100) is a guard for untrusted web input.
  maxNestedTags: Number.MAX_SAFE_INTEGER,
  // A matcher instead of a path string per tag: path strings make deep nesting quadratic.
  jPath: false,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

interface Builder {
  readonly file: string;
  readonly text: string;
  readonly lines: LineIndex;
}

/**
 * Parse SDF text. `file` is the name shown in messages (as given by the
 * user). Throws a located MicrokitError for malformed input.
 */
export function parseXml(text: string, file: string): XmlDocument {
  const lines = new LineIndex(text);
  const bad = findXmlError(text, (offset) => {
    const loc = lines.locate(file, offset);
    return `${loc.line}:${loc.column}`;
  });
  if (bad) throw malformed(file, bad.reason, bad.offset === undefined ? undefined : lines.locate(file, bad.offset));

  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (e) {
    // Well-formed, yet the parser refused it: a parser limitation, reported where it stopped.
    const at = /at position (\d+)/.exec(e instanceof Error ? e.message : '');
    const loc = at ? lines.locate(file, Number(at[1])) : undefined;
    throw malformed(file, `malformed markup${loc ? ` at ${loc.line}:${loc.column}` : ''}`, loc);
  }
  const b: Builder = { file, text, lines };
  const top = raw.filter((n) => elementTag(n) !== undefined);
  if (top.length === 0) throw malformed(file, 'the document does not have a root node');
  const root = buildElement(b, top[0]);
  return { root };
}

function elementTag(n: RawNode): string | undefined {
  for (const k of Object.keys(n)) {
    if (k === ':@' || k === '#text' || k === '#comment' || k === '#cdata') continue;
    return k;
  }
  return undefined;
}

interface Frame {
  readonly raw: RawNode;
  readonly tag: string;
  readonly start: number;
  readonly attributes: XmlAttribute[];
  readonly children: XmlNode[];
  readonly rawChildren: RawNode[];
  next: number;
  /** Where the next child's text starts: text nodes carry no offsets, so we walk the content in step with the parsed children. */
  cursor: number;
}

function openFrame(b: Builder, n: RawNode): Frame {
  const tag = elementTag(n)!;
  const start = metaOf(n)?.startIndex ?? 0;
  const attributes: XmlAttribute[] = [];
  for (const [name, value] of Object.entries(n[':@'] ?? {})) {
    // Namespace declarations are not attributes to roxmltree.
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    attributes.push({ name: localName(name), value: decodeReferences(normaliseAttributeValue(String(value))) });
  }
  const rawChildren = (n[tag] as RawNode[] | undefined) ?? [];
  return { raw: n, tag, start, attributes, children: [], rawChildren, next: 0, cursor: endOfStartTag(b.text, start) };
}

function metaOf(n: RawNode): { startIndex?: number; endIndex?: number } | undefined {
  return (n as Record<symbol, { startIndex?: number; endIndex?: number }>)[META];
}

/** Builds the tree with an explicit stack: nesting depth is bounded by memory, not by the call stack. */
function buildElement(b: Builder, root: RawNode): XmlElement {
  const stack: Frame[] = [openFrame(b, root)];
  for (;;) {
    const f = stack[stack.length - 1];
    if (f.next >= f.rawChildren.length) {
      const el: XmlElement = {
        kind: 'element',
        tag: localName(f.tag),
        attributes: f.attributes,
        children: f.children,
        location: b.lines.locate(b.file, f.start),
      };
      stack.pop();
      if (stack.length === 0) return el;
      const parent = stack[stack.length - 1];
      parent.children.push(el);
      parent.cursor = metaOf(f.raw)?.endIndex ?? parent.cursor;
      continue;
    }
    const first = f.next === 0;
    const c = f.rawChildren[f.next++];
    if ('#text' in c || '#cdata' in c) {
      const textOffset = f.cursor;
      f.cursor = nextMarkup(b.text, f.cursor);
      const value = '#text' in c ? decodeReferences(String(c['#text'])) : cdataText(c);
      const last = f.children[f.children.length - 1];
      if (last && last.kind === 'text') {
        f.children[f.children.length - 1] = { ...last, text: last.text + value };
      } else {
        f.children.push({ kind: 'text', text: value, location: b.lines.locate(b.file, textOffset), first });
      }
      if ('#cdata' in c) f.cursor = skipPast(b.text, f.cursor, ']]>');
    } else if ('#comment' in c) {
      f.cursor = skipPast(b.text, b.text.indexOf('<!--', f.cursor), '-->');
    } else if (elementTag(c) !== undefined) {
      stack.push(openFrame(b, c));
    }
  }
}

function cdataText(c: RawNode): string {
  const v = c['#cdata'];
  if (Array.isArray(v)) return v.map((x) => String((x as RawNode)['#text'] ?? '')).join('');
  return String(v ?? '');
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** XML attribute-value normalisation: literal tabs and newlines read as spaces. */
function normaliseAttributeValue(v: string): string {
  return v.replace(/\r\n|[\t\n\r]/g, ' ');
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Predefined entities and character references; a code point beyond Unicode reads as U+FFFD, as in roxmltree. */
function decodeReferences(v: string): string {
  if (!v.includes('&')) return v;
  return v.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body[0] !== '#') return PREDEFINED[body] ?? whole;
    const n = Number.parseInt(body[1] === 'x' ? body.slice(2) : body.slice(1), body[1] === 'x' ? 16 : 10);
    return String.fromCodePoint(n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? n : 0xfffd);
  });
}

function endOfStartTag(text: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i + 1;
    }
  }
  return text.length;
}

function nextMarkup(text: string, from: number): number {
  const i = text.indexOf('<', from);
  return i < 0 ? text.length : i;
}

function skipPast(text: string, from: number, terminator: string): number {
  if (from < 0) return text.length;
  const i = text.indexOf(terminator, from);
  return i < 0 ? text.length : i + terminator.length;
}
