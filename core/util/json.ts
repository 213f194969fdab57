/**
 * Exact JSON: a reader that keeps every integer as a `bigint` (capDL specs
 * carry badges with bit 63 set, far above 2^53) and object key order, and a
 * writer that reproduces serde_json's `to_string_pretty` byte for byte, so our
 * outputs can be diffed against the upstream tool's.
 */

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/**
 * A parsed JSON value. Integer literals are `bigint`; literals with a
 * fraction or exponent are `number`. Objects are `Map`s because plain JS
 * objects reorder integer-like keys.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/**
 * Anything the writer accepts: parsed values, plus plain objects (written in
 * `Object.keys` order) and readonly containers.
 */
export type JsonWritable =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly JsonWritable[]
  | ReadonlyMap<string, JsonWritable>
  | { readonly [key: string]: JsonWritable };

/** Receives the writer's output in pieces of roughly `JSON_CHUNK_SIZE` characters. */
export type JsonChunkSink = (chunk: string) => void;

export const JSON_CHUNK_SIZE = 1 << 16;

/** A malformed document; `line` and `column` are 1-based (column in UTF-16 units). */
export class JsonParseError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;

  constructor(what: string, line: number, column: number, offset: number) {
    super(`${what} at line ${line} column ${column}`);
    this.name = 'JsonParseError';
    this.line = line;
    this.column = column;
    this.offset = offset;
  }
}

// ---------------------------------------------------------------------------
// Reader
// ---------------------------------------------------------------------------

// Deep enough for any document we produce; stops a hostile input from
// turning into a RangeError deep in the recursion.
const MAX_DEPTH = 1000;

const CH_TAB = 0x09;
const CH_LF = 0x0a;
const CH_CR = 0x0d;
const CH_SPACE = 0x20;
const CH_QUOTE = 0x22;
const CH_COMMA = 0x2c;
const CH_MINUS = 0x2d;
const CH_DOT = 0x2e;
const CH_0 = 0x30;
const CH_9 = 0x39;
const CH_COLON = 0x3a;
const CH_LBRACKET = 0x5b;
const CH_BACKSLASH = 0x5c;
const CH_RBRACKET = 0x5d;
const CH_LBRACE = 0x7b;
const CH_RBRACE = 0x7d;

class JsonReader {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('trailing characters');
    return value;
  }

  private fail(what: string, at: number = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.text.length; i++) {
      if (this.text.charCodeAt(i) === CH_LF) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonParseError(what, line, at - lineStart + 1, at);
  }

  private skipWhitespace(): void {
    const t = this.text;
    let p = this.pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) p++;
      else break;
    }
    this.pos = p;
  }

  private parseValue(): JsonValue {
    const c = this.text.charCodeAt(this.pos);
    if (c === CH_LBRACE) return this.parseObject();
    if (c === CH_LBRACKET) return this.parseArray();
    if (c === CH_QUOTE) return this.parseString();
    if (c === CH_MINUS || (c >= CH_0 && c <= CH_9)) return this.parseNumber();
    if (this.text.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (this.text.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (this.text.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    if (this.pos >= this.text.length) this.fail('EOF while parsing a value');
    return this.fail('expected value');
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('recursion limit exceeded');
  }

  private parseObject(): JsonObject {
    this.enter();
    this.pos++; // '{'
    const result: JsonObject = new Map();
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CH_RBRACE) {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      if (this.text.charCodeAt(this.pos) !== CH_QUOTE) {
        if (this.pos >= this.text.length) this.fail('EOF while parsing an object');
        this.fail('key must be a string');
      }
      const keyAt = this.pos;
      const key = this.parseString();
      if (result.has(key)) this.fail(`duplicate key "${key}"`, keyAt);
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== CH_COLON) {
        if (this.pos >= this.text.length) this.fail('EOF while parsing an object');
        this.fail("expected ':'");
      }
      this.pos++;
      this.skipWhitespace();
      result.set(key, this.parseValue());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === CH_COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CH_RBRACE) {
        this.pos++;
        this.depth--;
        return result;
      } else if (this.pos >= this.text.length) {
        this.fail('EOF while parsing an object');
      } else {
        this.fail("expected ',' or '}'");
      }
    }
  }

  private parseArray(): JsonValue[] {
    this.enter();
    this.pos++; // '['
    const result: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CH_RBRACKET) {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      result.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      if (c === CH_COMMA) {
        this.pos++;
        this.skipWhitespace();
      } else if (c === CH_RBRACKET) {
        this.pos++;
        this.depth--;
        return result;
      } else if (this.pos >= this.text.length) {
        this.fail('EOF while parsing a list');
      } else {
        this.fail("expected ',' or ']'");
      }
    }
  }

  private parseNumber(): number | bigint {
    const t = this.text;
    const start = this.pos;
    let p = start;
    if (t.charCodeAt(p) === CH_MINUS) p++;
    const first = t.charCodeAt(p);
    if (first === CH_0) {
      p++;
      const next = t.charCodeAt(p);
      if (next >= CH_0 && next <= CH_9) this.fail('invalid number (leading zero)', p);
    } else if (first > CH_0 && first <= CH_9) {
      while (isDigit(t.charCodeAt(p))) p++;
    } else {
      this.fail('invalid number', p);
    }
    let integral = true;
    if (t.charCodeAt(p) === CH_DOT) {
      integral = false;
      p++;
      if (!isDigit(t.charCodeAt(p))) this.fail('invalid number (digit expected after ".")', p);
      while (isDigit(t.charCodeAt(p))) p++;
    }
    const e = t.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      integral = false;
      p++;
      const sign = t.charCodeAt(p);
      if (sign === 0x2b || sign === CH_MINUS) p++;
      if (!isDigit(t.charCodeAt(p))) this.fail('invalid number (digit expected in exponent)', p);
      while (isDigit(t.charCodeAt(p))) p++;
    }
    this.pos = p;
    const literal = t.slice(start, p);
    return integral ? BigInt(literal) : Number(literal);
  }

  private parseString(): string {
    const t = this.text;
    const start = ++this.pos; // past the opening quote
    let p = start;
    // Fast path: no escapes, the common case for names and keys.
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === CH_QUOTE) {
        this.pos = p + 1;
        return t.slice(start, p);
      }
      if (c === CH_BACKSLASH) break;
      if (c < 0x20 || Number.isNaN(c)) {
        if (p >= t.length) this.fail('EOF while parsing a string', p);
        this.fail('control character in string', p);
      }
      p++;
    }
    let out = t.slice(start, p);
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === CH_QUOTE) {
        this.pos = p + 1;
        return out;
      }
      if (p >= t.length) this.fail('EOF while parsing a string', p);
      if (c < 0x20) this.fail('control character in string', p);
      if (c !== CH_BACKSLASH) {
        let q = p + 1;
        while (q < t.length) {
          const d = t.charCodeAt(q);
          if (d === CH_QUOTE || d === CH_BACKSLASH || d < 0x20) break;
          q++;
        }
        out += t.slice(p, q);
        p = q;
        continue;
      }
      const esc = t.charCodeAt(p + 1);
      switch (esc) {
        case CH_QUOTE: out += '"'; break;
        case CH_BACKSLASH: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          const hex = t.slice(p + 2, p + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape', p);
          out += String.fromCharCode(parseInt(hex, 16));
          p += 6;
          continue;
        }
        default:
          if (p + 1 >= t.length) this.fail('EOF while parsing a string', p + 1);
          this.fail('invalid escape', p);
      }
      p += 2;
    }
  }
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

/**
 * Parse a JSON document. Integers become `bigint` (never rounded), other
 * numbers `number`, objects `Map`s in document order. Duplicate keys are an
 * error: every consumer here reads struct-shaped data, where serde rejects
 * them too.
 */
export function parseJsonExact(text: string): JsonValue {
  return new JsonReader(text).parseDocument();
}

// ---------------------------------------------------------------------------
// Writer
// ---------------------------------------------------------------------------

// serde_json escapes only '"', '\\' and C0 controls; everything else,
// including DEL and non-ASCII, is written raw. Lone surrogates cannot occur
// in Rust strings; we escape them (as JSON.stringify does) rather than emit
// invalid UTF-16.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

const SHORT_ESCAPES: Record<number, string> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

function unicodeEscape(c: number): string {
  return '\\u' + c.toString(16).padStart(4, '0');
}

/** `s` as a JSON string literal, escaped exactly as serde_json does. */
export function quoteJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let replacement: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c) {
      replacement = SHORT_ESCAPES[c] ?? unicodeEscape(c);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed pair is written raw
        continue;
      }
      replacement = unicodeEscape(c);
    }
    if (replacement !== undefined) {
      out += s.slice(runStart, i) + replacement;
      runStart = i + 1;
    }
  }
  return out + s.slice(runStart) + '"';
}

/**
 * Formats a number the way serde_json would format the Rust value we model
 * with it: safe integers as integers (our `number` fields are u8/u32), other
 * finite numbers in JS notation (no such values occur in our data), and
 * non-finite values as `null` like serde_json's `Value`.
 */
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return 'null';
  return String(n);
}

type Container = 0 | 1;
const ARRAY: Container = 0;
const OBJECT: Container = 1;

const indents: string[] = [''];

export function indent(depth: number): string {
  while (indents.length <= depth) indents.push(indents[indents.length - 1] + '  ');
  return indents[depth];
}

/**
 * Streaming writer for serde_json's pretty format: two-space indent, `": "`
 * after keys, one element per line, `[]`/`{}` for empty containers, no
 * trailing newline. It never holds a value tree, so specs with millions of
 * objects can be written directly to a file through `sink`.
 */
export class PrettyJsonWriter {
  // Pieces of the current chunk. Joining them (rather than `+=`) yields a
  // flat string: V8 keeps `+=` results as ropes of tiny strings, which costs
  // many times the text's size in memory when a large output is retained.
  private readonly pieces: string[] = [];
  private pending = 0;
  private readonly chunks: string[] = [];
  private readonly kinds: Container[] = [];
  // Whether the innermost container has no element yet.
  private empty = true;
  private readonly emptyStack: boolean[] = [];
  // Set by `key()`: the next value follows ": " rather than a new line.
  private afterKey = false;

  constructor(private readonly sink?: JsonChunkSink) {}

  beginObject(): this {
    this.open(OBJECT, '{');
    return this;
  }

  endObject(): this {
    this.close(OBJECT, '}');
    return this;
  }

  beginArray(): this {
    this.open(ARRAY, '[');
    return this;
  }

  endArray(): this {
    this.close(ARRAY, ']');
    return this;
  }

  key(name: string): this {
    if (this.kinds[this.kinds.length - 1] !== OBJECT || this.afterKey) {
      throw new Error('PrettyJsonWriter: key() outside an object or after another key');
    }
    this.write((this.empty ? '\n' : ',\n') + indent(this.kinds.length) + quoteJsonString(name) + ': ');
    this.empty = false;
    this.afterKey = true;
    return this;
  }

  string(s: string): this {
    this.scalar(quoteJsonString(s));
    return this;
  }

  /** An integer; `bigint` is the normal case for 64-bit fields. */
  integer(n: bigint | number): this {
    this.scalar(typeof n === 'bigint' ? n.toString() : formatNumber(n));
    return this;
  }

  boolean(b: boolean): this {
    this.scalar(b ? 'true' : 'false');
    return this;
  }

  null(): this {
    this.scalar('null');
    return this;
  }

  /** `Option<Word>`: the integer or null. */
  optionalInteger(n: bigint | number | null): this {
    return n === null ? this.null() : this.integer(n);
  }

  /**
   * A complete value already rendered in this format for the current depth
   * ({@link depth}): its inner lines carry their own indentation. The fast
   * path for the millions of identical-shaped values in large specs.
   */
  rendered(text: string): this {
    this.write(this.prefix() + text);
    return this;
  }

  /** Nesting depth of the next value (its closing bracket's indentation). */
  get depth(): number {
    return this.kinds.length;
  }

  /** Convenience: `key(name)` followed by a scalar or tree value. */
  field(name: string, value: JsonWritable): this {
    return this.key(name).value(value);
  }

  /** Write any value tree. */
  value(v: JsonWritable): this {
    if (v === null) return this.null();
    switch (typeof v) {
      case 'bigint':
        return this.integer(v);
      case 'number':
        this.scalar(formatNumber(v));
        return this;
      case 'boolean':
        return this.boolean(v);
      case 'string':
        return this.string(v);
      case 'object':
        break;
      default:
        throw new TypeError(`PrettyJsonWriter: cannot write a value of type ${typeof v}`);
    }
    if (Array.isArray(v)) {
      this.beginArray();
      for (const item of v as readonly JsonWritable[]) this.value(item);
      return this.endArray();
    }
    this.beginObject();
    if (v instanceof Map) {
      for (const [k, item] of v as ReadonlyMap<string, JsonWritable>) this.key(k).value(item);
    } else {
      const record = v as { readonly [key: string]: JsonWritable };
      for (const k of Object.keys(record)) {
        const item = record[k];
        if (item === undefined) throw new TypeError(`PrettyJsonWriter: field "${k}" is undefined`);
        this.key(k).value(item);
      }
    }
    return this.endObject();
  }

  /**
   * Flush and return the text. With a sink, everything has been handed to it
   * and the result is the empty string.
   */
  finish(): string {
    if (this.kinds.length !== 0) throw new Error('PrettyJsonWriter: unclosed container');
    this.flush();
    if (this.sink) return '';
    const text = this.chunks.join('');
    this.chunks.length = 0;
    return text;
  }

  private write(s: string): void {
    this.pieces.push(s);
    this.pending += s.length;
    if (this.pending >= JSON_CHUNK_SIZE) this.flush();
  }

  private flush(): void {
    if (this.pending === 0) return;
    const chunk = this.pieces.join('');
    this.pieces.length = 0;
    this.pending = 0;
    if (this.sink) this.sink(chunk);
    else this.chunks.push(chunk);
  }

  // Separator and indentation in front of a value, depending on where it is.
  private prefix(): string {
    if (this.afterKey) {
      this.afterKey = false;
      return '';
    }
    const depth = this.kinds.length;
    if (depth === 0) return '';
    if (this.kinds[depth - 1] === OBJECT) {
      throw new Error('PrettyJsonWriter: value inside an object without a key');
    }
    const p = (this.empty ? '\n' : ',\n') + indent(depth);
    this.empty = false;
    return p;
  }

  private scalar(text: string): void {
    this.write(this.prefix() + text);
  }

  private open(kind: Container, bracket: string): void {
    this.write(this.prefix() + bracket);
    this.kinds.push(kind);
    this.emptyStack.push(this.empty);
    this.empty = true;
  }

  private close(kind: Container, bracket: string): void {
    if (this.kinds[this.kinds.length - 1] !== kind || this.afterKey) {
      throw new Error(`PrettyJsonWriter: unbalanced '${bracket}'`);
    }
    this.kinds.pop();
    this.write(this.empty ? bracket : '\n' + indent(this.kinds.length) + bracket);
    this.empty = this.emptyStack.pop() as boolean;
  }
}

/** serde_json's `to_string_pretty` of a value tree. */
export function stringifyJsonPretty(value: JsonWritable): string {
  return new PrettyJsonWriter().value(value).finish();
}
