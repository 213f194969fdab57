/**
 * The capDL spec as the tool builds it: rust-sel4's
 * `sel4-capdl-initializer-types` `Spec<Fill<FillContent>>` (the shape upstream
 * writes with `--capdl-json`), in TypeScript.
 *
 * Mapping rules: Rust enums become unions tagged by `type`; fields are
 * camelCase in Rust's declaration order; `Word`, `u64` and byte offsets are
 * `bigint`; small integers (`u8`, `u32`, object ids, slots, indices) are
 * `number`; `Option<T>` is `T | null`; newtypes (`ObjectId`, `CapSlot`,
 * `Word`) are their bare value. The JSON shape lives in `json.ts`.
 *
 * Three deliberate departures, all for specs with millions of frames:
 * - `objects` is an {@link ObjectTable} read by id, not an array: series
 *   frames and the caps of leaf translation tables are compact records in
 *   typed arrays behind it (core/capdl/object-table.ts);
 * - a frame's `init` is the fill entry array itself (upstream wraps it in
 *   `Fill { entries }`), saving one object per frame;
 * - fill data is a reference (`ElfContent`) or a `Uint8Array` view
 *   (`BytesContent`), never a per-byte JS array.
 * Names are always present on the tool side (upstream only strips them while
 * packing for the initialiser), so `name` is a plain string.
 */

import { progressObjects } from '../progress.js';

// ---------------------------------------------------------------------------
// Scalars and small records
// ---------------------------------------------------------------------------

/** Index into `Spec.objects` (u32). */
export type ObjectId = number;

/** Half-open range `[start, end)` of object ids (`Range<ObjectId>`). */
export interface ObjectIdRange {
  start: ObjectId;
  end: ObjectId;
}

/** Half-open 64-bit range (`Range<u64>` / `Range<usize>`). */
export interface WordRange {
  start: bigint;
  end: bigint;
}

export interface Rights {
  read: boolean;
  write: boolean;
  grant: boolean;
  grantReply: boolean;
}

// ---------------------------------------------------------------------------
// Caps
// ---------------------------------------------------------------------------

export interface EndpointCap {
  type: 'Endpoint';
  object: ObjectId;
  badge: bigint;
  rights: Rights;
}

export interface NotificationCap {
  type: 'Notification';
  object: ObjectId;
  badge: bigint;
  rights: Rights;
}

export interface CNodeCap {
  type: 'CNode';
  object: ObjectId;
  guard: bigint;
  guardSize: number;
}

export interface FrameCap {
  type: 'Frame';
  object: ObjectId;
  rights: Rights;
  cached: boolean;
  executable: boolean;
}

/** Cap kinds that carry nothing but the object they refer to. */
export type PlainCapType =
  | 'Untyped'
  | 'Tcb'
  | 'IrqHandler'
  | 'VCpu'
  | 'PageTable'
  | 'AsidPool'
  | 'IOSpace'
  | 'IOPageTable'
  | 'ArmIrqHandler'
  | 'IrqMsiHandler'
  | 'IrqIOApicHandler'
  | 'RiscvIrqHandler'
  | 'IOPorts'
  | 'SchedContext'
  | 'Reply'
  | 'ArmSmc'
  | 'DomainSet';

export interface PlainCap {
  type: PlainCapType;
  object: ObjectId;
}

export type Cap = EndpointCap | NotificationCap | CNodeCap | FrameCap | PlainCap;

export type CapType = Cap['type'];

/** Every cap variant, in the Rust enum's declaration order. */
export const CAP_TYPES: readonly CapType[] = [
  'Untyped',
  'Endpoint',
  'Notification',
  'CNode',
  'Tcb',
  'IrqHandler',
  'VCpu',
  'Frame',
  'PageTable',
  'AsidPool',
  'IOSpace',
  'IOPageTable',
  'ArmIrqHandler',
  'IrqMsiHandler',
  'IrqIOApicHandler',
  'RiscvIrqHandler',
  'IOPorts',
  'SchedContext',
  'Reply',
  'ArmSmc',
  'DomainSet',
];

export interface CapTableEntry {
  slot: number;
  cap: Cap;
}

// ---------------------------------------------------------------------------
// Frame fills
// ---------------------------------------------------------------------------

/** Bytes `elfSegDataRange` of loadable segment `elfSegIdx` of ELF `elfId` (PD index; monitor = #PDs). */
export interface ElfContent {
  type: 'ElfContent';
  elfId: number;
  elfSegIdx: number;
  elfSegDataRange: WordRange;
}

/** Literal bytes (prefilled memory regions). */
export interface BytesContent {
  type: 'BytesContent';
  bytes: Uint8Array;
}

export type BootInfoId = 'Padding' | 'X86Vbe' | 'X86Mbmmap' | 'X86AcpiRsdp' | 'X86FrameBuffer' | 'X86TscFreq' | 'Fdt';

export const BOOT_INFO_IDS: readonly BootInfoId[] = ['Padding', 'X86Vbe', 'X86Mbmmap', 'X86AcpiRsdp', 'X86FrameBuffer', 'X86TscFreq', 'Fdt'];

/** Bootinfo data the initialiser copies in at run time (`FillEntryContent::BootInfo`). */
export interface BootInfoContent {
  type: 'BootInfo';
  id: BootInfoId;
  offset: bigint;
}

/**
 * What fills a range of a frame. Upstream nests `ElfContent` and
 * `BytesContent` under `FillEntryContent::Data`; here the three are one
 * union and the JSON writer adds the `Data` level back.
 */
export type FillEntryContent = ElfContent | BytesContent | BootInfoContent;

export interface FillEntry {
  /** Byte range within the frame. */
  range: WordRange;
  content: FillEntryContent;
}

// ---------------------------------------------------------------------------
// Objects
// ---------------------------------------------------------------------------

export interface UntypedObject {
  type: 'Untyped';
  sizeBits: number;
  paddr: bigint | null;
}

export interface CNodeObject {
  type: 'CNode';
  sizeBits: number;
  slots: CapTableEntry[];
}

export interface TcbExtraInfo {
  ipcBufferAddr: bigint;
  affinity: bigint;
  prio: number;
  maxPrio: number;
  fpuDisabled: boolean;
  resume: boolean;
  domain: number | null;
  ip: bigint;
  sp: bigint;
  gprs: bigint[];
  masterFaultEp: bigint | null;
}

export interface TcbObject {
  type: 'Tcb';
  slots: CapTableEntry[];
  extra: TcbExtraInfo;
}

export interface IrqObject {
  type: 'Irq';
  slots: CapTableEntry[];
}

export interface FrameObject {
  type: 'Frame';
  sizeBits: number;
  paddr: bigint | null;
  /** The fill entries (upstream: `init: Fill { entries }`); empty means zeroed. */
  init: FillEntry[];
}

export interface PageTableObject {
  type: 'PageTable';
  x86Ept: boolean;
  isRoot: boolean;
  level: number | null;
  slots: CapTableEntry[];
}

export interface AsidPoolObject {
  type: 'AsidPool';
  high: bigint;
}

export interface PciDevice {
  bus: number;
  device: number;
  function: number;
}

export interface IOSpaceObject {
  type: 'IOSpace';
  slots: CapTableEntry[];
  domainId: bigint;
  pciDevice: PciDevice;
}

export interface IOPageTableObject {
  type: 'IOPageTable';
  slots: CapTableEntry[];
  /** A `Word` upstream, unlike `PageTable.level`. */
  level: bigint;
}

export interface ArmIrqExtraInfo {
  trigger: number;
  target: bigint;
}

export interface ArmIrqObject {
  type: 'ArmIrq';
  slots: CapTableEntry[];
  extra: ArmIrqExtraInfo;
}

export interface IrqMsiExtraInfo {
  handle: bigint;
  pciBus: bigint;
  pciDev: bigint;
  pciFunc: bigint;
}

export interface IrqMsiObject {
  type: 'IrqMsi';
  slots: CapTableEntry[];
  extra: IrqMsiExtraInfo;
}

export interface IrqIOApicExtraInfo {
  ioapic: bigint;
  pin: bigint;
  level: bigint;
  polarity: bigint;
}

export interface IrqIOApicObject {
  type: 'IrqIOApic';
  slots: CapTableEntry[];
  extra: IrqIOApicExtraInfo;
}

export interface RiscvIrqExtraInfo {
  trigger: number;
}

export interface RiscvIrqObject {
  type: 'RiscvIrq';
  slots: CapTableEntry[];
  extra: RiscvIrqExtraInfo;
}

export interface IOPortsObject {
  type: 'IOPorts';
  startPort: bigint;
  /** Inclusive. */
  endPort: bigint;
}

export interface SchedContextExtraInfo {
  period: bigint;
  budget: bigint;
  badge: bigint;
}

export interface SchedContextObject {
  type: 'SchedContext';
  sizeBits: number;
  extra: SchedContextExtraInfo;
}

/** Object kinds without fields (serde unit variants, written as a bare string). */
export type UnitObjectType = 'Endpoint' | 'Notification' | 'VCpu' | 'Reply' | 'ArmSmc' | 'DomainSet';

export interface UnitObject {
  type: UnitObjectType;
}

export type CapdlObject =
  | UntypedObject
  | UnitObject
  | CNodeObject
  | TcbObject
  | IrqObject
  | FrameObject
  | PageTableObject
  | AsidPoolObject
  | IOSpaceObject
  | IOPageTableObject
  | ArmIrqObject
  | IrqMsiObject
  | IrqIOApicObject
  | RiscvIrqObject
  | IOPortsObject
  | SchedContextObject;

export type ObjectType = CapdlObject['type'];

/** Every object variant, in the Rust enum's declaration order. */
export const OBJECT_TYPES: readonly ObjectType[] = [
  'Untyped',
  'Endpoint',
  'Notification',
  'CNode',
  'Tcb',
  'Irq',
  'VCpu',
  'Frame',
  'PageTable',
  'AsidPool',
  'IOSpace',
  'IOPageTable',
  'ArmIrq',
  'IrqMsi',
  'IrqIOApic',
  'RiscvIrq',
  'IOPorts',
  'SchedContext',
  'Reply',
  'ArmSmc',
  'DomainSet',
];

/** Objects that hold a cap table. */
export type ObjectWithSlots = Extract<CapdlObject, { slots: CapTableEntry[] }>;

export interface NamedObject {
  name: string;
  object: CapdlObject;
}

// ---------------------------------------------------------------------------
// Spec
// ---------------------------------------------------------------------------

export interface IrqEntry {
  irq: bigint;
  handler: ObjectId;
}

/** `NonZero<u64>` durations; `EndMarker` terminates a schedule early. */
export type DomainSchedDuration = { type: 'Ticks'; value: bigint } | { type: 'Us'; value: bigint } | { type: 'EndMarker' };

export interface DomainSchedEntry {
  domain: number;
  duration: DomainSchedDuration;
}

export interface UntypedCover {
  parent: ObjectId;
  children: ObjectIdRange;
}

export interface OrigCapSlots {
  numOccupied: number;
  offsetsByObject: (number | null)[];
}

/**
 * The spec's objects by id (`Spec.objects`). Large specs hold millions of
 * frames, so this is a table with accessors rather than an array of
 * objects: read one field with `name`, `object`, `type`, `paddr` or
 * `sizeBits`, or a whole entry with `get`. Iteration yields the entries in
 * id order. Frames added with `pushSeriesFrame` are stored as compact
 * records: their names are made when asked for, and `get` and `object`
 * return a transient frozen object for them (a write to it throws).
 * Change an object only through one you added with `push`.
 */
export interface ObjectTable extends Iterable<NamedObject> {
  /** Number of objects (ids are `0 .. length - 1`). */
  readonly length: number;
  /** Whether `id` is an object id of this table. */
  has(id: ObjectId): boolean;
  /** The entry `id`; throws a RangeError for an id outside the table. */
  get(id: ObjectId): NamedObject;
  name(id: ObjectId): string;
  object(id: ObjectId): CapdlObject;
  type(id: ObjectId): ObjectType;
  /** Upstream's `Object::paddr`: a frame's or untyped's paddr, else null. */
  paddr(id: ObjectId): bigint | null;
  /** The object's `sizeBits` field (untypeds, CNodes, frames, scheduling contexts), else null. */
  sizeBits(id: ObjectId): number | null;
  /** The first object named `name` (without making the compact frames' names), or undefined. */
  find(name: string): ObjectId | undefined;
  /** Append an object; returns its id. */
  push(name: string, object: CapdlObject): ObjectId;
  /**
   * Append an object with a cap table (a translation table) whose caps are
   * kept as compact records; `get` and `object` return it frozen, with the
   * entries made when its `slots` are read. Add caps with `insertCap`.
   */
  pushCapTable(name: string, object: ObjectWithSlots): ObjectId;
  /** Put `cap` in `slot` of object `id`'s cap table (appended, as `slots.push` does). */
  insertCap(id: ObjectId, slot: number, cap: Cap): void;
  /**
   * Append frame `seq` of the numbered series `<series>_%09d` (a compact
   * record; the name is made when asked for); returns its id.
   */
  pushSeriesFrame(series: string, seq: number, sizeBits: number, paddr: bigint | null, init: FillEntry[]): ObjectId;
  /** Reorder the table: the object at new id `i` is the one at old id `order[i]`. */
  reorder(order: Uint32Array): void;
}

export interface Spec {
  objects: ObjectTable;
  irqs: IrqEntry[];
  domainSchedule: DomainSchedEntry[] | null;
  domainSetStart: bigint | null;
  domainIdxShift: bigint | null;
  asidSlots: ObjectId[];
  rootObjects: ObjectIdRange;
  untypedCovers: UntypedCover[];
  cachedOrigCapSlots: OrigCapSlots | null;
  logLevel: number | null;
}

// ---------------------------------------------------------------------------
// Accessors and the minimal container API
// ---------------------------------------------------------------------------

/**
 * Append a root object with `push` (one of the object table's appenders) and
 * return its id: root objects are the spec's prefix, so nothing may follow
 * them yet.
 */
function appendRoot(spec: Spec, what: string, push: (objects: ObjectTable) => void): ObjectId {
  if (spec.rootObjects.end !== spec.objects.length) {
    throw new Error(`${what}: spec has non-root objects after the root range`);
  }
  push(spec.objects);
  spec.rootObjects.end = spec.objects.length;
  if ((spec.objects.length & 0xffff) === 0) progressObjects(spec.objects.length);
  return spec.objects.length - 1;
}

/** Append a root object and return its id (ids follow creation order until the final sort). */
export function addRootObject(spec: Spec, name: string, object: CapdlObject): ObjectId {
  return appendRoot(spec, 'addRootObject', (objects) => objects.push(name, object));
}

/** Append a translation table as a root object (see {@link ObjectTable.pushCapTable}). */
export function addRootCapTable(spec: Spec, name: string, object: CapdlObject): ObjectId {
  if (!('slots' in object)) throw new Error(`addRootCapTable: object '${name}' has no cap table`);
  return appendRoot(spec, 'addRootCapTable', (objects) => objects.pushCapTable(name, object));
}

/** Append frame `seq` of the series `<series>_%09d` as a root object (see {@link ObjectTable.pushSeriesFrame}). */
export function addRootSeriesFrame(spec: Spec, series: string, seq: number, sizeBits: number, paddr: bigint | null, init: FillEntry[]): ObjectId {
  return appendRoot(spec, 'addRootSeriesFrame', (objects) => objects.pushSeriesFrame(series, seq, sizeBits, paddr, init));
}

/** The root object `id`; throws (upstream: `unwrap` panic) when there is none. */
export function getRootObject(spec: Spec, id: ObjectId): NamedObject {
  if (!(id >= spec.rootObjects.start && id < spec.rootObjects.end)) {
    throw new Error(`capDL spec: object id ${id} is not a root object`);
  }
  return spec.objects.get(id);
}

/**
 * The object's cap table, or null for objects without one. Unlike upstream's
 * `Object::slots`, this includes the generic `Irq` object's table (Microkit
 * never emits one; renumbering must still reach it).
 */
export function objectSlots(object: CapdlObject): CapTableEntry[] | null {
  return 'slots' in object ? object.slots : null;
}

/** Upstream's `Object::paddr`: only untypeds and frames can be pinned. */
export function objectPaddr(object: CapdlObject): bigint | null {
  if (object.type === 'Frame' || object.type === 'Untyped') return object.paddr;
  return null;
}
