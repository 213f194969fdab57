/** Caps, cap tables, rights and ranges in `--capdl-json`; frame caps from per-shape templates (millions of them in large specs). */
import { type PrettyJsonWriter, indent } from '../../util/json.js';
import type { Cap, CapTableEntry, DomainSchedDuration, ObjectIdRange, ObjectWithSlots, Rights, WordRange } from '../spec.js';
import { capRecordsOf } from '../cap-table.js';

export function writeRange(w: PrettyJsonWriter, range: ObjectIdRange | WordRange): void {
  w.beginObject().field('start', range.start).field('end', range.end).endObject();
}

export function writeDuration(w: PrettyJsonWriter, duration: DomainSchedDuration): void {
  if (duration.type === 'EndMarker') w.string('EndMarker');
  else w.beginObject().field(duration.type, duration.value).endObject();
}

function writeRights(w: PrettyJsonWriter, rights: Rights): void {
  w.beginObject().field('read', rights.read).field('write', rights.write).field('grant', rights.grant).field('grant_reply', rights.grantReply).endObject();
}

function writeCap(w: PrettyJsonWriter, cap: Cap): void {
  w.beginObject().key(cap.type).beginObject().field('object', cap.object);
  switch (cap.type) {
    case 'Endpoint':
    case 'Notification':
      w.field('badge', cap.badge).key('rights');
      writeRights(w, cap.rights);
      break;
    case 'CNode':
      w.field('guard', cap.guard).field('guard_size', cap.guardSize);
      break;
    case 'Frame':
      w.key('rights');
      writeRights(w, cap.rights);
      w.field('cached', cap.cached).field('executable', cap.executable);
      break;
    default:
      break;
  }
  w.endObject().endObject();
}

/** The `slots` of an object with a cap table (a compact table's from its records). */
export function writeObjectSlots(w: PrettyJsonWriter, object: ObjectWithSlots): void {
  const records = capRecordsOf(object);
  if (records === undefined) {
    writeSlots(w, object.slots);
    return;
  }
  w.key('slots').beginArray();
  for (let i = 0; i < records.length; i++) {
    const cap = records.cap(i);
    if (cap.type === 'Frame') {
      w.rendered(frameCapEntry(records.slot(i), cap, w.depth));
      continue;
    }
    w.beginObject().field('slot', records.slot(i)).key('cap');
    writeCap(w, cap);
    w.endObject();
  }
  w.endArray();
}

export function writeSlots(w: PrettyJsonWriter, slots: readonly CapTableEntry[]): void {
  w.key('slots').beginArray();
  for (const entry of slots) {
    if (entry.cap.type === 'Frame') {
      w.rendered(frameCapEntry(entry.slot, entry.cap, w.depth));
      continue;
    }
    w.beginObject().field('slot', entry.slot).key('cap');
    writeCap(w, entry.cap);
    w.endObject();
  }
  w.endArray();
}

/*
 * Fast paths: a frame cap in a table slot and a zero-filled frame are most
 * of a large spec. Their text differs only in a few numbers, so the rest is
 * rendered once per depth and shape (tests compare against the generic
 * writer's output through the golden files).
 */
const frameCapTemplates = new Map<string, [string, string, string]>();

function frameCapEntry(slot: number, cap: Extract<Cap, { type: 'Frame' }>, depth: number): string {
  const r = cap.rights;
  const key = `${depth}:${+r.read}${+r.write}${+r.grant}${+r.grantReply}${+cap.cached}${+cap.executable}`;
  let t = frameCapTemplates.get(key);
  if (t === undefined) {
    const i = (n: number) => indent(depth + n);
    t = [
      `{\n${i(1)}"slot": `,
      `,\n${i(1)}"cap": {\n${i(2)}"Frame": {\n${i(3)}"object": `,
      `,\n${i(3)}"rights": {\n${i(4)}"read": ${r.read},\n${i(4)}"write": ${r.write},\n${i(4)}"grant": ${r.grant},\n${i(4)}"grant_reply": ${r.grantReply}\n${i(3)}},` +
        `\n${i(3)}"cached": ${cap.cached},\n${i(3)}"executable": ${cap.executable}\n${i(2)}}\n${i(1)}}\n${i(0)}}`,
    ];
    frameCapTemplates.set(key, t);
  }
  return t[0] + slot + t[1] + cap.object + t[2];
}
