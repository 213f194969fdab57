/** A system model as plain data without source locations, for comparing models built from different sources. */
import type { SystemDescription } from '../../core/sdf/model.js';

export function comparableModel(system: SystemDescription): unknown {
  return plain(system);
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'location' || k.endsWith('Location') || k === 'file' || x === undefined) continue;
      out[k] = plain(x);
    }
    return out;
  }
  return v;
}
