/**
 * Exact JSON writer: reproduces serde_json's `to_string_pretty` byte for byte,
 * so our outputs can be diffed against the upstream tool's.
 */
import { JSON_CHUNK_SIZE, type JsonChunkSink, type JsonWritable } from './value.js';

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
