/**
 * The `spec` section of the dump (image-dump-format.md §spec): the decoded
 * archive in `--capdl-json` shapes, frames described by what they hold
 * (content hashes, not bytes), and the spec's integrity checks. Object
 * records are made one at a time while writing, so a spec of millions of
 * frames never exists as a second tree.
 */
import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { Cap, CapTableEntry, Rights } from '../capdl/spec.js';
import { origCapSlots } from '../pack/for-initialiser.js';
import type { InitFillEntry, InitNamedObject, InitObject, SpecForInitializer } from '../pack/types.js';
import { LazyJsonArray } from './canonical-json.js';
import type { DumpJson } from './canonical-json.js';
import type { Checks } from './types.js';
import { sha256 } from './util.js';

type Json = { [key: string]: DumpJson };
const PAGE_SIZE = 4096;
/** The largest page any seL4 architecture maps (1 GiB); a larger frame is corrupt and is not hashed. */
const MAX_FRAME_BITS = 30;
/**
 * The largest page Microkit puts data in (2 MiB). A larger frame with data
 * is not hashed: hashing a gigabyte per corrupt frame would let a crafted
 * image make the reader run for hours.
 */
const MAX_DATA_FRAME_BITS = 21;
const ZERO_CHUNK = new Uint8Array(1 << 20);
const zeroHashes = new Map<number, string>();

function rights(r: Rights): Json {
  return { read: r.read, write: r.write, grant: r.grant, grant_reply: r.grantReply };
}

function capJson(c: Cap): DumpJson {
  switch (c.type) {
    case 'Endpoint':
    case 'Notification':
      return { [c.type]: { object: c.object, badge: c.badge, rights: rights(c.rights) } };
    case 'CNode':
      return { CNode: { object: c.object, guard: c.guard, guard_size: c.guardSize } };
    case 'Frame':
      return { Frame: { object: c.object, rights: rights(c.rights), cached: c.cached, executable: c.executable } };
    default:
      return { [c.type]: { object: c.object } };
  }
}

function slots(s: readonly CapTableEntry[]): DumpJson[] {
  return s.map((e) => ({ slot: e.slot, cap: capJson(e.cap) }));
}

/** Hash of `2^sizeBits` bytes: zeros with `pieces` placed at their offsets (ascending, disjoint). */
function contentHash(sizeBits: number, pieces: readonly { at: bigint; bytes: Uint8Array }[]): string {
  if (pieces.length === 0) {
    let h = zeroHashes.get(sizeBits);
    if (h === undefined) {
      h = contentHash(sizeBits, [{ at: 0n, bytes: new Uint8Array(0) }]);
      zeroHashes.set(sizeBits, h);
    }
    return h;
  }
  const h = createHash('sha256');
  const zeros = (n: bigint): void => {
    while (n > 0n) {
      const k = n > BigInt(ZERO_CHUNK.length) ? ZERO_CHUNK.length : Number(n);
      h.update(ZERO_CHUNK.subarray(0, k));
      n -= BigInt(k);
    }
  };
  let pos = 0n;
  for (const p of pieces) {
    zeros(p.at - pos);
    h.update(p.bytes);
    pos = p.at + BigInt(p.bytes.length);
  }
  zeros((1n << BigInt(sizeBits)) - pos);
  return h.digest('hex');
}

class FrameJson {
  constructor(
    private readonly frameData: Uint8Array,
    private readonly checks: Checks | undefined,
  ) {}

  /** Decoded bytes of a data entry, or undefined (and an integrity error) when they cannot be had. */
  private decode(e: InitFillEntry, where: string): Uint8Array | undefined {
    const c = e.content;
    const len = e.range.end - e.range.start;
    if (c.type === 'Bytes') {
      if (BigInt(c.bytes.length) !== len) this.checks?.error(`${where}: raw data of ${c.bytes.length} bytes for a range of ${len}`);
      return c.bytes;
    }
    if (c.type !== 'DeflatedBytes') return undefined;
    try {
      // maxOutputLength bounds the allocation by the range, which the frame size bounds.
      const out = inflateRawSync(c.deflatedBytes, { maxOutputLength: Math.max(1, Number(len)) });
      if (BigInt(out.length) !== len) this.checks?.error(`${where}: deflate yields ${out.length} bytes for a range of ${len}`);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    } catch (err) {
      this.checks?.error(`${where}: deflate failed (${(err as Error).message})`);
      return undefined;
    }
  }

  json(o: Extract<InitObject, { type: 'Frame' }>, where: string): DumpJson {
    const frameSize = 1n << BigInt(o.sizeBits);
    if (o.init.type === 'Embedded') {
      const i = o.init.index;
      const page = i * PAGE_SIZE + PAGE_SIZE <= this.frameData.length ? this.frameData.subarray(i * PAGE_SIZE, (i + 1) * PAGE_SIZE) : undefined;
      const hash = page === undefined ? null : sha256(page);
      return {
        Frame: {
          size_bits: o.sizeBits,
          paddr: o.paddr,
          content_sha256: hash,
          init: { Embedded: { sha256: hash, layout: { index: i } } },
        },
      };
    }
    const entries: DumpJson[] = [];
    const pieces: { at: bigint; bytes: Uint8Array }[] = [];
    let ordered = true;
    let last = 0n;
    o.init.entries.forEach((e, k) => {
      const range = { start: e.range.start, end: e.range.end };
      const c = e.content;
      if (c.type === 'BootInfo') {
        entries.push({ range, content: { BootInfo: { id: c.id, offset: c.offset } } });
        return;
      }
      // Inflating is bounded by the range, and so by the frame: only pages Microkit puts data in are decoded.
      const decodable = e.range.start <= e.range.end && e.range.end <= frameSize && o.sizeBits <= MAX_DATA_FRAME_BITS;
      const bytes = decodable ? this.decode(e, `${where} fill entry ${k}`) : undefined;
      const stored = c.type === 'Bytes' ? c.bytes : c.deflatedBytes;
      entries.push({
        range,
        content: {
          Data: {
            len: e.range.end - e.range.start,
            sha256: bytes === undefined ? null : sha256(bytes),
            layout: { encoding: c.type === 'Bytes' ? 'raw' : 'deflate', stored_len: stored.length },
          },
        },
      });
      if (bytes !== undefined) {
        if (e.range.start < last) ordered = false;
        last = e.range.start + BigInt(bytes.length);
        pieces.push({ at: e.range.start, bytes });
      }
    });
    let content: string | null = null;
    if (o.sizeBits > MAX_FRAME_BITS || (pieces.length > 0 && o.sizeBits > MAX_DATA_FRAME_BITS)) content = null;
    else if (ordered && (pieces.length === 0 || last <= frameSize)) content = contentHash(o.sizeBits, pieces);
    else if (frameSize <= 1n << 21n) {
      // Overlapping or unordered entries: place them in order, as the initialiser would.
      const frame = new Uint8Array(Number(frameSize));
      for (const p of pieces) if (p.at + BigInt(p.bytes.length) <= frameSize) frame.set(p.bytes, Number(p.at));
      content = sha256(frame);
    }
    return { Frame: { size_bits: o.sizeBits, paddr: o.paddr, content_sha256: content, init: { Fill: { entries } } } };
  }
}

function objectJson(o: InitObject, frames: FrameJson, where: string): DumpJson {
  switch (o.type) {
    case 'Endpoint':
    case 'Notification':
    case 'VCpu':
    case 'Reply':
    case 'ArmSmc':
    case 'DomainSet':
      return o.type;
    case 'Untyped':
      return { Untyped: { size_bits: o.sizeBits, paddr: o.paddr } };
    case 'CNode':
      return { CNode: { size_bits: o.sizeBits, slots: slots(o.slots) } };
    case 'Tcb': {
      const x = o.extra;
      return {
        Tcb: {
          slots: slots(o.slots),
          extra: {
            ipc_buffer_addr: x.ipcBufferAddr,
            affinity: x.affinity,
            prio: x.prio,
            max_prio: x.maxPrio,
            fpu_disabled: x.fpuDisabled,
            resume: x.resume,
            domain: x.domain,
            ip: x.ip,
            sp: x.sp,
            gprs: [...x.gprs],
            master_fault_ep: x.masterFaultEp,
          },
        },
      };
    }
    case 'Irq':
      return { Irq: { slots: slots(o.slots) } };
    case 'Frame':
      return frames.json(o, where);
    case 'PageTable':
      return { PageTable: { x86_ept: o.x86Ept, is_root: o.isRoot, level: o.level, slots: slots(o.slots) } };
    case 'AsidPool':
      return { AsidPool: { high: o.high } };
    case 'IOSpace':
      return {
        IOSpace: {
          slots: slots(o.slots),
          domain_id: o.domainId,
          pci_device: { bus: o.pciDevice.bus, device: o.pciDevice.device, function: o.pciDevice.function },
        },
      };
    case 'IOPageTable':
      return { IOPageTable: { slots: slots(o.slots), level: o.level } };
    case 'ArmIrq':
      return { ArmIrq: { slots: slots(o.slots), extra: { trigger: o.extra.trigger, target: o.extra.target } } };
    case 'IrqMsi':
      return {
        IrqMsi: { slots: slots(o.slots), extra: { handle: o.extra.handle, pci_bus: o.extra.pciBus, pci_dev: o.extra.pciDev, pci_func: o.extra.pciFunc } },
      };
    case 'IrqIOApic':
      return {
        IrqIOApic: { slots: slots(o.slots), extra: { ioapic: o.extra.ioapic, pin: o.extra.pin, level: o.extra.level, polarity: o.extra.polarity } },
      };
    case 'RiscvIrq':
      return { RiscvIrq: { slots: slots(o.slots), extra: { trigger: o.extra.trigger } } };
    case 'IOPorts':
      return { IOPorts: { start_port: o.startPort, end_port: o.endPort } };
    case 'SchedContext':
      return { SchedContext: { size_bits: o.sizeBits, extra: { period: o.extra.period, budget: o.extra.budget, badge: o.extra.badge } } };
  }
}

function objectName(named: InitNamedObject, id: number): string {
  return named.name === null ? `object ${id}` : `object ${id} '${named.name}'`;
}

/** The dump's `spec` record; its objects are rendered (and hashed) as they are written. */
export function specJson(spec: SpecForInitializer, frameData: Uint8Array): DumpJson {
  const frames = new FrameJson(frameData, undefined);
  const orig = spec.cachedOrigCapSlots;
  return {
    objects: new LazyJsonArray(spec.objects.length, (i) => {
      const named = spec.objects[i];
      return { name: named.name, object: objectJson(named.object, frames, objectName(named, i)) };
    }),
    irqs: spec.irqs.map((e) => ({ irq: e.irq, handler: e.handler })),
    domain_schedule:
      spec.domainSchedule === null
        ? null
        : spec.domainSchedule.map((e) => ({
            domain: e.domain,
            duration: e.duration.type === 'EndMarker' ? 'EndMarker' : { [e.duration.type]: e.duration.value },
          })),
    domain_set_start: spec.domainSetStart,
    domain_idx_shift: spec.domainIdxShift,
    asid_slots: [...spec.asidSlots],
    root_objects: { start: spec.rootObjects.start, end: spec.rootObjects.end },
    untyped_covers: spec.untypedCovers.map((c) => ({ parent: c.parent, children: { start: c.children.start, end: c.children.end } })),
    cached_orig_cap_slots: orig === null ? null : { num_occupied: orig.numOccupied, offsets_by_object: [...orig.offsetsByObject] },
    log_level: spec.logLevel,
  };
}

/** The spec's integrity checks (image-dump-format.md §checks: frames, references, completeness). */
export function checkSpec(spec: SpecForInitializer, frameData: Uint8Array, checks: Checks): void {
  const frames = new FrameJson(frameData, checks);
  const n = spec.objects.length;
  const numPages = Math.floor(frameData.length / PAGE_SIZE);
  const used = new Uint8Array(numPages);
  const capRefs = (where: string, s: readonly CapTableEntry[]): void => {
    for (const e of s) if (e.cap.object >= n) checks.error(`${where}: slot ${e.slot} names missing object ${e.cap.object}`);
  };
  for (let id = 0; id < n; id++) {
    const named = spec.objects[id];
    const o = named.object;
    const where = objectName(named, id);
    if ('slots' in o) capRefs(where, o.slots);
    if (o.type !== 'Frame') continue;
    if (o.init.type === 'Embedded') {
      if (o.sizeBits !== 12) checks.error(`${where}: an embedded frame must be 4 KiB, not 2^${o.sizeBits} bytes`);
      if (o.paddr !== null) checks.error(`${where}: an embedded frame has a paddr`);
      const i = o.init.index;
      if (i >= numPages) checks.error(`${where}: embedded page ${i} is out of range (${numPages} frame-data pages)`);
      else if (used[i]++ > 0) checks.error(`${where}: frame-data page ${i} is referenced by two embedded frames`);
      continue;
    }
    const frameSize = 1n << BigInt(o.sizeBits);
    if (o.sizeBits > MAX_FRAME_BITS) checks.error(`${where}: a frame of 2^${o.sizeBits} bytes is larger than any page`);
    else if (o.sizeBits > MAX_DATA_FRAME_BITS && o.init.entries.some((e) => e.content.type !== 'BootInfo')) {
      checks.error(`${where}: a frame of 2^${o.sizeBits} bytes has data; Microkit puts data only in pages of up to 2 MiB`);
    }
    o.init.entries.forEach((e, k) => {
      if (e.range.start > e.range.end || e.range.end > frameSize)
        checks.error(`${where} fill entry ${k}: range ${e.range.start}..${e.range.end} lies outside the frame`);
    });
    // Decoding reports deflate and length errors.
    frames.json(o, where);
  }
  for (let i = 0; i < numPages; i++) if (used[i] === 0) checks.warn(`frame-data page ${i} is not referenced by any embedded frame`);
  for (const irq of spec.irqs) if (irq.handler >= n) checks.error(`irq ${irq.irq}: handler names missing object ${irq.handler}`);
  if (spec.rootObjects.start > spec.rootObjects.end || spec.rootObjects.end > n) {
    checks.error(`root_objects ${spec.rootObjects.start}..${spec.rootObjects.end} lies outside the ${n} objects`);
  }
  const orig = spec.cachedOrigCapSlots;
  if (orig === null) checks.error('cached_orig_cap_slots is missing (the initialiser unwraps it)');
  else {
    const want = origCapSlots(spec.objects);
    const same =
      orig.numOccupied === want.numOccupied && orig.offsetsByObject.length === n && orig.offsetsByObject.every((v, i) => v === want.offsetsByObject[i]);
    if (!same) checks.error('cached_orig_cap_slots is inconsistent with the objects');
  }
  if (spec.logLevel === null) checks.error('log_level is missing (the initialiser unwraps it)');
}
