/**
 * PCI device addresses `bus:device.function` (hex fields), as upstream parses
 * them for MSI IRQs and VT-d IO address spaces, with its error texts.
 */
import { rustParseInt } from '../../core/util/rust-int.js';

export interface PciDevice {
  readonly bus: number;
  readonly device: number;
  readonly function: number;
}

export const PCI_BUS_MAX = 255;
export const PCI_DEV_MAX = 31;
export const PCI_FUNC_MAX = 7;

export type PciParseResult = { readonly ok: true; readonly device: PciDevice } | { readonly ok: false; readonly reason: string };

function field(text: string, max: number, what: 'bus' | 'device' | 'function'): number | string {
  // Upstream parses each field as a signed hex integer, then range-checks it.
  const r = rustParseInt(text.trim(), 16, 64, true);
  if (!r.ok) return `failed to parse PCI ${what}`;
  if (r.value < 0n || r.value > BigInt(max)) return `PCI ${what} must be within [0..${max}]`;
  return Number(r.value);
}

export function parsePciDevice(text: string): PciParseResult {
  const colon = text.indexOf(':');
  const dot = colon < 0 ? -1 : text.indexOf('.', colon + 1);
  if (colon < 0 || dot < 0) return { ok: false, reason: 'expected PCI address in bus:device.function form' };
  const bus = field(text.slice(0, colon), PCI_BUS_MAX, 'bus');
  if (typeof bus === 'string') return { ok: false, reason: bus };
  const device = field(text.slice(colon + 1, dot), PCI_DEV_MAX, 'device');
  if (typeof device === 'string') return { ok: false, reason: device };
  const fn = field(text.slice(dot + 1), PCI_FUNC_MAX, 'function');
  if (typeof fn === 'string') return { ok: false, reason: fn };
  return { ok: true, device: { bus, device, function: fn } };
}

/** `bb:dd.f`, as upstream displays a PCI device. */
export function formatPciDevice(d: PciDevice): string {
  return `${d.bus.toString(16).padStart(2, '0')}:${d.device.toString(16).padStart(2, '0')}.${d.function.toString(16)}`;
}
