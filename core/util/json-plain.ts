/**
 * Exact JSON (integers as bigint) as plain objects, for configuration files
 * where key order does not matter and property access is convenient.
 */
import { parseJsonExact, type JsonValue } from './json.js';

export type PlainJson = null | boolean | number | bigint | string | PlainJson[] | { [key: string]: PlainJson };

export function toPlainJson(v: JsonValue): PlainJson {
  if (v instanceof Map) {
    const out: { [key: string]: PlainJson } = {};
    for (const [k, x] of v) out[k] = toPlainJson(x);
    return out;
  }
  if (Array.isArray(v)) return v.map(toPlainJson);
  return v;
}

export function parsePlainJson(text: string): PlainJson {
  return toPlainJson(parseJsonExact(text));
}
