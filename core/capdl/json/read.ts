/** Parse `--capdl-json` back into a spec: the top-level `Spec` fields. */
import { parseJsonExact } from '../../util/json.js';
import type { JsonValue } from '../../util/json.js';
import type { DomainSchedDuration, DomainSchedEntry, IrqEntry, OrigCapSlots, Spec, UntypedCover } from '../spec.js';
import { U32_MAX, U64_MAX, U8_MAX, asArray, asObject, fail, get, optional, readObjectIdRange, u32, u8, unsigned, variant, word } from './read-values.js';
import { readNamedObject } from './read-objects.js';
import { SpecObjectTable } from '../object-table.js';

/**
 * Parse `--capdl-json` output back into a spec. Like serde, unknown fields are
 * ignored and `cached_orig_cap_slots`, `log_level` and `x86_ept` may be
 * absent; anything else missing or mistyped is an error naming its path.
 */
export function specFromJson(text: string): Spec {
  return readSpec(parseJsonExact(text), '$');
}

function readDuration(v: JsonValue, path: string): DomainSchedDuration {
  const [tag, payload] = variant(v, path);
  if (tag === 'EndMarker') {
    if (payload !== null) fail(path, 'unit variant "EndMarker" takes no value');
    return { type: 'EndMarker' };
  }
  if (tag !== 'Ticks' && tag !== 'Us') fail(path, `unknown duration variant "${tag}"`);
  const value = unsigned(payload, U64_MAX, `${path}.${tag}`);
  if (value === 0n) fail(`${path}.${tag}`, 'duration must be non-zero');
  return { type: tag, value };
}

function readSpec(v: JsonValue, path: string): Spec {
  const o = asObject(v, path);
  const objects = asArray(get(o, 'objects', path), `${path}.objects`).map((item, i) => readNamedObject(item, `${path}.objects[${i}]`));
  const irqs = asArray(get(o, 'irqs', path), `${path}.irqs`).map((item, i): IrqEntry => {
    const ip = `${path}.irqs[${i}]`;
    const irq = asObject(item, ip);
    return { irq: word(irq, 'irq', ip), handler: u32(irq, 'handler', ip) };
  });
  const domainSchedule = optional(get(o, 'domain_schedule', path), (s) =>
    asArray(s, `${path}.domain_schedule`).map((item, i): DomainSchedEntry => {
      const ep = `${path}.domain_schedule[${i}]`;
      const entry = asObject(item, ep);
      return { domain: u8(entry, 'domain', ep), duration: readDuration(get(entry, 'duration', ep), `${ep}.duration`) };
    }),
  );
  const untypedCovers = asArray(get(o, 'untyped_covers', path), `${path}.untyped_covers`).map((item, i): UntypedCover => {
    const cp = `${path}.untyped_covers[${i}]`;
    const cover = asObject(item, cp);
    return { parent: u32(cover, 'parent', cp), children: readObjectIdRange(get(cover, 'children', cp), `${cp}.children`) };
  });
  const cachedOrigCapSlots = optional(o.get('cached_orig_cap_slots'), (c): OrigCapSlots => {
    const cp = `${path}.cached_orig_cap_slots`;
    const orig = asObject(c, cp);
    return {
      numOccupied: u32(orig, 'num_occupied', cp),
      offsetsByObject: asArray(get(orig, 'offsets_by_object', cp), `${cp}.offsets_by_object`).map((x, i) =>
        optional(x, (n) => Number(unsigned(n, U32_MAX, `${cp}.offsets_by_object[${i}]`))),
      ),
    };
  });
  return {
    objects: SpecObjectTable.from(objects),
    irqs,
    domainSchedule,
    domainSetStart: optional(get(o, 'domain_set_start', path), (x) => unsigned(x, U64_MAX, `${path}.domain_set_start`)),
    domainIdxShift: optional(get(o, 'domain_idx_shift', path), (x) => unsigned(x, U64_MAX, `${path}.domain_idx_shift`)),
    asidSlots: asArray(get(o, 'asid_slots', path), `${path}.asid_slots`).map((x, i) => Number(unsigned(x, U32_MAX, `${path}.asid_slots[${i}]`))),
    rootObjects: readObjectIdRange(get(o, 'root_objects', path), `${path}.root_objects`),
    untypedCovers,
    cachedOrigCapSlots,
    logLevel: optional(o.get('log_level'), (x) => Number(unsigned(x, U8_MAX, `${path}.log_level`))),
  };
}
