/** The spec as upstream's `--capdl-json` text: the top-level `Spec` fields. */
import { PrettyJsonWriter } from '../../util/json.js';
import type { JsonChunkSink } from '../../util/json.js';
import type { Spec } from '../spec.js';
import { writeDuration, writeRange } from './write-caps.js';
import { writeObjectEntry } from './write-objects.js';

/** The spec as upstream's `--capdl-json` file contents. */
export function specToJson(spec: Spec): string {
  const w = new PrettyJsonWriter();
  writeSpec(w, spec);
  return w.finish();
}

/**
 * Stream the JSON to `sink` in chunks. Use this for very large specs: the
 * whole text of a multi-million-frame spec can exceed V8's string limit.
 */
export function writeSpecJson(spec: Spec, sink: JsonChunkSink): void {
  const w = new PrettyJsonWriter(sink);
  writeSpec(w, spec);
  w.finish();
}

function writeSpec(w: PrettyJsonWriter, spec: Spec): void {
  w.beginObject();
  w.key('objects').beginArray();
  const objects = spec.objects;
  for (let id = 0; id < objects.length; id++) writeObjectEntry(w, objects.name(id), objects.object(id));
  w.endArray();
  w.key('irqs').beginArray();
  for (const irq of spec.irqs) w.beginObject().field('irq', irq.irq).field('handler', irq.handler).endObject();
  w.endArray();
  w.key('domain_schedule');
  if (spec.domainSchedule === null) w.null();
  else {
    w.beginArray();
    for (const entry of spec.domainSchedule) {
      w.beginObject().field('domain', entry.domain).key('duration');
      writeDuration(w, entry.duration);
      w.endObject();
    }
    w.endArray();
  }
  w.key('domain_set_start').optionalInteger(spec.domainSetStart);
  w.key('domain_idx_shift').optionalInteger(spec.domainIdxShift);
  w.key('asid_slots').beginArray();
  for (const id of spec.asidSlots) w.integer(id);
  w.endArray();
  w.key('root_objects');
  writeRange(w, spec.rootObjects);
  w.key('untyped_covers').beginArray();
  for (const cover of spec.untypedCovers) {
    w.beginObject().field('parent', cover.parent).key('children');
    writeRange(w, cover.children);
    w.endObject();
  }
  w.endArray();
  w.key('cached_orig_cap_slots');
  if (spec.cachedOrigCapSlots === null) w.null();
  else {
    const orig = spec.cachedOrigCapSlots;
    w.beginObject().field('num_occupied', orig.numOccupied).key('offsets_by_object').beginArray();
    for (const offset of orig.offsetsByObject) w.optionalInteger(offset);
    w.endArray().endObject();
  }
  w.key('log_level').optionalInteger(spec.logLevel);
  w.endObject();
}
