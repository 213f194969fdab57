/**
 * The XML layer of the SDF front end: text in, a small element tree with
 * source locations out. fast-xml-parser does the tokenising (and its
 * validator the well-formedness check); this module only adds what the SDF
 * needs on top: ordered attributes, element and text locations, upstream's
 * whitespace rules and a located error for malformed input.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MicrokitError } from '../errors/microkit-error.js';
import { LineIndex, type SourceLocation } from './location.js';

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

/** `Could not parse '<file>': <reason>`, upstream's message for malformed XML. */
function malformed(file: string, reason: string, loc?: SourceLocation): MicrokitError {
  const at = loc ? ` at ${loc.line}:${loc.column}` : '';
  return new MicrokitError('SDF_MALFORMED_XML', `Could not parse '${file}': ${reason}${at}`, { location: loc });
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  captureMetaData: true,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
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
  // roxmltree refuses DTDs by default; so do we (no entity expansion games).
  const dtd = /<!DOCTYPE/i.exec(text);
  if (dtd) throw malformed(file, 'XML with DTD detected', lines.locate(file, dtd.index));

  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const where = Number.isInteger(line) ? { file, line, column: Number.isInteger(col) ? col : 1 } : undefined;
    throw malformed(file, msg.replace(/\.$/, ''), where);
  }

  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (e) {
    // The validator let it through but the parser did not: report where, in our words.
    const at = /at position (\d+)/.exec(e instanceof Error ? e.message : '');
    throw malformed(file, 'malformed markup', at ? lines.locate(file, Number(at[1])) : undefined);
  }
  const b: Builder = { file, text, lines };
  const top = raw.filter((n) => elementTag(n) !== undefined);
  if (top.length === 0) throw malformed(file, 'the document has no root element');
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

function buildElement(b: Builder, n: RawNode): XmlElement {
  const tag = elementTag(n)!;
  const meta = (n as Record<symbol, { startIndex?: number; endIndex?: number }>)[META];
  const start = meta?.startIndex ?? 0;
  const attrs: XmlAttribute[] = [];
  for (const [name, value] of Object.entries(n[':@'] ?? {})) {
    // Namespace declarations are not attributes to roxmltree.
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    attrs.push({ name: localName(name), value: normaliseAttributeValue(String(value)) });
  }
  const rawChildren = (n[tag] as RawNode[] | undefined) ?? [];
  const children: XmlNode[] = [];
  // Text nodes carry no offsets, so walk the element's content in step with
  // the parsed children to find where each text node starts.
  let cursor = endOfStartTag(b.text, start);
  let seenNode = false;
  for (const c of rawChildren) {
    const first = !seenNode;
    seenNode = true;
    if ('#text' in c || '#cdata' in c) {
      const textOffset = cursor;
      cursor = nextMarkup(b.text, cursor);
      const value = '#text' in c ? String(c['#text']) : cdataText(c);
      const last = children[children.length - 1];
      if (last && last.kind === 'text') {
        children[children.length - 1] = { ...last, text: last.text + value };
      } else {
        children.push({ kind: 'text', text: value, location: b.lines.locate(b.file, textOffset), first });
      }
      if ('#cdata' in c) cursor = skipPast(b.text, cursor, ']]>');
    } else if ('#comment' in c) {
      cursor = skipPast(b.text, b.text.indexOf('<!--', cursor), '-->');
    } else if (elementTag(c) !== undefined) {
      const el = buildElement(b, c);
      children.push(el);
      const m = (c as Record<symbol, { endIndex?: number }>)[META];
      cursor = m?.endIndex ?? cursor;
    }
  }
  return { kind: 'element', tag: localName(tag), attributes: attrs, children, location: b.lines.locate(b.file, start) };
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
