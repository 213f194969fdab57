/**
 * XML 1.0 well-formedness, checked the way upstream's parser (roxmltree,
 * DTDs refused) checks it, so a malformed SDF gets upstream's reason text:
 * character ranges, names, attribute values, entity and character
 * references, comments, CDATA, PIs, tag nesting, duplicate attributes and
 * namespace prefixes. The same pass reports what it reads to an
 * XmlEventSink (xml-tree.ts builds the SDF's tree from it), so the text is
 * read once.
 *
 * One pass over the text with an explicit stack of open elements: no
 * recursion, so nesting depth is bounded only by memory.
 */
import { attributeValue } from './xml-values.js';

export interface XmlWellFormednessError {
  /** roxmltree's message, positions (`line:col`) included where it has them. */
  readonly reason: string;
  /** Offset of the problem in the text, when there is one. */
  readonly offset?: number;
}

/** Formats an offset of the text as `line:col` (columns count code points). */
export type PositionFormatter = (offset: number) => string;

/** An attribute of a start tag: its qualified name and where its raw value (between the quotes) is. */
export interface XmlAttributeSpan {
  readonly prefix: string;
  readonly local: string;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/**
 * What the checker has read, in document order, each reported once it is
 * known to be well-formed (an error later in the text still wins: the caller
 * drops what it built). Offsets index the text. Processing instructions and
 * the prolog are not reported.
 */
export interface XmlEventSink {
  /** A complete start tag at `start` (its `<`) ending before `end`; `empty` for `<a/>`, which gets no endElement. */
  startElement(start: number, prefix: string, local: string, attributes: readonly XmlAttributeSpan[], empty: boolean, end: number): void;
  /** The end tag of the innermost open element, ending before `end`. */
  endElement(end: number): void;
  /** Character data text[start, end), references still encoded. */
  text(start: number, end: number): void;
  /** A CDATA section starting at `start` (its `<`) with content text[contentStart, contentEnd). */
  cdata(start: number, contentStart: number, contentEnd: number): void;
  /** A comment ending before `end` (also outside the root element). */
  comment(end: number): void;
  /** A processing instruction (also outside the root element): a node of its own, as a comment is. */
  processingInstruction(): void;
}

interface OpenElement {
  readonly qname: string;
  readonly prefix: string;
  /** Prefixes declared on this element (xmlns:p) → their namespace URI, undefined when none. */
  readonly declared?: ReadonlyMap<string, string>;
}

/** The URIs the Namespaces in XML recommendation reserves (roxmltree enforces its rules on them). */
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

interface PendingAttribute extends XmlAttributeSpan {
  readonly start: number;
}

class Malformed extends Error {
  constructor(
    readonly reason: string,
    readonly offset?: number,
  ) {
    super(reason);
  }
}

const PREDEFINED_ENTITIES = new Set(['lt', 'gt', 'amp', 'apos', 'quot']);
/** Above this many attributes on one start tag, duplicates are found with a set rather than a pairwise scan. */
const MANY_ATTRIBUTES = 32;

/** The first well-formedness error of `text`, or undefined when it is well-formed. */
export function findXmlError(text: string, at: PositionFormatter): XmlWellFormednessError | undefined {
  return readXml(text, at);
}

/** Checks `text` as findXmlError does, reporting what it reads to `sink` on the way. */
export function readXml(text: string, at: PositionFormatter, sink?: XmlEventSink): XmlWellFormednessError | undefined {
  try {
    new Checker(text, at, sink).document();
    return undefined;
  } catch (e) {
    if (e instanceof Malformed) return { reason: e.reason, offset: e.offset };
    throw e;
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** XML 1.0 `Char` for a code point. */
export function isXmlChar(cp: number): boolean {
  if (cp < 0x20) return cp === 0x09 || cp === 0x0a || cp === 0x0d;
  if (cp <= 0xd7ff) return true;
  if (cp < 0xe000) return false;
  if (cp <= 0xfffd) return true;
  return cp >= 0x10000 && cp <= 0x10ffff;
}

function isNameStart(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x3a || cp === 0x5f;
  return (
    (cp >= 0xc0 && cp <= 0xd6) ||
    (cp >= 0xd8 && cp <= 0xf6) ||
    (cp >= 0xf8 && cp <= 0x2ff) ||
    (cp >= 0x370 && cp <= 0x37d) ||
    (cp >= 0x37f && cp <= 0x1fff) ||
    (cp >= 0x200c && cp <= 0x200d) ||
    (cp >= 0x2070 && cp <= 0x218f) ||
    (cp >= 0x2c00 && cp <= 0x2fef) ||
    (cp >= 0x3001 && cp <= 0xd7ff) ||
    (cp >= 0xf900 && cp <= 0xfdcf) ||
    (cp >= 0xfdf0 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0xeffff)
  );
}

function isNameChar(cp: number): boolean {
  if (cp < 0x80) return isNameStart(cp) || (cp >= 0x30 && cp <= 0x39) || cp === 0x2d || cp === 0x2e;
  return isNameStart(cp) || cp === 0xb7 || (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x203f && cp <= 0x2040);
}

/** Rust's `{:?}` of a char, as roxmltree prints a non-XML character (only those reach here). */
function rustDebugChar(cp: number): string {
  if (cp === 0) return "'\\0'";
  return `'\\u{${cp.toString(16)}}'`;
}

class Checker {
  private pos = 0;
  private readonly stack: OpenElement[] = [];
  private sawRoot = false;

  constructor(
    private readonly text: string,
    private readonly at: PositionFormatter,
    private readonly sink?: XmlEventSink,
  ) {}

  document(): void {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    this.declaration();
    this.misc();
    this.skipSpaces();
    if (this.startsWith('<!DOCTYPE')) throw new Malformed('XML with DTD detected', this.pos);
    this.skipSpaces();
    if (this.code() === 0x3c) this.element();
    this.misc();
    if (!this.atEnd()) this.fail((p) => `unknown token at ${p}`);
    if (!this.sawRoot) throw new Malformed('the document does not have a root node');
  }

  // --- primitives -----------------------------------------------------------

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private code(): number {
    return this.text.charCodeAt(this.pos);
  }

  private codePointAt(i: number): number {
    return this.text.codePointAt(i) ?? 0;
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  private fail(reason: (pos: string) => string, offset = this.pos): never {
    throw new Malformed(reason(this.at(offset)), offset);
  }

  private endOfStream(): never {
    throw new Malformed('unexpected end of stream', this.text.length);
  }

  /**
   * The character roxmltree shows for the one it did not expect: it compares
   * bytes and prints the first UTF-8 byte as a character (é, C3 A9, is 'Ã').
   */
  private currentCharText(): string {
    const cp = this.codePointAt(this.pos);
    const firstByte = cp < 0x80 ? cp : cp < 0x800 ? 0xc0 | (cp >> 6) : cp < 0x10000 ? 0xe0 | (cp >> 12) : 0xf0 | (cp >> 18);
    return String.fromCharCode(firstByte);
  }

  private skipSpaces(): void {
    while (!this.atEnd() && isSpace(this.code())) this.pos++;
  }

  private consumeSpaces(): void {
    if (this.atEnd()) this.endOfStream();
    if (!isSpace(this.code())) this.fail((p) => `expected a whitespace not '${this.currentCharText()}' at ${p}`);
    this.skipSpaces();
  }

  private consumeChar(expected: string): void {
    if (this.atEnd()) this.endOfStream();
    if (this.text[this.pos] !== expected) this.fail((p) => `expected '${expected}' not '${this.currentCharText()}' at ${p}`);
    this.pos++;
  }

  private skipString(s: string): void {
    if (!this.startsWith(s)) this.fail((p) => `expected '${s}' at ${p}`);
    this.pos += s.length;
  }

  /** Advance over characters until `stop` says so, refusing non-XML characters on the way. */
  private skipChars(stop: (i: number) => boolean): void {
    const t = this.text;
    while (this.pos < t.length) {
      const cp = this.codePointAt(this.pos);
      if (!isXmlChar(cp)) this.fail((p) => `a non-XML character ${rustDebugChar(cp)} found at ${p}`);
      if (stop(this.pos)) return;
      this.pos += cp > 0xffff ? 2 : 1;
    }
  }

  /** Skip to the first of `terminator`; without one, roxmltree expects it where the text ends. */
  private charsUntil(terminator: string): number {
    const start = this.pos;
    const end = this.text.indexOf(terminator, this.pos);
    this.checkChars(start, end < 0 ? this.text.length : end);
    if (end < 0) {
      this.pos = this.text.length;
      this.skipString(terminator);
    }
    this.pos = end;
    return start;
  }

  private checkChars(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0x20 && c < 0xd800) continue;
      const cp = this.codePointAt(i);
      if (!isXmlChar(cp)) {
        this.pos = i;
        this.fail((p) => `a non-XML character ${rustDebugChar(cp)} found at ${p}`);
      }
      if (cp > 0xffff) i++;
    }
  }

  private name(): string {
    const start = this.pos;
    const first = this.codePointAt(this.pos);
    if (this.atEnd() || !isNameStart(first)) this.fail((p) => `invalid name token at ${p}`, start);
    this.pos += first > 0xffff ? 2 : 1;
    while (!this.atEnd()) {
      const cp = this.codePointAt(this.pos);
      if (!isNameChar(cp)) break;
      this.pos += cp > 0xffff ? 2 : 1;
    }
    return this.text.slice(start, this.pos);
  }

  /** A qualified name (`prefix:local`): at most one colon, both parts start as names do. */
  private qname(): { prefix: string; local: string } {
    const start = this.pos;
    let colon = -1;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x3a) {
        if (colon >= 0) this.fail((p) => `invalid name token at ${p}`, start);
        colon = this.pos;
        this.pos++;
      } else if (c < 0x80) {
        if (!isNameChar(c)) break;
        this.pos++;
      } else {
        const cp = this.codePointAt(this.pos);
        if (!isNameChar(cp)) break;
        this.pos += cp > 0xffff ? 2 : 1;
      }
    }
    const prefix = colon >= 0 ? this.text.slice(start, colon) : '';
    const local = this.text.slice(colon >= 0 ? colon + 1 : start, this.pos);
    const startsName = (s: string) => s.length > 0 && isNameStart(s.codePointAt(0)!);
    if ((prefix !== '' && !startsName(prefix)) || !startsName(local)) this.fail((p) => `invalid name token at ${p}`, start);
    return { prefix, local };
  }

  // --- prolog and misc ---------------------------------------------------------

  private declaration(): void {
    if (!this.startsWith('<?xml ')) return;
    this.pos += 5;
    const spaces = () => {
      if (!this.atEnd() && isSpace(this.code())) this.skipSpaces();
      else if (!this.startsWith('?>') && !this.atEnd()) this.fail((p) => `expected a whitespace not '${this.currentCharText()}' at ${p}`);
    };
    spaces();
    if (!this.startsWith('version')) this.skipString('version');
    this.pseudoAttribute();
    spaces();
    if (this.startsWith('encoding')) {
      this.pseudoAttribute();
      spaces();
    }
    if (this.startsWith('standalone')) this.pseudoAttribute();
    this.skipSpaces();
    this.skipString('?>');
  }

  private pseudoAttribute(): void {
    this.qname();
    this.eq();
    const quote = this.quote();
    this.skipChars((i) => this.text[i] === quote || this.text[i] === '<');
    this.consumeChar(quote);
  }

  private misc(): void {
    while (!this.atEnd()) {
      this.skipSpaces();
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<?')) this.pi();
      else break;
    }
  }

  private comment(): void {
    const start = this.pos;
    this.pos += 4;
    const body = this.charsUntil('-->');
    const content = this.text.slice(body, this.pos);
    this.pos += 3;
    if (content.includes('--') || content.endsWith('-')) this.fail((p) => `comment at ${p} contains '--'`, start);
    this.sink?.comment(this.pos);
  }

  private pi(): void {
    if (this.startsWith('<?xml ')) this.fail((p) => `unexpected XML declaration at ${p}`);
    this.pos += 2;
    this.name();
    this.skipSpaces();
    this.charsUntil('?>');
    this.pos += 2;
    this.sink?.processingInstruction();
  }

  // --- elements ------------------------------------------------------------------

  /** The root element and everything in it, iteratively. */
  private element(): void {
    this.startTag();
    while (this.stack.length > 0) {
      if (this.atEnd()) throw new Malformed('the root node was opened but never closed');
      if (this.code() !== 0x3c) {
        this.textNode();
        continue;
      }
      if (this.pos + 1 >= this.text.length) this.fail((p) => `unknown token at ${p}`);
      const next = this.text[this.pos + 1];
      if (next === '!') {
        if (this.startsWith('<!--')) this.comment();
        else if (this.startsWith('<![CDATA[')) this.cdata();
        else this.fail((p) => `unknown token at ${p}`);
      } else if (next === '?') {
        this.pi();
      } else if (next === '/') {
        this.endTag();
      } else {
        this.startTag();
      }
    }
  }

  private startTag(): void {
    const start = this.pos;
    this.pos++;
    const { prefix, local } = this.qname();
    if (prefix === 'xmlns') this.fail((p) => `the 'xmlns' prefix is used at ${p}, but it must not be`, start + 1);
    const attributes: PendingAttribute[] = [];
    let declared: Map<string, string> | undefined;
    for (;;) {
      // The text ending right after the name or an attribute ends the tag as roxmltree reads it: the element is
      // never made, and the document then has no root, or an unclosed one. After a space, it is the end of the stream.
      if (this.atEnd()) return;
      const hadSpace = isSpace(this.code());
      this.skipSpaces();
      if (this.atEnd()) this.endOfStream();
      const c = this.text[this.pos];
      if (c === '/') {
        this.pos++;
        this.consumeChar('>');
        this.closeStartTag(prefix, start, attributes, declared);
        this.sink?.startElement(start, prefix, local, attributes, true, this.pos);
        this.sawRoot = true;
        return;
      }
      if (c === '>') {
        this.pos++;
        this.closeStartTag(prefix, start, attributes, declared);
        this.sink?.startElement(start, prefix, local, attributes, false, this.pos);
        this.stack.push({ qname: prefix ? `${prefix}:${local}` : local, prefix, declared });
        this.sawRoot = true;
        return;
      }
      if (!hadSpace) this.consumeSpaces();
      const attrStart = this.pos;
      const name = this.qname();
      this.eq();
      const quote = this.quote();
      const valueStart = this.pos;
      let end = valueStart;
      const t = this.text;
      const q = quote.charCodeAt(0);
      for (let c = t.charCodeAt(end); end < t.length && c !== q && c !== 0x3c; c = t.charCodeAt(++end));
      if (end >= t.length) this.endOfStream();
      this.checkChars(valueStart, end);
      this.pos = end;
      this.consumeChar(quote);
      this.references(valueStart, end);
      // Checked as each is read, as roxmltree does: before a later attribute's errors.
      if (name.prefix === 'xmlns') declared = this.declarePrefix(name.local, attrStart, attributeValue(t.slice(valueStart, end)), declared);
      else if (name.prefix === '' && name.local === 'xmlns') this.declareDefault(attrStart, attributeValue(t.slice(valueStart, end)));
      attributes.push({ prefix: name.prefix, local: name.local, start: attrStart, valueStart, valueEnd: end });
    }
  }

  /** `xmlns:PREFIX="URI"`: the reserved URIs and prefixes, and one declaration of a prefix per element. */
  private declarePrefix(prefix: string, at: number, uri: string, declared: Map<string, string> | undefined): Map<string, string> | undefined {
    if (uri === XMLNS_NAMESPACE) this.fail((p) => `the 'xmlns' URI is used at ${p}, but it must not be declared`, at);
    if (prefix === 'xml' && uri !== XML_NAMESPACE) this.fail((p) => `'xml' namespace prefix mapped to wrong URI at ${p}`, at);
    if (prefix !== 'xml' && uri === XML_NAMESPACE) this.fail((p) => `the 'xml' namespace URI is used for not 'xml' prefix at ${p}`, at);
    if (declared?.has(prefix)) this.fail((p) => `namespace '${prefix}' at ${p} is already defined`, at);
    // `xml` is bound from the start; declaring it (to its own URI) adds nothing.
    if (prefix === 'xml') return declared;
    return (declared ?? new Map()).set(prefix, uri);
  }

  /** `xmlns="URI"`: neither reserved URI may be the default namespace. */
  private declareDefault(at: number, uri: string): void {
    if (uri === XML_NAMESPACE) this.fail((p) => `the 'xml' namespace URI is used for not 'xml' prefix at ${p}`, at);
    if (uri === XMLNS_NAMESPACE) this.fail((p) => `the 'xmlns' URI is used at ${p}, but it must not be declared`, at);
  }

  /** Namespace prefixes and duplicate attributes (by namespace and local name), checked once the start tag is complete. */
  private closeStartTag(prefix: string, start: number, attributes: PendingAttribute[], declared?: ReadonlyMap<string, string>): void {
    // xmlns declarations are skipped by both checks, so the set sees the same attributes the scan does.
    const seen = attributes.length > MANY_ATTRIBUTES ? new Set<string>() : undefined;
    for (let i = 0; i < attributes.length; i++) {
      const a = attributes[i];
      const unprefixed = a.prefix.length === 0;
      const xmlnsDecl = unprefixed ? a.local === 'xmlns' : a.prefix === 'xmlns';
      if (xmlnsDecl) continue;
      const uri = unprefixed ? undefined : this.namespaceOf(a.prefix, declared);
      if (uri === null) this.fail((p) => `an unknown namespace prefix '${a.prefix}' at ${p}`, a.start);
      // Elements have a handful of attributes: a scan beats building a set per element. A start tag with
      // thousands of them (hostile or generated input) gets a set, or the scan is quadratic: minutes, not milliseconds.
      // The key is the expanded name: no namespace, or the prefix's URI (two prefixes of one URI name one attribute).
      if (seen !== undefined) {
        const key = uri === undefined ? `\u0001${a.local}` : `${uri}\u0000${a.local}`;
        if (seen.has(key)) this.fail((p) => `attribute '${a.local}' at ${p} is already defined`, a.start);
        seen.add(key);
        continue;
      }
      for (let j = 0; j < i; j++) {
        const b = attributes[j];
        if (b.local !== a.local || (b.prefix.length === 0 ? b.local === 'xmlns' : b.prefix === 'xmlns')) continue;
        const other = b.prefix.length === 0 ? undefined : this.namespaceOf(b.prefix, declared);
        if (other === uri) this.fail((p) => `attribute '${a.local}' at ${p} is already defined`, a.start);
      }
    }
    if (prefix !== '' && this.namespaceOf(prefix, declared) === null) {
      this.fail((p) => `an unknown namespace prefix '${prefix}' at ${p}`, start + 1);
    }
  }

  /** The namespace URI `prefix` is bound to here, or null when it is not declared. */
  private namespaceOf(prefix: string, own?: ReadonlyMap<string, string>): string | null {
    if (prefix === 'xml') return XML_NAMESPACE;
    const uri = own?.get(prefix);
    if (uri !== undefined) return uri;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const outer = this.stack[i].declared?.get(prefix);
      if (outer !== undefined) return outer;
    }
    return null;
  }

  private endTag(): void {
    const start = this.pos;
    this.pos += 2;
    const { prefix, local } = this.qname();
    this.skipSpaces();
    this.consumeChar('>');
    const open = this.stack.pop()!;
    const actual = prefix ? `${prefix}:${local}` : local;
    if (actual !== open.qname) this.fail((p) => `expected '${open.qname}' tag, not '${actual}' at ${p}`, start);
    this.sink?.endElement(this.pos);
  }

  private eq(): void {
    this.skipSpaces();
    this.consumeChar('=');
    this.skipSpaces();
  }

  private quote(): string {
    if (this.atEnd()) this.endOfStream();
    const c = this.text[this.pos];
    if (c !== '"' && c !== "'") this.fail((p) => `expected a quote not '${this.currentCharText()}' at ${p}`);
    this.pos++;
    return c;
  }

  private cdata(): void {
    const start = this.pos;
    this.pos += 9;
    const contentStart = this.charsUntil(']]>');
    const contentEnd = this.pos;
    this.pos += 3;
    this.sink?.cdata(start, contentStart, contentEnd);
  }

  private textNode(): void {
    const start = this.pos;
    let end = this.text.indexOf('<', start);
    if (end < 0) end = this.text.length;
    this.checkChars(start, end);
    this.pos = end;
    for (let i = start; i + 2 < end; i++) {
      if (this.text.charCodeAt(i) === 0x5d && this.text.startsWith(']]>', i)) this.fail((p) => `']]>' at ${p} is not allowed inside a character data`);
    }
    this.references(start, end);
    this.sink?.text(start, end);
  }

  /** Every `&` in text[from, to) starts a predefined entity or a character reference naming an XML character. */
  private references(from: number, to: number): void {
    const t = this.text;
    for (let i = from; i < to; i++) {
      if (t.charCodeAt(i) !== 0x26) continue;
      let semi = i + 1;
      while (semi < to && t.charCodeAt(semi) !== 0x3b) semi++;
      const body = semi < to ? t.slice(i + 1, semi) : undefined;
      const malformed = () => this.fail((p) => `malformed entity reference at ${p}`, i);
      if (body === undefined) {
        // roxmltree reads a name first, so `&name` without `;` is malformed, and so is a lone `&`.
        malformed();
      } else if (body.startsWith('#')) {
        const hex = body.startsWith('#x');
        const digits = body.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) malformed();
        const n = Number.parseInt(digits, hex ? 16 : 10);
        if (!(n <= 0xffffffff)) malformed();
        const cp = n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? n : 0xfffd;
        if (!isXmlChar(cp)) malformed();
      } else {
        if (!isValidName(body)) malformed();
        if (!PREDEFINED_ENTITIES.has(body)) this.fail((p) => `unknown entity reference '${body}' at ${p}`, i);
      }
    }
  }
}

function isValidName(s: string): boolean {
  if (s.length === 0 || !isNameStart(s.codePointAt(0)!)) return false;
  for (const ch of s) if (!isNameChar(ch.codePointAt(0)!)) return false;
  return true;
}
