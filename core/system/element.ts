/** What the system API's builders share: element making, exact integers, automatic ids. */
import type { MicrokitError } from '../errors/microkit-error.js';
import { sdfErrorAt } from '../sdf/errors.js';
import type { SourceLocation } from '../sdf/location.js';
import type { XmlAttribute, XmlElement } from '../sdf/xml.js';
import type { Num } from './types.js';

/** Channel and IRQ ids of a PD, vCPU ids: 0..61. */
export const MAX_CHANNEL_ID = 61n;
/** Child PD ids: 0..63. */
export const MAX_CHILD_ID = 63n;
export const DEFAULT_MAP_BASE = 0x2000_0000n;
export const SMALLEST_PAGE = 0x1000n;

export type Attr = readonly [string, string | Num | boolean | undefined];

export function text(v: string | Num | boolean): string {
  return typeof v === 'string' ? v : String(v);
}

export function element(tag: string, attrs: readonly Attr[], children: readonly XmlElement[], location: SourceLocation): XmlElement {
  const attributes: XmlAttribute[] = [];
  for (const [name, value] of attrs) if (value !== undefined) attributes.push({ name, value: text(value) });
  return { kind: 'element', tag, attributes, children, location };
}

/** An exact integer for the helpers' arithmetic; undefined when the value is not one (the parser then reports it). */
export function exact(v: Num | undefined): bigint | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'bigint') return v;
  return Number.isSafeInteger(v) ? BigInt(v) : undefined;
}

export function alignUp(v: bigint, align: bigint): bigint {
  const r = v % align;
  return r === 0n ? v : v + align - r;
}

export function helperError(msg: string, at: SourceLocation): MicrokitError {
  return sdfErrorAt('SYSTEM_API', msg, at);
}

/**
 * A JavaScript config's argument that TypeScript would have refused: checked
 * at the call, so `protectionDomain('a', null)` is an error there, not a
 * TypeError (an internal error) when the system is written.
 */
export function checkArgument(ok: boolean, call: string, what: string, at: SourceLocation): void {
  if (!ok) throw helperError(`${call}: ${what}`, at);
}

export function isOptions(v: unknown, required: boolean): boolean {
  return v === undefined ? !required : typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The lowest id in 0..max not in `used`. */
export function lowestFree(used: Set<bigint>, max: bigint): bigint | undefined {
  for (let id = 0n; id <= max; id++) if (!used.has(id)) return id;
  return undefined;
}

/** An id to pick later (automatic channel/IRQ ids), in call order across the system. */
export interface AutoId {
  readonly seq: number;
  readonly location: SourceLocation;
  id?: bigint;
}

let sequence = 0;

/** An automatic id, numbered in call order (the order ids are picked in). */
export function autoId(location: SourceLocation): AutoId {
  return { seq: sequence++, location };
}
