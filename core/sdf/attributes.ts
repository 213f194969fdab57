/**
 * Reading attributes the way upstream does: allowed-attribute checks,
 * required lookups, numbers and booleans, each failing with upstream's text.
 */
import { rustParseInt } from '../util/rust-int.js';
import { sdfInvalidAttribute, sdfMissingAttribute, sdfNumberError, sdfValueError } from './errors.js';
import { attribute, type XmlElement } from './xml.js';

/** Reject the first attribute (in document order) not in `allowed`. */
export function checkAttributes(el: XmlElement, allowed: readonly string[]): void {
  for (const a of el.attributes) {
    if (!allowed.includes(a.name)) throw sdfInvalidAttribute(el, a.name, allowed);
  }
}

export function requireAttribute(el: XmlElement, name: string): string {
  const v = attribute(el, name);
  if (v === undefined) throw sdfMissingAttribute(el, name);
  return v;
}

/**
 * Upstream's `sdf_parse_number`: underscores ignored, a lowercase `0x`
 * prefix selects hex, otherwise decimal; unsigned 64-bit.
 */
export function parseSdfNumber(el: XmlElement, text: string): bigint {
  const cleaned = text.replaceAll('_', '');
  const hex = cleaned.startsWith('0x');
  const r = rustParseInt(hex ? cleaned.slice(2) : cleaned, hex ? 16 : 10, 64, false);
  if (!r.ok) throw sdfNumberError(el, text, r.kind);
  return r.value;
}

/**
 * Attributes upstream reads with Rust's `str::parse` (decimal only) and
 * unwraps, so anything else crashes it. We accept the same language and
 * reject the rest with a located error instead.
 */
export function parseDecimal(el: XmlElement, text: string, signed: boolean): bigint {
  const r = rustParseInt(text, 10, 64, signed);
  if (!r.ok) {
    const hint = /^[+-]?0x/i.test(text) ? ' (this attribute takes a decimal number)' : '';
    throw sdfNumberError(el, text, r.kind, hint, true);
  }
  return r.value;
}

/** `true` or `false` exactly; otherwise `<name> must be 'true' or 'false'`. */
export function parseBoolAttribute(el: XmlElement, name: string, fallback: boolean): boolean {
  const v = attribute(el, name);
  if (v === undefined) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw sdfValueError(el, `${name} must be 'true' or 'false'`, 'SDF_INVALID_VALUE', { attribute: name });
}

export function optionalNumber(el: XmlElement, name: string): bigint | undefined {
  const v = attribute(el, name);
  return v === undefined ? undefined : parseSdfNumber(el, v);
}
