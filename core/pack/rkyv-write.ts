/**
 * rkyv 0.8 archive of a {@link SpecForInitializer}, byte for byte as the
 * Microkit tool's `to_bytes` produces it (little-endian, natural alignment,
 * 32-bit relative pointers, `pointer_width_32`).
 *
 * The rules (shared/reference/rkyv-layout.md): children are written before
 * parents, depth first in field order; a Vec first writes its elements'
 * out-of-line data, then pads to the element alignment and writes the
 * elements back to back (padding included even when empty); a Box likewise
 * for its pointee; strings longer than 8 bytes are written unaligned; the
 * 112-byte root `Spec` comes last, 8-aligned. Every padding byte is zero.
 *
 * The encoder writes into one growing buffer: per object it keeps only the
 * positions its inline form needs (three Int32Array columns), so millions of
 * objects cost no per-object JS allocations.
 */
import type { Cap, DomainSchedEntry, ObjectWithSlots, OrigCapSlots, Rights, TcbExtraInfo } from '../capdl/spec.js';
import { capRecordsOf, slotCount } from '../capdl/cap-table.js';
import {
  BOOT_INFO_TAG,
  CAP_ENTRY_SIZE,
  CAP_TAG,
  DOMAIN_SCHED_ENTRY_SIZE,
  DURATION_TYPES,
  FILL_ENTRY_SIZE,
  IRQ_ENTRY_SIZE,
  NAMED_OBJECT_SIZE,
  OBJECT_AT,
  OBJECT_TAG,
  OPTION_U32_SIZE,
  RkyvError,
  SPEC_SIZE,
  TCB_EXTRA_SIZE,
  UNTYPED_COVER_SIZE,
} from './rkyv-layout.js';
import type { InitFillEntry, InitNamedObject, InitObject, SpecForInitializer } from './types.js';

class Writer {
  buf: Uint8Array;
  dv: DataView;
  /** The same memory as a Buffer, for native UTF-8 string writes. */
  node: Buffer;
  pos = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, 256));
    this.dv = new DataView(this.buf.buffer);
    this.node = Buffer.from(this.buf.buffer);
  }

  /** Make room for `n` more bytes at `pos`; new space is zero. */
  reserve(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    if (need > 0x7fff_ffff) throw new RkyvError('archive exceeds the 2 GiB that 32-bit relative pointers can address');
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(Math.min(cap, 0x8000_0000));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.dv = new DataView(next.buffer);
    this.node = Buffer.from(next.buffer);
  }

  /** Zero padding up to a multiple of `align`. */
  align(align: number): void {
    const r = this.pos % align;
    if (r !== 0) {
      this.reserve(align - r);
      this.pos += align - r;
    }
  }

  /** Aligns, then claims `size` zeroed bytes and returns their start. */
  claim(size: number, align: number): number {
    this.align(align);
    this.reserve(size);
    const at = this.pos;
    this.pos += size;
    return at;
  }

  bytes(data: Uint8Array): number {
    this.reserve(data.length);
    const at = this.pos;
    this.buf.set(data, at);
    this.pos += data.length;
    return at;
  }

  /** Appends the UTF-8 bytes of `s` (`len` of them), unaligned. */
  utf8(s: string, len: number): number {
    this.reserve(len);
    const at = this.pos;
    this.node.write(s, at, len, 'utf8');
    this.pos += len;
    return at;
  }

  u8(at: number, v: number): void {
    this.buf[at] = v;
  }

  bool(at: number, v: boolean): void {
    this.buf[at] = v ? 1 : 0;
  }

  u32(at: number, v: number): void {
    this.dv.setUint32(at, v, true);
  }

  u64(at: number, v: bigint): void {
    this.dv.setBigUint64(at, v, true);
  }

  /** A relative pointer at `at` to `target`, relative to `base` (default: the pointer itself). */
  rel(at: number, target: number, base = at): void {
    this.dv.setInt32(at, target - base, true);
  }

  /** A Vec field: offset word and element count. */
  vec(at: number, target: number, len: number): void {
    this.rel(at, target);
    this.dv.setUint32(at + 4, len, true);
  }

  optionU8(at: number, v: number | null): void {
    if (v !== null) {
      this.buf[at] = 1;
      this.buf[at + 1] = v;
    }
  }

  optionWord(at: number, v: bigint | null): void {
    if (v !== null) {
      this.buf[at] = 1;
      this.dv.setBigUint64(at + 8, v, true);
    }
  }

  /**
   * An inline String at `at` of `len` UTF-8 bytes; `outOfLine` is where
   * the bytes were written for strings over 8 bytes.
   */
  string(at: number, s: string, len: number, outOfLine: number): void {
    if (len <= 8) {
      this.buf.fill(0xff, at, at + 8);
      this.node.write(s, at, len, 'utf8');
    } else {
      if (len > 0x3fff_ffff) throw new RkyvError(`string of ${len} bytes is too long for an archived String`);
      const low = len & 0x3f;
      this.u32(at, low + 0x80 + (len - low) * 4);
      this.rel(at + 4, outOfLine, at);
    }
  }
}

/** Writes the rights struct (4 bools). */
function rights(w: Writer, at: number, r: Rights): void {
  w.bool(at, r.read);
  w.bool(at + 1, r.write);
  w.bool(at + 2, r.grant);
  w.bool(at + 3, r.grantReply);
}

function cap(w: Writer, at: number, c: Cap): void {
  const tag = CAP_TAG.get(c.type);
  if (tag === undefined) throw new RkyvError(`unknown cap type '${String(c.type)}'`);
  w.u8(at, tag);
  switch (c.type) {
    case 'Endpoint':
    case 'Notification':
      w.u32(at + 8, c.object);
      w.u64(at + 16, c.badge);
      rights(w, at + 24, c.rights);
      break;
    case 'CNode':
      w.u32(at + 8, c.object);
      w.u64(at + 16, c.guard);
      w.u8(at + 24, c.guardSize);
      break;
    case 'Frame':
      w.u32(at + 4, c.object);
      rights(w, at + 8, c.rights);
      w.bool(at + 12, c.cached);
      w.bool(at + 13, c.executable);
      break;
    default:
      w.u32(at + 4, c.object);
  }
}

/** A cap table (caps have no out-of-line data): returns the array's position. */
function slotsArray(w: Writer, o: ObjectWithSlots): number {
  const records = capRecordsOf(o);
  if (records !== undefined) {
    // A compact table (the leaf tables): straight from its records, without entry objects.
    const p = w.claim(records.length * CAP_ENTRY_SIZE, 8);
    for (let i = 0; i < records.length; i++) {
      const at = p + i * CAP_ENTRY_SIZE;
      w.u32(at, records.slot(i));
      cap(w, at + 8, records.cap(i));
    }
    return p;
  }
  const slots = o.slots;
  const p = w.claim(slots.length * CAP_ENTRY_SIZE, 8);
  for (let i = 0; i < slots.length; i++) {
    const at = p + i * CAP_ENTRY_SIZE;
    w.u32(at, slots[i].slot);
    cap(w, at + 8, slots[i].cap);
  }
  return p;
}

function tcbExtraBox(w: Writer, x: TcbExtraInfo): number {
  const gprs = w.claim(x.gprs.length * 8, 8);
  for (let i = 0; i < x.gprs.length; i++) w.u64(gprs + i * 8, x.gprs[i]);
  const p = w.claim(TCB_EXTRA_SIZE, 8);
  w.u64(p, x.ipcBufferAddr);
  w.u64(p + 8, x.affinity);
  w.u8(p + 16, x.prio);
  w.u8(p + 17, x.maxPrio);
  w.bool(p + 18, x.fpuDisabled);
  w.bool(p + 19, x.resume);
  w.optionU8(p + 20, x.domain);
  w.u64(p + 24, x.ip);
  w.u64(p + 32, x.sp);
  w.vec(p + 40, gprs, x.gprs.length);
  w.optionWord(p + 48, x.masterFaultEp);
  return p;
}

function wordsBox(w: Writer, words: readonly bigint[]): number {
  const p = w.claim(words.length * 8, 8);
  for (let i = 0; i < words.length; i++) w.u64(p + i * 8, words[i]);
  return p;
}

function fillEntriesArray(w: Writer, entries: readonly InitFillEntry[]): number {
  // Out-of-line bytes of each entry first, in order (Vec<u8>: no alignment).
  let data: number[] | null = null;
  for (let i = 0; i < entries.length; i++) {
    const c = entries[i].content;
    if (c.type === 'Bytes' || c.type === 'DeflatedBytes') {
      data ??= new Array<number>(entries.length).fill(0);
      data[i] = w.bytes(c.type === 'Bytes' ? c.bytes : c.deflatedBytes);
    }
  }
  const p = w.claim(entries.length * FILL_ENTRY_SIZE, 8);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const at = p + i * FILL_ENTRY_SIZE;
    w.u64(at, e.range.start);
    w.u64(at + 8, e.range.end);
    const c = e.content;
    if (c.type === 'BootInfo') {
      const id = BOOT_INFO_TAG.get(c.id);
      if (id === undefined) throw new RkyvError(`unknown BootInfo id '${String(c.id)}'`);
      w.u8(at + 16, 1);
      w.u8(at + 24, id);
      w.u64(at + 32, c.offset);
    } else {
      // Data (tag 0) holding Content at +20: Bytes 0 / DeflatedBytes 1, Vec<u8> at +24.
      w.u8(at + 20, c.type === 'Bytes' ? 0 : 1);
      w.vec(at + 24, data![i], c.type === 'Bytes' ? c.bytes.length : c.deflatedBytes.length);
    }
  }
  return p;
}

/**
 * Out-of-line data of one object, in field order. Returns up to two
 * positions its inline form needs (slots/entries, then a box).
 */
function objectDeps(w: Writer, o: InitObject, deps: Int32Array, k: number): void {
  switch (o.type) {
    case 'CNode':
    case 'Irq':
    case 'PageTable':
    case 'IOSpace':
    case 'IOPageTable':
    case 'RiscvIrq':
      deps[k] = slotsArray(w, o);
      break;
    case 'Tcb':
      deps[k] = slotsArray(w, o);
      deps[k + 1] = tcbExtraBox(w, o.extra);
      break;
    case 'ArmIrq': {
      deps[k] = slotsArray(w, o);
      const p = w.claim(16, 8);
      w.u8(p, o.extra.trigger);
      w.u64(p + 8, o.extra.target);
      deps[k + 1] = p;
      break;
    }
    case 'IrqMsi':
      deps[k] = slotsArray(w, o);
      deps[k + 1] = wordsBox(w, [o.extra.handle, o.extra.pciBus, o.extra.pciDev, o.extra.pciFunc]);
      break;
    case 'IrqIOApic':
      deps[k] = slotsArray(w, o);
      deps[k + 1] = wordsBox(w, [o.extra.ioapic, o.extra.pin, o.extra.level, o.extra.polarity]);
      break;
    case 'Frame':
      if (o.init.type === 'Fill') deps[k] = fillEntriesArray(w, o.init.entries);
      break;
    default:
      break;
  }
}

/** The 48-byte inline Object at `at`. */
function objectInline(w: Writer, at: number, o: InitObject, deps: Int32Array, k: number): void {
  const tag = OBJECT_TAG.get(o.type);
  if (tag === undefined) throw new RkyvError(`unknown object type '${String(o.type)}'`);
  w.u8(at, tag);
  switch (o.type) {
    case 'Untyped':
      w.u8(at + 8, o.sizeBits);
      w.optionWord(at + 16, o.paddr);
      break;
    case 'CNode':
      w.u8(at + 4, o.sizeBits);
      w.vec(at + 8, deps[k], slotCount(o));
      break;
    case 'Tcb':
    case 'ArmIrq':
    case 'IrqMsi':
    case 'IrqIOApic':
      w.vec(at + 4, deps[k], slotCount(o));
      w.rel(at + 12, deps[k + 1]);
      break;
    case 'Irq':
      w.vec(at + 4, deps[k], slotCount(o));
      break;
    case 'RiscvIrq':
      w.vec(at + 4, deps[k], slotCount(o));
      w.u8(at + 12, o.extra.trigger);
      break;
    case 'Frame':
      w.u8(at + 8, o.sizeBits);
      w.optionWord(at + 16, o.paddr);
      if (o.init.type === 'Fill') {
        w.vec(at + 36, deps[k], o.init.entries.length);
      } else {
        w.u8(at + 32, 1);
        w.u64(at + 40, BigInt(o.init.index));
      }
      break;
    case 'PageTable':
      w.bool(at + 4, o.x86Ept);
      w.bool(at + 5, o.isRoot);
      w.optionU8(at + 6, o.level);
      w.vec(at + 8, deps[k], slotCount(o));
      break;
    case 'AsidPool':
      w.u64(at + 8, o.high);
      break;
    case 'IOSpace':
      w.vec(at + 8, deps[k], slotCount(o));
      w.u64(at + 16, o.domainId);
      w.u8(at + 24, o.pciDevice.bus);
      w.u8(at + 25, o.pciDevice.device);
      w.u8(at + 26, o.pciDevice.function);
      break;
    case 'IOPageTable':
      w.vec(at + 8, deps[k], slotCount(o));
      w.u64(at + 16, o.level);
      break;
    case 'IOPorts':
      w.u64(at + 8, o.startPort);
      w.u64(at + 16, o.endPort);
      break;
    case 'SchedContext':
      w.u8(at + 8, o.sizeBits);
      w.u64(at + 16, o.extra.period);
      w.u64(at + 24, o.extra.budget);
      w.u64(at + 32, o.extra.badge);
      break;
    default:
      // Endpoint, Notification, VCpu, Reply, ArmSmc, DomainSet: the tag only.
      break;
  }
}

/**
 * An upper bound on the archive size (every block plus its worst-case
 * alignment padding), so the buffer is allocated once and never regrown:
 * regrowing copies, and first writes to fresh memory are the expensive part
 * of encoding large specs. Untouched tail pages of the bound cost nothing.
 */
function sizeBound(spec: SpecForInitializer): number {
  let n = SPEC_SIZE + 64;
  for (const { name, object: o } of spec.objects) {
    n += NAMED_OBJECT_SIZE + OPTION_U32_SIZE;
    if (name !== null && name.length > 2) n += name.length * 3;
    switch (o.type) {
      case 'Tcb':
        n += slotCount(o) * CAP_ENTRY_SIZE + o.extra.gprs.length * 8 + TCB_EXTRA_SIZE + 24;
        break;
      case 'ArmIrq':
      case 'IrqMsi':
      case 'IrqIOApic':
        n += slotCount(o) * CAP_ENTRY_SIZE + 32 + 16;
        break;
      case 'Frame':
        if (o.init.type === 'Fill') {
          n += 8 + o.init.entries.length * FILL_ENTRY_SIZE;
          for (const e of o.init.entries) {
            const c = e.content;
            if (c.type === 'Bytes') n += c.bytes.length;
            else if (c.type === 'DeflatedBytes') n += c.deflatedBytes.length;
          }
        }
        break;
      default:
        if ('slots' in o) n += 8 + slotCount(o) * CAP_ENTRY_SIZE;
    }
  }
  n += 8 + spec.irqs.length * IRQ_ENTRY_SIZE + 8 + (spec.domainSchedule?.length ?? 0) * DOMAIN_SCHED_ENTRY_SIZE;
  n += 4 + spec.asidSlots.length * 4 + 4 + spec.untypedCovers.length * UNTYPED_COVER_SIZE;
  n += 4 + (spec.cachedOrigCapSlots?.offsetsByObject.length ?? 0) * OPTION_U32_SIZE;
  return n;
}

/** The archive bytes (a view of the encoder's buffer, exactly the archive's length). */
export function encodeSpec(spec: SpecForInitializer): Uint8Array {
  const w = new Writer(Math.min(sizeBound(spec), 0x8000_0000));
  const objects = spec.objects;
  const n = objects.length;

  // 1. Every object's subtree, in order: name bytes (when longer than 8), then payload data.
  const namePos = new Int32Array(n);
  const deps = new Int32Array(2 * n);
  const nameLen = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const named: InitNamedObject = objects[i];
    if (named.name !== null) {
      const len = Buffer.byteLength(named.name, 'utf8');
      nameLen[i] = len;
      if (len > 8) namePos[i] = w.utf8(named.name, len);
    }
    objectDeps(w, named.object, deps, 2 * i);
  }
  // 2. The NamedObject array.
  const objectsAt = w.claim(n * NAMED_OBJECT_SIZE, 8);
  for (let i = 0; i < n; i++) {
    const at = objectsAt + i * NAMED_OBJECT_SIZE;
    const named = objects[i];
    if (named.name !== null) {
      w.u8(at, 1);
      w.string(at + 4, named.name, nameLen[i], namePos[i]);
    }
    objectInline(w, at + OBJECT_AT, named.object, deps, 2 * i);
  }

  // 3. irqs, domain schedule, asid slots, untyped covers, orig cap slot offsets.
  const irqsAt = w.claim(spec.irqs.length * IRQ_ENTRY_SIZE, 8);
  spec.irqs.forEach((e, i) => {
    w.u64(irqsAt + i * IRQ_ENTRY_SIZE, e.irq);
    w.u32(irqsAt + i * IRQ_ENTRY_SIZE + 8, e.handler);
  });
  const schedAt = spec.domainSchedule === null ? 0 : domainSchedule(w, spec.domainSchedule);
  const asidAt = w.claim(spec.asidSlots.length * 4, 4);
  spec.asidSlots.forEach((id, i) => w.u32(asidAt + i * 4, id));
  const coversAt = w.claim(spec.untypedCovers.length * UNTYPED_COVER_SIZE, 4);
  spec.untypedCovers.forEach((c, i) => {
    const at = coversAt + i * UNTYPED_COVER_SIZE;
    w.u32(at, c.parent);
    w.u32(at + 4, c.children.start);
    w.u32(at + 8, c.children.end);
  });
  const orig: OrigCapSlots | null = spec.cachedOrigCapSlots;
  let origAt = 0;
  if (orig !== null) {
    const offs = orig.offsetsByObject;
    origAt = w.claim(offs.length * OPTION_U32_SIZE, 4);
    for (let i = 0; i < offs.length; i++) {
      const v = offs[i];
      if (v !== null) {
        w.u8(origAt + i * OPTION_U32_SIZE, 1);
        w.u32(origAt + i * OPTION_U32_SIZE + 4, v);
      }
    }
  }

  // 4. The root.
  const r = w.claim(SPEC_SIZE, 8);
  w.vec(r, objectsAt, n);
  w.vec(r + 8, irqsAt, spec.irqs.length);
  if (spec.domainSchedule !== null) {
    w.u8(r + 16, 1);
    w.vec(r + 20, schedAt, spec.domainSchedule.length);
  }
  w.optionWord(r + 32, spec.domainSetStart);
  w.optionWord(r + 48, spec.domainIdxShift);
  w.vec(r + 64, asidAt, spec.asidSlots.length);
  w.u32(r + 72, spec.rootObjects.start);
  w.u32(r + 76, spec.rootObjects.end);
  w.vec(r + 80, coversAt, spec.untypedCovers.length);
  if (orig !== null) {
    w.u8(r + 88, 1);
    w.u32(r + 92, orig.numOccupied);
    w.vec(r + 96, origAt, orig.offsetsByObject.length);
  }
  w.optionU8(r + 104, spec.logLevel);
  return w.buf.subarray(0, w.pos);
}

function domainSchedule(w: Writer, entries: readonly DomainSchedEntry[]): number {
  const p = w.claim(entries.length * DOMAIN_SCHED_ENTRY_SIZE, 8);
  entries.forEach((e, i) => {
    const at = p + i * DOMAIN_SCHED_ENTRY_SIZE;
    w.u8(at, e.domain);
    const d = e.duration;
    w.u8(at + 8, DURATION_TYPES.indexOf(d.type));
    if (d.type !== 'EndMarker') {
      if (d.value === 0n) throw new RkyvError(`domain schedule entry ${i}: a ${d.type} duration must be non-zero`);
      w.u64(at + 16, d.value);
    }
  });
  return p;
}
