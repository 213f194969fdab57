/**
 * Exact JSON reader: every integer stays a `bigint` (capDL specs carry badges
 * with bit 63 set, far above 2^53) and object keys keep document order.
 */
import type { JsonObject, JsonValue } from './value.js';

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
        case CH_QUOTE:
          out += '"';
          break;
        case CH_BACKSLASH:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
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
