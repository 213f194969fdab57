/** Reading `--capdl-json`: typed accessors for serde's shapes (integers with their Rust ranges, options, externally tagged enums, ranges), each failing with the JSON path. */
import type { JsonObject, JsonValue } from '../../util/json.js';
import type { ObjectIdRange, WordRange } from '../spec.js';

export const U8_MAX = 0xffn;
export const U32_MAX = 0xffff_ffffn;
export const U64_MAX = 0xffff_ffff_ffff_ffffn;

export function fail(path: string, what: string): never {
  throw new Error(`capDL JSON: ${path}: ${what}`);
}

export function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Map) return 'an object';
  return `${typeof v} ${String(v)}`;
}

export function asObject(v: JsonValue, path: string): JsonObject {
  if (!(v instanceof Map)) fail(path, `expected an object, found ${describe(v)}`);
  return v;
}

export function asArray(v: JsonValue, path: string): JsonValue[] {
  if (!Array.isArray(v)) fail(path, `expected an array, found ${describe(v)}`);
  return v;
}

export function get(o: JsonObject, key: string, path: string): JsonValue {
  const v = o.get(key);
  if (v === undefined) fail(path, `missing field "${key}"`);
  return v;
}

export function unsigned(v: JsonValue, max: bigint, path: string): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > max) {
    fail(path, `expected an integer in 0..=${max}, found ${describe(v)}`);
  }
  return v;
}

export function word(o: JsonObject, key: string, path: string): bigint {
  return unsigned(get(o, key, path), U64_MAX, `${path}.${key}`);
}

export function u8(o: JsonObject, key: string, path: string): number {
  return Number(unsigned(get(o, key, path), U8_MAX, `${path}.${key}`));
}

export function u32(o: JsonObject, key: string, path: string): number {
  return Number(unsigned(get(o, key, path), U32_MAX, `${path}.${key}`));
}

/** A `usize` used as an index: kept as a number, so it must be a safe integer. */
export function index(o: JsonObject, key: string, path: string): number {
  return Number(unsigned(get(o, key, path), BigInt(Number.MAX_SAFE_INTEGER), `${path}.${key}`));
}

export function optional<T>(v: JsonValue | undefined, read: (v: JsonValue) => T): T | null {
  return v === undefined || v === null ? null : read(v);
}

export function bool(o: JsonObject, key: string, path: string): boolean {
  const v = get(o, key, path);
  if (typeof v !== 'boolean') fail(`${path}.${key}`, `expected a boolean, found ${describe(v)}`);
  return v;
}

export function str(o: JsonObject, key: string, path: string): string {
  const v = get(o, key, path);
  if (typeof v !== 'string') fail(`${path}.${key}`, `expected a string, found ${describe(v)}`);
  return v;
}

/** An externally tagged enum value: a bare string (unit variant) or `{"Tag": payload}`. */
export function variant(v: JsonValue, path: string): [string, JsonValue | null] {
  if (typeof v === 'string') return [v, null];
  const o = asObject(v, path);
  if (o.size !== 1) fail(path, `expected an enum variant (one key), found ${o.size} keys`);
  const [tag, payload] = o.entries().next().value as [string, JsonValue];
  return [tag, payload];
}

export function payloadObject(payload: JsonValue | null, tag: string, path: string): JsonObject {
  if (payload === null) fail(path, `variant "${tag}" needs a value`);
  return asObject(payload, `${path}.${tag}`);
}

export function readObjectIdRange(v: JsonValue, path: string): ObjectIdRange {
  const o = asObject(v, path);
  return { start: u32(o, 'start', path), end: u32(o, 'end', path) };
}

export function readWordRange(v: JsonValue, path: string): WordRange {
  const o = asObject(v, path);
  return { start: word(o, 'start', path), end: word(o, 'end', path) };
}
