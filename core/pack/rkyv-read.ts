/**
 * Decoder of rkyv 0.8 archives of a {@link SpecForInitializer} (ours or
 * upstream's). Every pointer, tag, bool and string is validated before it is
 * followed, and every count is bounded by the archive's length before
 * anything is allocated for it, so corrupt input is an {@link RkyvError},
 * never a crash or an unbounded allocation (`microkit inspect` relies on it).
 */
import { BOOT_INFO_IDS, CAP_TYPES, OBJECT_TYPES } from '../capdl/spec.js';
import type { Cap, CapTableEntry, DomainSchedEntry, OrigCapSlots, Rights, TcbExtraInfo } from '../capdl/spec.js';
import {
  CAP_ENTRY_SIZE,
  DOMAIN_SCHED_ENTRY_SIZE,
  DURATION_TYPES,
  FILL_ENTRY_SIZE,
  IRQ_ENTRY_SIZE,
  NAMED_OBJECT_SIZE,
  OBJECT_AT,
  OPTION_U32_SIZE,
  RkyvError,
  SPEC_SIZE,
  TCB_EXTRA_SIZE,
  UNTYPED_COVER_SIZE,
} from './rkyv-layout.js';
import type { InitFillEntry, InitFillEntryContent, InitNamedObject, InitObject, SpecForInitializer } from './types.js';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

class Reader {
  readonly dv: DataView;
  private readonly nodeBuf: Buffer;

  constructor(readonly buf: Uint8Array) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.nodeBuf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(at: number, what: string): never {
    throw new RkyvError(`archive offset 0x${at.toString(16)}: ${what}`);
  }

  u8(at: number): number {
    return this.buf[at];
  }

  bool(at: number): boolean {
    const v = this.buf[at];
    if (v > 1) this.fail(at, `invalid bool ${v}`);
    return v === 1;
  }

  tag(at: number, count: number, what: string): number {
    const v = this.buf[at];
    if (v >= count) this.fail(at, `invalid ${what} tag ${v}`);
    return v;
  }

  u32(at: number): number {
    return this.dv.getUint32(at, true);
  }

  u64(at: number): bigint {
    return this.dv.getBigUint64(at, true);
  }

  /** Checks [target, target + size) lies inside the archive and is aligned. */
  target(at: number, target: number, size: number, align: number): number {
    if (target < 0 || target + size > this.buf.length) this.fail(at, `pointer to 0x${target.toString(16)}+${size} is outside the archive`);
    if (target % align !== 0) this.fail(at, `pointer to 0x${target.toString(16)} is not ${align}-aligned`);
    return target;
  }

  /** A Vec field: [start of elements, count]. */
  vec(at: number, elemSize: number, align: number): [number, number] {
    const len = this.u32(at + 4);
    const start = at + this.dv.getInt32(at, true);
    return [this.target(at, start, len * elemSize, align), len];
  }

  box(at: number, size: number, align: number): number {
    return this.target(at, at + this.dv.getInt32(at, true), size, align);
  }

  bytes(at: number): Uint8Array {
    const [start, len] = this.vec(at, 1, 1);
    return this.buf.subarray(start, start + len);
  }

  optionU8(at: number): number | null {
    return this.tag(at, 2, 'Option') === 1 ? this.buf[at + 1] : null;
  }

  optionWord(at: number): bigint | null {
    return this.tag(at, 2, 'Option') === 1 ? this.u64(at + 8) : null;
  }

  string(at: number): string {
    const b0 = this.buf[at];
    if ((b0 & 0xc0) === 0x80) {
      const l = this.u32(at);
      const len = (l & 0x3f) + Math.floor(l / 256) * 64;
      const start = this.target(at, at + this.dv.getInt32(at + 4, true), len, 1);
      return this.text(at, start, start + len);
    }
    let len = 0;
    while (len < 8 && this.buf[at + len] !== 0xff) len++;
    return this.text(at, at, at + len);
  }

  text(at: number, start: number, end: number): string {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (this.buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return this.nodeBuf.toString('latin1', start, end);
    try {
      return utf8Decoder.decode(this.buf.subarray(start, end));
    } catch {
      return this.fail(at, 'string is not valid UTF-8');
    }
  }
}

function readRights(r: Reader, at: number): Rights {
  return { read: r.bool(at), write: r.bool(at + 1), grant: r.bool(at + 2), grantReply: r.bool(at + 3) };
}

function readCap(r: Reader, at: number): Cap {
  const type = CAP_TYPES[r.tag(at, CAP_TYPES.length, 'Cap')];
  switch (type) {
    case 'Endpoint':
    case 'Notification':
      return { type, object: r.u32(at + 8), badge: r.u64(at + 16), rights: readRights(r, at + 24) };
    case 'CNode':
      return { type, object: r.u32(at + 8), guard: r.u64(at + 16), guardSize: r.u8(at + 24) };
    case 'Frame':
      return { type, object: r.u32(at + 4), rights: readRights(r, at + 8), cached: r.bool(at + 12), executable: r.bool(at + 13) };
    default:
      return { type, object: r.u32(at + 4) };
  }
}

function readSlots(r: Reader, at: number): CapTableEntry[] {
  const [start, len] = r.vec(at, CAP_ENTRY_SIZE, 8);
  const out: CapTableEntry[] = new Array(len);
  for (let i = 0; i < len; i++) {
    const e = start + i * CAP_ENTRY_SIZE;
    out[i] = { slot: r.u32(e), cap: readCap(r, e + 8) };
  }
  return out;
}

function readWords(r: Reader, at: number, count: number): bigint[] {
  const p = r.box(at, count * 8, 8);
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) out.push(r.u64(p + i * 8));
  return out;
}

function readTcbExtra(r: Reader, at: number): TcbExtraInfo {
  const p = r.box(at, TCB_EXTRA_SIZE, 8);
  const [g, glen] = r.vec(p + 40, 8, 8);
  const gprs: bigint[] = [];
  for (let i = 0; i < glen; i++) gprs.push(r.u64(g + i * 8));
  return {
    ipcBufferAddr: r.u64(p),
    affinity: r.u64(p + 8),
    prio: r.u8(p + 16),
    maxPrio: r.u8(p + 17),
    fpuDisabled: r.bool(p + 18),
    resume: r.bool(p + 19),
    domain: r.optionU8(p + 20),
    ip: r.u64(p + 24),
    sp: r.u64(p + 32),
    gprs,
    masterFaultEp: r.optionWord(p + 48),
  };
}

function readFillContent(r: Reader, at: number): InitFillEntryContent {
  if (r.tag(at, 2, 'FillEntryContent') === 1) {
    return { type: 'BootInfo', id: BOOT_INFO_IDS[r.tag(at + 8, BOOT_INFO_IDS.length, 'BootInfo id')], offset: r.u64(at + 16) };
  }
  const bytes = r.bytes(at + 8);
  return r.tag(at + 4, 2, 'Content') === 0 ? { type: 'Bytes', bytes } : { type: 'DeflatedBytes', deflatedBytes: bytes };
}

function readObject(r: Reader, at: number): InitObject {
  const type = OBJECT_TYPES[r.tag(at, OBJECT_TYPES.length, 'Object')];
  switch (type) {
    case 'Untyped':
      return { type, sizeBits: r.u8(at + 8), paddr: r.optionWord(at + 16) };
    case 'CNode':
      return { type, sizeBits: r.u8(at + 4), slots: readSlots(r, at + 8) };
    case 'Tcb':
      return { type, slots: readSlots(r, at + 4), extra: readTcbExtra(r, at + 12) };
    case 'Irq':
      return { type, slots: readSlots(r, at + 4) };
    case 'Frame': {
      const sizeBits = r.u8(at + 8);
      const paddr = r.optionWord(at + 16);
      if (r.tag(at + 32, 2, 'FrameInit') === 1) {
        const index = r.u64(at + 40);
        if (index > BigInt(Number.MAX_SAFE_INTEGER)) r.fail(at + 40, `embedded frame index ${index} is too large`);
        return { type, sizeBits, paddr, init: { type: 'Embedded', index: Number(index) } };
      }
      const [start, len] = r.vec(at + 36, FILL_ENTRY_SIZE, 8);
      const entries: InitFillEntry[] = new Array(len);
      for (let i = 0; i < len; i++) {
        const e = start + i * FILL_ENTRY_SIZE;
        entries[i] = { range: { start: r.u64(e), end: r.u64(e + 8) }, content: readFillContent(r, e + 16) };
      }
      return { type, sizeBits, paddr, init: { type: 'Fill', entries } };
    }
    case 'PageTable':
      return { type, x86Ept: r.bool(at + 4), isRoot: r.bool(at + 5), level: r.optionU8(at + 6), slots: readSlots(r, at + 8) };
    case 'AsidPool':
      return { type, high: r.u64(at + 8) };
    case 'IOSpace':
      return {
        type,
        slots: readSlots(r, at + 8),
        domainId: r.u64(at + 16),
        pciDevice: { bus: r.u8(at + 24), device: r.u8(at + 25), function: r.u8(at + 26) },
      };
    case 'IOPageTable':
      return { type, slots: readSlots(r, at + 8), level: r.u64(at + 16) };
    case 'ArmIrq': {
      const p = r.box(at + 12, 16, 8);
      return { type, slots: readSlots(r, at + 4), extra: { trigger: r.u8(p), target: r.u64(p + 8) } };
    }
    case 'IrqMsi': {
      const [handle, pciBus, pciDev, pciFunc] = readWords(r, at + 12, 4);
      return { type, slots: readSlots(r, at + 4), extra: { handle, pciBus, pciDev, pciFunc } };
    }
    case 'IrqIOApic': {
      const [ioapic, pin, level, polarity] = readWords(r, at + 12, 4);
      return { type, slots: readSlots(r, at + 4), extra: { ioapic, pin, level, polarity } };
    }
    case 'RiscvIrq':
      return { type, slots: readSlots(r, at + 4), extra: { trigger: r.u8(at + 12) } };
    case 'IOPorts':
      return { type, startPort: r.u64(at + 8), endPort: r.u64(at + 16) };
    case 'SchedContext':
      return { type, sizeBits: r.u8(at + 8), extra: { period: r.u64(at + 16), budget: r.u64(at + 24), badge: r.u64(at + 32) } };
    default:
      return { type };
  }
}

/**
 * Decodes an archive made by {@link encodeSpec} (or upstream). Pointers,
 * tags and bools are validated; byte contents are views into `archive`.
 */
export function decodeSpec(archive: Uint8Array): SpecForInitializer {
  const r = new Reader(archive);
  if (archive.length < SPEC_SIZE || archive.length % 8 !== 0) {
    throw new RkyvError(`archive of ${archive.length} bytes cannot hold an 8-aligned ${SPEC_SIZE}-byte root`);
  }
  const root = archive.length - SPEC_SIZE;

  const [objStart, nObjects] = r.vec(root, NAMED_OBJECT_SIZE, 8);
  const objects: InitNamedObject[] = new Array(nObjects);
  for (let i = 0; i < nObjects; i++) {
    const at = objStart + i * NAMED_OBJECT_SIZE;
    const name = r.tag(at, 2, 'Option') === 1 ? r.string(at + 4) : null;
    objects[i] = { name, object: readObject(r, at + OBJECT_AT) };
  }

  const [irqStart, nIrqs] = r.vec(root + 8, IRQ_ENTRY_SIZE, 8);
  const irqs = [];
  for (let i = 0; i < nIrqs; i++) irqs.push({ irq: r.u64(irqStart + i * 16), handler: r.u32(irqStart + i * 16 + 8) });

  let domainSchedule: DomainSchedEntry[] | null = null;
  if (r.tag(root + 16, 2, 'Option') === 1) {
    const [s, len] = r.vec(root + 20, DOMAIN_SCHED_ENTRY_SIZE, 8);
    domainSchedule = [];
    for (let i = 0; i < len; i++) {
      const at = s + i * DOMAIN_SCHED_ENTRY_SIZE;
      const kind = DURATION_TYPES[r.tag(at + 8, 3, 'DomainSchedDuration')];
      const value = r.u64(at + 16);
      if (kind !== 'EndMarker' && value === 0n) r.fail(at + 16, 'NonZero duration is zero');
      domainSchedule.push({ domain: r.u8(at), duration: kind === 'EndMarker' ? { type: kind } : { type: kind, value } });
    }
  }

  const [asidStart, nAsid] = r.vec(root + 64, 4, 4);
  const asidSlots: number[] = [];
  for (let i = 0; i < nAsid; i++) asidSlots.push(r.u32(asidStart + i * 4));

  const [covStart, nCov] = r.vec(root + 80, UNTYPED_COVER_SIZE, 4);
  const untypedCovers = [];
  for (let i = 0; i < nCov; i++) {
    const at = covStart + i * UNTYPED_COVER_SIZE;
    untypedCovers.push({ parent: r.u32(at), children: { start: r.u32(at + 4), end: r.u32(at + 8) } });
  }

  let cachedOrigCapSlots: OrigCapSlots | null = null;
  if (r.tag(root + 88, 2, 'Option') === 1) {
    const [s, len] = r.vec(root + 96, OPTION_U32_SIZE, 4);
    const offsetsByObject: (number | null)[] = new Array(len);
    for (let i = 0; i < len; i++) {
      const at = s + i * OPTION_U32_SIZE;
      offsetsByObject[i] = r.tag(at, 2, 'Option') === 1 ? r.u32(at + 4) : null;
    }
    cachedOrigCapSlots = { numOccupied: r.u32(root + 92), offsetsByObject };
  }

  return {
    objects,
    irqs,
    domainSchedule,
    domainSetStart: r.optionWord(root + 32),
    domainIdxShift: r.optionWord(root + 48),
    asidSlots,
    rootObjects: { start: r.u32(root + 72), end: r.u32(root + 76) },
    untypedCovers,
    cachedOrigCapSlots,
    logLevel: r.optionU8(root + 104),
  };
}
