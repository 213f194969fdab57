/**
 * The canonical JSON of `capdl-image-dump/1`: two-space indentation, keys
 * sorted in byte order at every level, ASCII only (as Python's `json.dumps`
 * with `sort_keys=True, indent=2`, which wrote the golden dumps), exact
 * integers from bigints. Written in chunks to a sink so a dump of millions of
 * frames is never one string; large arrays can be produced lazily.
 */

/** An array whose items are made only when written (the spec's objects). */
export class LazyJsonArray {
  constructor(
    readonly length: number,
    readonly item: (index: number) => DumpJson,
  ) {}
}

export type DumpJson = null | boolean | number | bigint | string | DumpJson[] | LazyJsonArray | { readonly [key: string]: DumpJson };

export type ChunkSink = (chunk: string) => void;

const FLUSH_AT = 1 << 16;

/** Python `json.dumps(ensure_ascii=True)` string quoting. */
export function quoteAscii(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\u0000-\u001f"\\\u007f-\uffff]/.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

/** Writes `value` canonically to `sink` (no trailing newline). */
export function writeCanonicalJson(value: DumpJson, sink: ChunkSink): void {
  let buf = '';
  const emit = (s: string): void => {
    buf += s;
    if (buf.length >= FLUSH_AT) {
      sink(buf);
      buf = '';
    }
  };
  const write = (v: DumpJson, depth: number): void => {
    if (v === null) return emit('null');
    switch (typeof v) {
      case 'boolean':
      case 'number':
      case 'bigint':
        return emit(String(v));
      case 'string':
        return emit(quoteAscii(v));
      default:
        break;
    }
    const pad = '\n' + '  '.repeat(depth + 1);
    if (Array.isArray(v) || v instanceof LazyJsonArray) {
      const n = v.length;
      if (n === 0) return emit('[]');
      emit('[');
      for (let i = 0; i < n; i++) {
        emit(i === 0 ? pad : ',' + pad);
        write(Array.isArray(v) ? v[i] : (v as LazyJsonArray).item(i), depth + 1);
      }
      return emit('\n' + '  '.repeat(depth) + ']');
    }
    const obj = v as { readonly [key: string]: DumpJson };
    const keys = Object.keys(obj).sort(byteOrder);
    if (keys.length === 0) return emit('{}');
    emit('{');
    keys.forEach((k, i) => {
      emit((i === 0 ? pad : ',' + pad) + quoteAscii(k) + ': ');
      write(obj[k], depth + 1);
    });
    emit('\n' + '  '.repeat(depth) + '}');
  };
  write(value, 0);
  if (buf.length > 0) sink(buf);
}

export function canonicalJson(value: DumpJson): string {
  const parts: string[] = [];
  writeCanonicalJson(value, (c) => parts.push(c));
  return parts.join('');
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
