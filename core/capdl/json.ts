/**
 * The `--capdl-json` format: serde_json's `to_string_pretty` of upstream's
 * `Spec<Fill<FillContent>>`, reproduced byte for byte, and its inverse.
 *
 * serde conventions that define the shape: enums are externally tagged (unit
 * variants as a bare string, others as a one-key object); struct fields keep
 * the Rust declaration order and snake_case names; newtypes (`ObjectId`,
 * `CapSlot`, `Word`, `NonZero`) and `Box` are transparent; `Option` is the
 * value or `null`; `Range` is `{"start", "end"}`; `Vec<u8>` is an array of
 * numbers. Upstream writes the text without a trailing newline.
 */

import { PrettyJsonWriter, indent, parseJsonExact, quoteJsonString } from '../util/json.js';
import type { JsonChunkSink, JsonObject, JsonValue } from '../util/json.js';
import { BOOT_INFO_IDS, CAP_TYPES, OBJECT_TYPES } from './spec.js';
import type {
  BootInfoId,
  Cap,
  CapTableEntry,
  CapdlObject,
  DomainSchedDuration,
  DomainSchedEntry,
  FillEntry,
  FillEntryContent,
  IrqEntry,
  NamedObject,
  ObjectIdRange,
  OrigCapSlots,
  PlainCapType,
  Rights,
  Spec,
  UnitObjectType,
  UntypedCover,
  WordRange,
} from './spec.js';

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

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
  for (const named of spec.objects) writeNamedObject(w, named);
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

function writeRange(w: PrettyJsonWriter, range: ObjectIdRange | WordRange): void {
  w.beginObject().field('start', range.start).field('end', range.end).endObject();
}

function writeDuration(w: PrettyJsonWriter, duration: DomainSchedDuration): void {
  if (duration.type === 'EndMarker') w.string('EndMarker');
  else w.beginObject().field(duration.type, duration.value).endObject();
}

function writeRights(w: PrettyJsonWriter, rights: Rights): void {
  w.beginObject()
    .field('read', rights.read)
    .field('write', rights.write)
    .field('grant', rights.grant)
    .field('grant_reply', rights.grantReply)
    .endObject();
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

function writeSlots(w: PrettyJsonWriter, slots: readonly CapTableEntry[]): void {
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

const zeroFrameTemplates = new Map<number, [string, string, string]>();

function zeroFrame(name: string, sizeBits: number, depth: number): string {
  let t = zeroFrameTemplates.get(depth);
  if (t === undefined) {
    const i = (n: number) => indent(depth + n);
    t = [
      `{\n${i(1)}"name": `,
      `,\n${i(1)}"object": {\n${i(2)}"Frame": {\n${i(3)}"size_bits": `,
      `,\n${i(3)}"paddr": null,\n${i(3)}"init": {\n${i(4)}"entries": []\n${i(3)}}\n${i(2)}}\n${i(1)}}\n${i(0)}}`,
    ];
    zeroFrameTemplates.set(depth, t);
  }
  return t[0] + quoteJsonString(name) + t[1] + sizeBits + t[2];
}

function writeFillContent(w: PrettyJsonWriter, content: FillEntryContent): void {
  w.beginObject();
  switch (content.type) {
    case 'ElfContent':
      w.key('Data').beginObject().key('ElfContent').beginObject();
      w.field('elf_id', content.elfId).field('elf_seg_idx', content.elfSegIdx).key('elf_seg_data_range');
      writeRange(w, content.elfSegDataRange);
      w.endObject().endObject();
      break;
    case 'BytesContent':
      w.key('Data').beginObject().key('BytesContent').beginObject().key('bytes').beginArray();
      for (const byte of content.bytes) w.integer(byte);
      w.endArray().endObject().endObject();
      break;
    case 'BootInfo':
      w.key('BootInfo').beginObject().field('id', content.id).field('offset', content.offset).endObject();
      break;
  }
  w.endObject();
}

function writeFill(w: PrettyJsonWriter, entries: readonly FillEntry[]): void {
  w.beginObject().key('entries').beginArray();
  for (const entry of entries) {
    w.beginObject().key('range');
    writeRange(w, entry.range);
    w.key('content');
    writeFillContent(w, entry.content);
    w.endObject();
  }
  w.endArray().endObject();
}

function writeObject(w: PrettyJsonWriter, object: CapdlObject): void {
  switch (object.type) {
    case 'Endpoint':
    case 'Notification':
    case 'VCpu':
    case 'Reply':
    case 'ArmSmc':
    case 'DomainSet':
      w.string(object.type);
      return;
    default:
      break;
  }
  w.beginObject().key(object.type).beginObject();
  switch (object.type) {
    case 'Untyped':
      w.field('size_bits', object.sizeBits).key('paddr').optionalInteger(object.paddr);
      break;
    case 'CNode':
      w.field('size_bits', object.sizeBits);
      writeSlots(w, object.slots);
      break;
    case 'Tcb': {
      writeSlots(w, object.slots);
      const x = object.extra;
      w.key('extra').beginObject();
      w.field('ipc_buffer_addr', x.ipcBufferAddr)
        .field('affinity', x.affinity)
        .field('prio', x.prio)
        .field('max_prio', x.maxPrio)
        .field('fpu_disabled', x.fpuDisabled)
        .field('resume', x.resume);
      w.key('domain').optionalInteger(x.domain);
      w.field('ip', x.ip).field('sp', x.sp).key('gprs').beginArray();
      for (const gpr of x.gprs) w.integer(gpr);
      w.endArray();
      w.key('master_fault_ep').optionalInteger(x.masterFaultEp);
      w.endObject();
      break;
    }
    case 'Irq':
      writeSlots(w, object.slots);
      break;
    case 'Frame':
      w.field('size_bits', object.sizeBits).key('paddr').optionalInteger(object.paddr).key('init');
      writeFill(w, object.init);
      break;
    case 'PageTable':
      w.field('x86_ept', object.x86Ept).field('is_root', object.isRoot).key('level').optionalInteger(object.level);
      writeSlots(w, object.slots);
      break;
    case 'AsidPool':
      w.field('high', object.high);
      break;
    case 'IOSpace':
      writeSlots(w, object.slots);
      w.field('domain_id', object.domainId).key('pci_device').beginObject();
      w.field('bus', object.pciDevice.bus)
        .field('device', object.pciDevice.device)
        .field('function', object.pciDevice.function);
      w.endObject();
      break;
    case 'IOPageTable':
      writeSlots(w, object.slots);
      w.field('level', object.level);
      break;
    case 'ArmIrq':
      writeSlots(w, object.slots);
      w.key('extra').beginObject().field('trigger', object.extra.trigger).field('target', object.extra.target);
      w.endObject();
      break;
    case 'IrqMsi':
      writeSlots(w, object.slots);
      w.key('extra').beginObject();
      w.field('handle', object.extra.handle)
        .field('pci_bus', object.extra.pciBus)
        .field('pci_dev', object.extra.pciDev)
        .field('pci_func', object.extra.pciFunc);
      w.endObject();
      break;
    case 'IrqIOApic':
      writeSlots(w, object.slots);
      w.key('extra').beginObject();
      w.field('ioapic', object.extra.ioapic)
        .field('pin', object.extra.pin)
        .field('level', object.extra.level)
        .field('polarity', object.extra.polarity);
      w.endObject();
      break;
    case 'RiscvIrq':
      writeSlots(w, object.slots);
      w.key('extra').beginObject().field('trigger', object.extra.trigger).endObject();
      break;
    case 'IOPorts':
      w.field('start_port', object.startPort).field('end_port', object.endPort);
      break;
    case 'SchedContext':
      w.field('size_bits', object.sizeBits).key('extra').beginObject();
      w.field('period', object.extra.period).field('budget', object.extra.budget).field('badge', object.extra.badge);
      w.endObject();
      break;
  }
  w.endObject().endObject();
}

function writeNamedObject(w: PrettyJsonWriter, named: NamedObject): void {
  const o = named.object;
  if (o.type === 'Frame' && o.paddr === null && o.init.length === 0) {
    w.rendered(zeroFrame(named.name, o.sizeBits, w.depth));
    return;
  }
  w.beginObject().field('name', named.name).key('object');
  writeObject(w, named.object);
  w.endObject();
}

// ---------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------

/**
 * Parse `--capdl-json` output back into a spec. Like serde, unknown fields are
 * ignored and `cached_orig_cap_slots`, `log_level` and `x86_ept` may be
 * absent; anything else missing or mistyped is an error naming its path.
 */
export function specFromJson(text: string): Spec {
  return readSpec(parseJsonExact(text), '$');
}

const U8_MAX = 0xffn;
const U32_MAX = 0xffff_ffffn;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

function fail(path: string, what: string): never {
  throw new Error(`capDL JSON: ${path}: ${what}`);
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Map) return 'an object';
  return `${typeof v} ${String(v)}`;
}

function asObject(v: JsonValue, path: string): JsonObject {
  if (!(v instanceof Map)) fail(path, `expected an object, found ${describe(v)}`);
  return v;
}

function asArray(v: JsonValue, path: string): JsonValue[] {
  if (!Array.isArray(v)) fail(path, `expected an array, found ${describe(v)}`);
  return v;
}

function get(o: JsonObject, key: string, path: string): JsonValue {
  const v = o.get(key);
  if (v === undefined) fail(path, `missing field "${key}"`);
  return v;
}

function unsigned(v: JsonValue, max: bigint, path: string): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > max) {
    fail(path, `expected an integer in 0..=${max}, found ${describe(v)}`);
  }
  return v;
}

function word(o: JsonObject, key: string, path: string): bigint {
  return unsigned(get(o, key, path), U64_MAX, `${path}.${key}`);
}

function u8(o: JsonObject, key: string, path: string): number {
  return Number(unsigned(get(o, key, path), U8_MAX, `${path}.${key}`));
}

function u32(o: JsonObject, key: string, path: string): number {
  return Number(unsigned(get(o, key, path), U32_MAX, `${path}.${key}`));
}

/** A `usize` used as an index: kept as a number, so it must be a safe integer. */
function index(o: JsonObject, key: string, path: string): number {
  return Number(unsigned(get(o, key, path), BigInt(Number.MAX_SAFE_INTEGER), `${path}.${key}`));
}

function optional<T>(v: JsonValue | undefined, read: (v: JsonValue) => T): T | null {
  return v === undefined || v === null ? null : read(v);
}

function bool(o: JsonObject, key: string, path: string): boolean {
  const v = get(o, key, path);
  if (typeof v !== 'boolean') fail(`${path}.${key}`, `expected a boolean, found ${describe(v)}`);
  return v;
}

function str(o: JsonObject, key: string, path: string): string {
  const v = get(o, key, path);
  if (typeof v !== 'string') fail(`${path}.${key}`, `expected a string, found ${describe(v)}`);
  return v;
}

/** An externally tagged enum value: a bare string (unit variant) or `{"Tag": payload}`. */
function variant(v: JsonValue, path: string): [string, JsonValue | null] {
  if (typeof v === 'string') return [v, null];
  const o = asObject(v, path);
  if (o.size !== 1) fail(path, `expected an enum variant (one key), found ${o.size} keys`);
  const [tag, payload] = o.entries().next().value as [string, JsonValue];
  return [tag, payload];
}

function payloadObject(payload: JsonValue | null, tag: string, path: string): JsonObject {
  if (payload === null) fail(path, `variant "${tag}" needs a value`);
  return asObject(payload, `${path}.${tag}`);
}

function readObjectIdRange(v: JsonValue, path: string): ObjectIdRange {
  const o = asObject(v, path);
  return { start: u32(o, 'start', path), end: u32(o, 'end', path) };
}

function readWordRange(v: JsonValue, path: string): WordRange {
  const o = asObject(v, path);
  return { start: word(o, 'start', path), end: word(o, 'end', path) };
}

function readRights(v: JsonValue, path: string): Rights {
  const o = asObject(v, path);
  return {
    read: bool(o, 'read', path),
    write: bool(o, 'write', path),
    grant: bool(o, 'grant', path),
    grantReply: bool(o, 'grant_reply', path),
  };
}

const CAP_TYPE_SET: ReadonlySet<string> = new Set(CAP_TYPES);

function readCap(v: JsonValue, path: string): Cap {
  const [tag, payload] = variant(v, path);
  if (!CAP_TYPE_SET.has(tag)) fail(path, `unknown cap variant "${tag}"`);
  const p = `${path}.${tag}`;
  const o = payloadObject(payload, tag, path);
  const object = u32(o, 'object', p);
  switch (tag) {
    case 'Endpoint':
    case 'Notification':
      return { type: tag, object, badge: word(o, 'badge', p), rights: readRights(get(o, 'rights', p), `${p}.rights`) };
    case 'CNode':
      return { type: 'CNode', object, guard: word(o, 'guard', p), guardSize: u8(o, 'guard_size', p) };
    case 'Frame':
      return {
        type: 'Frame',
        object,
        rights: readRights(get(o, 'rights', p), `${p}.rights`),
        cached: bool(o, 'cached', p),
        executable: bool(o, 'executable', p),
      };
    default:
      return { type: tag as PlainCapType, object };
  }
}

function readSlots(o: JsonObject, path: string): CapTableEntry[] {
  const p = `${path}.slots`;
  return asArray(get(o, 'slots', path), p).map((item, i) => {
    const ep = `${p}[${i}]`;
    const entry = asObject(item, ep);
    return { slot: u32(entry, 'slot', ep), cap: readCap(get(entry, 'cap', ep), `${ep}.cap`) };
  });
}

const BOOT_INFO_ID_SET: ReadonlySet<string> = new Set(BOOT_INFO_IDS);

function readFillContent(v: JsonValue, path: string): FillEntryContent {
  const [tag, payload] = variant(v, path);
  if (tag === 'BootInfo') {
    const p = `${path}.BootInfo`;
    const o = payloadObject(payload, tag, path);
    const id = str(o, 'id', p);
    if (!BOOT_INFO_ID_SET.has(id)) fail(`${p}.id`, `unknown bootinfo id "${id}"`);
    return { type: 'BootInfo', id: id as BootInfoId, offset: word(o, 'offset', p) };
  }
  if (tag !== 'Data') fail(path, `unknown fill content variant "${tag}"`);
  if (payload === null) fail(path, 'variant "Data" needs a value');
  const dataPath = `${path}.Data`;
  const [kind, data] = variant(payload, dataPath);
  const p = `${dataPath}.${kind}`;
  const o = payloadObject(data, kind, dataPath);
  switch (kind) {
    case 'ElfContent':
      return {
        type: 'ElfContent',
        elfId: index(o, 'elf_id', p),
        elfSegIdx: index(o, 'elf_seg_idx', p),
        elfSegDataRange: readWordRange(get(o, 'elf_seg_data_range', p), `${p}.elf_seg_data_range`),
      };
    case 'BytesContent': {
      const items = asArray(get(o, 'bytes', p), `${p}.bytes`);
      const bytes = new Uint8Array(items.length);
      for (let i = 0; i < items.length; i++) bytes[i] = Number(unsigned(items[i], U8_MAX, `${p}.bytes[${i}]`));
      return { type: 'BytesContent', bytes };
    }
    default:
      return fail(dataPath, `unknown fill data variant "${kind}"`);
  }
}

function readFill(v: JsonValue, path: string): FillEntry[] {
  const o = asObject(v, path);
  const p = `${path}.entries`;
  return asArray(get(o, 'entries', path), p).map((item, i) => {
    const ep = `${p}[${i}]`;
    const entry = asObject(item, ep);
    return {
      range: readWordRange(get(entry, 'range', ep), `${ep}.range`),
      content: readFillContent(get(entry, 'content', ep), `${ep}.content`),
    };
  });
}

const UNIT_OBJECT_TYPES: ReadonlySet<string> = new Set<UnitObjectType>([
  'Endpoint',
  'Notification',
  'VCpu',
  'Reply',
  'ArmSmc',
  'DomainSet',
]);
const OBJECT_TYPE_SET: ReadonlySet<string> = new Set(OBJECT_TYPES);

function readObject(v: JsonValue, path: string): CapdlObject {
  const [tag, payload] = variant(v, path);
  if (!OBJECT_TYPE_SET.has(tag)) fail(path, `unknown object variant "${tag}"`);
  if (UNIT_OBJECT_TYPES.has(tag)) {
    if (payload !== null) fail(path, `unit variant "${tag}" takes no value`);
    return { type: tag as UnitObjectType };
  }
  const o = payloadObject(payload, tag, path);
  const p = `${path}.${tag}`;
  switch (tag) {
    case 'Untyped':
      return { type: 'Untyped', sizeBits: u8(o, 'size_bits', p), paddr: optional(get(o, 'paddr', p), (x) => unsigned(x, U64_MAX, `${p}.paddr`)) };
    case 'CNode':
      return { type: 'CNode', sizeBits: u8(o, 'size_bits', p), slots: readSlots(o, p) };
    case 'Tcb': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'Tcb',
        slots: readSlots(o, p),
        extra: {
          ipcBufferAddr: word(x, 'ipc_buffer_addr', xp),
          affinity: word(x, 'affinity', xp),
          prio: u8(x, 'prio', xp),
          maxPrio: u8(x, 'max_prio', xp),
          fpuDisabled: bool(x, 'fpu_disabled', xp),
          resume: bool(x, 'resume', xp),
          domain: optional(get(x, 'domain', xp), (d) => Number(unsigned(d, U8_MAX, `${xp}.domain`))),
          ip: word(x, 'ip', xp),
          sp: word(x, 'sp', xp),
          gprs: asArray(get(x, 'gprs', xp), `${xp}.gprs`).map((g, i) => unsigned(g, U64_MAX, `${xp}.gprs[${i}]`)),
          masterFaultEp: optional(get(x, 'master_fault_ep', xp), (m) => unsigned(m, U64_MAX, `${xp}.master_fault_ep`)),
        },
      };
    }
    case 'Irq':
      return { type: 'Irq', slots: readSlots(o, p) };
    case 'Frame':
      return {
        type: 'Frame',
        sizeBits: u8(o, 'size_bits', p),
        paddr: optional(get(o, 'paddr', p), (x) => unsigned(x, U64_MAX, `${p}.paddr`)),
        init: readFill(get(o, 'init', p), `${p}.init`),
      };
    case 'PageTable':
      return {
        type: 'PageTable',
        x86Ept: o.has('x86_ept') ? bool(o, 'x86_ept', p) : false,
        isRoot: bool(o, 'is_root', p),
        level: optional(get(o, 'level', p), (l) => Number(unsigned(l, U8_MAX, `${p}.level`))),
        slots: readSlots(o, p),
      };
    case 'AsidPool':
      return { type: 'AsidPool', high: word(o, 'high', p) };
    case 'IOSpace': {
      const dp = `${p}.pci_device`;
      const d = asObject(get(o, 'pci_device', p), dp);
      return {
        type: 'IOSpace',
        slots: readSlots(o, p),
        domainId: word(o, 'domain_id', p),
        pciDevice: { bus: u8(d, 'bus', dp), device: u8(d, 'device', dp), function: u8(d, 'function', dp) },
      };
    }
    case 'IOPageTable':
      return { type: 'IOPageTable', slots: readSlots(o, p), level: word(o, 'level', p) };
    case 'ArmIrq': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return { type: 'ArmIrq', slots: readSlots(o, p), extra: { trigger: u8(x, 'trigger', xp), target: word(x, 'target', xp) } };
    }
    case 'IrqMsi': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'IrqMsi',
        slots: readSlots(o, p),
        extra: {
          handle: word(x, 'handle', xp),
          pciBus: word(x, 'pci_bus', xp),
          pciDev: word(x, 'pci_dev', xp),
          pciFunc: word(x, 'pci_func', xp),
        },
      };
    }
    case 'IrqIOApic': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'IrqIOApic',
        slots: readSlots(o, p),
        extra: {
          ioapic: word(x, 'ioapic', xp),
          pin: word(x, 'pin', xp),
          level: word(x, 'level', xp),
          polarity: word(x, 'polarity', xp),
        },
      };
    }
    case 'RiscvIrq': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return { type: 'RiscvIrq', slots: readSlots(o, p), extra: { trigger: u8(x, 'trigger', xp) } };
    }
    case 'IOPorts':
      return { type: 'IOPorts', startPort: word(o, 'start_port', p), endPort: word(o, 'end_port', p) };
    case 'SchedContext': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'SchedContext',
        sizeBits: u8(o, 'size_bits', p),
        extra: { period: word(x, 'period', xp), budget: word(x, 'budget', xp), badge: word(x, 'badge', xp) },
      };
    }
    default:
      return fail(path, `unhandled object variant "${tag}"`);
  }
}

function readNamedObject(v: JsonValue, path: string): NamedObject {
  const o = asObject(v, path);
  const name = get(o, 'name', path);
  // The tool-side spec always names its objects; a null name would come from
  // a spec meant for the initialiser, which this model does not describe.
  if (typeof name !== 'string') fail(`${path}.name`, `expected a string, found ${describe(name)}`);
  return { name, object: readObject(get(o, 'object', path), `${path}.object`) };
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
  const objects = asArray(get(o, 'objects', path), `${path}.objects`).map((item, i) =>
    readNamedObject(item, `${path}.objects[${i}]`),
  );
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
    objects,
    irqs,
    domainSchedule,
    domainSetStart: optional(get(o, 'domain_set_start', path), (x) => unsigned(x, U64_MAX, `${path}.domain_set_start`)),
    domainIdxShift: optional(get(o, 'domain_idx_shift', path), (x) => unsigned(x, U64_MAX, `${path}.domain_idx_shift`)),
    asidSlots: asArray(get(o, 'asid_slots', path), `${path}.asid_slots`).map((x, i) =>
      Number(unsigned(x, U32_MAX, `${path}.asid_slots[${i}]`)),
    ),
    rootObjects: readObjectIdRange(get(o, 'root_objects', path), `${path}.root_objects`),
    untypedCovers,
    cachedOrigCapSlots,
    logLevel: optional(o.get('log_level'), (x) => Number(unsigned(x, U8_MAX, `${path}.log_level`))),
  };
}
