import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BOOT_INFO_IDS, CAP_TYPES, OBJECT_TYPES } from '../../core/capdl/spec.js';
import type { CapTableEntry, Rights } from '../../core/capdl/spec.js';
import { deflateRaw, origCapSlots } from '../../core/pack/for-initialiser.js';
import { decodeSpec, encodeSpec, RkyvError } from '../../core/pack/rkyv.js';
import type { InitNamedObject, SpecForInitializer } from '../../core/pack/types.js';
import { firstDifference, goldenSpecBytes, packRuns, readBytes, RKYV_EXAMPLES_DIR } from './golden.js';

const runs = packRuns();
const HAS_EXAMPLES = existsSync(RKYV_EXAMPLES_DIR);

function example(name: string): Uint8Array {
  return readBytes(join(RKYV_EXAMPLES_DIR, name));
}

function roundTrip(bytes: Uint8Array): string | null {
  return firstDifference(encodeSpec(decodeSpec(bytes)), bytes);
}

function initSpec(objects: InitNamedObject[], extra: Partial<SpecForInitializer> = {}): SpecForInitializer {
  return {
    objects,
    irqs: [],
    domainSchedule: null,
    domainSetStart: null,
    domainIdxShift: null,
    asidSlots: [],
    rootObjects: { start: 0, end: objects.length },
    untypedCovers: [],
    cachedOrigCapSlots: origCapSlots(objects),
    logLevel: 3,
    ...extra,
  };
}

describe.skipIf(runs.length === 0)('golden spec.rkyv files', () => {
  test('the golden set is all there', () => {
    // 190 runs with a boot image in this copy of the golden set (the layout reference counted 205 earlier).
    expect(runs.length).toBeGreaterThanOrEqual(190);
  });

  test.each(runs.map((r) => [r.id, r] as const))('%s: decode then encode is byte-identical', (_id, run) => {
    expect(roundTrip(goldenSpecBytes(run))).toBeNull();
  });
});

describe.skipIf(!HAS_EXAMPLES)('rkyv-examples vectors', () => {
  const files = HAS_EXAMPLES
    ? readdirSync(RKYV_EXAMPLES_DIR)
        .filter((f) => f.endsWith('.rkyv'))
        .sort()
    : [];

  test('there are 8 vectors', () => {
    expect(files.length).toBe(8);
  });

  test.each(files)('%s: decode then encode is byte-identical', (file) => {
    expect(roundTrip(example(file))).toBeNull();
  });

  test('empty spec: encoded from scratch', () => {
    const spec = initSpec([], { cachedOrigCapSlots: null, logLevel: null });
    expect(firstDifference(encodeSpec(spec), example('empty_spec.rkyv'))).toBeNull();
  });

  test('example 1 (one endpoint named "ep"): encoded from scratch, with and without the packing extras', () => {
    const spec = initSpec([{ name: 'ep', object: { type: 'Endpoint' } }]);
    expect(firstDifference(encodeSpec(spec), example('ex1_endpoint.rkyv'))).toBeNull();
    const bare = { ...spec, cachedOrigCapSlots: null, logLevel: null };
    expect(firstDifference(encodeSpec(bare), example('ex1_endpoint_bare.rkyv'))).toBeNull();
  });

  test('example 2 (CNode with endpoint and frame caps): encoded from scratch', () => {
    const slots: CapTableEntry[] = [
      { slot: 1, cap: { type: 'Endpoint', object: 1, badge: 0x1234n, rights: { read: true, write: true, grant: false, grantReply: true } } },
      { slot: 2, cap: { type: 'Frame', object: 2, rights: { read: true, write: false, grant: false, grantReply: false }, cached: true, executable: false } },
    ];
    const spec = initSpec([
      { name: 'cnode', object: { type: 'CNode', sizeBits: 2, slots } },
      { name: null, object: { type: 'Endpoint' } },
      { name: null, object: { type: 'Frame', sizeBits: 12, paddr: null, init: { type: 'Embedded', index: 0 } } },
    ]);
    expect(spec.cachedOrigCapSlots).toEqual({ numOccupied: 2, offsetsByObject: [0, 1, null] });
    expect(firstDifference(encodeSpec(spec), example('ex2_cnode.rkyv'))).toBeNull();
  });

  test('example 3 (frame with a deflated data entry and a BootInfo entry): encoded from scratch', () => {
    const raw = Uint8Array.of(1, 2, 3, 4);
    const mk = (data: { type: 'Bytes'; bytes: Uint8Array } | { type: 'DeflatedBytes'; deflatedBytes: Uint8Array }): SpecForInitializer =>
      initSpec([
        {
          name: 'frame',
          object: {
            type: 'Frame',
            sizeBits: 12,
            paddr: null,
            init: {
              type: 'Fill',
              entries: [
                { range: { start: 0n, end: 4n }, content: data },
                { range: { start: 0x100n, end: 0x140n }, content: { type: 'BootInfo', id: 'Fdt', offset: 0n } },
              ],
            },
          },
        },
      ]);
    // node:zlib agrees with miniz on this tiny input.
    expect(Array.from(deflateRaw(raw))).toEqual([0x63, 0x64, 0x62, 0x66, 0x01, 0x00]);
    expect(firstDifference(encodeSpec(mk({ type: 'DeflatedBytes', deflatedBytes: deflateRaw(raw) })), example('ex3_frame_fill.rkyv'))).toBeNull();
    expect(firstDifference(encodeSpec(mk({ type: 'Bytes', bytes: raw })), example('ex3_frame_fill_rawbytes.rkyv'))).toBeNull();
  });

  test('kitchen sink: every object, cap and BootInfo variant decodes, with the annotated names', () => {
    const bytes = example('kitchen_sink.rkyv');
    const spec = decodeSpec(bytes);
    expect(spec.objects.length).toBe(24);
    expect(new Set(spec.objects.map((o) => o.object.type))).toEqual(new Set(OBJECT_TYPES));
    const caps = new Set<string>();
    const bootInfo = new Set<string>();
    for (const { object } of spec.objects) {
      if ('slots' in object) for (const s of object.slots) caps.add(s.cap.type);
      if (object.type === 'Frame' && object.init.type === 'Fill') {
        for (const e of object.init.entries) if (e.content.type === 'BootInfo') bootInfo.add(e.content.id);
      }
    }
    expect(caps).toEqual(new Set(CAP_TYPES));
    expect(bootInfo).toEqual(new Set(BOOT_INFO_IDS));
    expect(spec.rootObjects).toEqual({ start: 3, end: 24 });
    expect(spec.irqs.length).toBe(2);
    expect(spec.domainSchedule?.map((d) => d.duration.type)).toEqual(['Ticks', 'Us', 'EndMarker']);
    expect(spec.domainSetStart).toBe(1n);
    expect(spec.domainIdxShift).toBe(16n);
    expect(spec.cachedOrigCapSlots?.numOccupied).toBe(22);
    expect(spec.logLevel).toBe(3);

    // Names, read independently from the annotation (inline strings) and the raw blocks it points at.
    const text = readFileSync(join(RKYV_EXAMPLES_DIR, 'kitchen_sink.annotated.txt'), 'utf8');
    const expected = new Map<number, string | null>();
    for (const m of text.matchAll(/root\.objects\[(\d+)\]\.name inline string b'([^']*)'/g)) expected.set(Number(m[1]), m[2]);
    for (const m of text.matchAll(/block @0x([0-9a-f]+): root\.objects\[(\d+)\]\.name string bytes \((\d+) bytes\)/g)) {
      const at = parseInt(m[1], 16);
      expected.set(Number(m[2]), Buffer.from(bytes.subarray(at, at + Number(m[3]))).toString('latin1'));
    }
    for (const m of text.matchAll(/root\.objects\[(\d+)\]\.name option tag=0/g)) expected.set(Number(m[1]), null);
    expect(expected.size).toBe(24);
    for (const [i, name] of expected) expect(spec.objects[i].name, `object ${i}`).toBe(name);

    // The variant with an empty (Some) schedule also lacks the packing extras.
    const empty = decodeSpec(example('kitchen_sink_empty_sched.rkyv'));
    expect(empty.domainSchedule).toEqual([]);
    const variant = { ...spec, domainSchedule: [], cachedOrigCapSlots: null, logLevel: null };
    expect(firstDifference(encodeSpec(variant), example('kitchen_sink_empty_sched.rkyv'))).toBeNull();
  });
});

describe('encoder rules', () => {
  const RW: Rights = { read: true, write: true, grant: false, grantReply: false };

  test('string forms: inline up to 8 bytes (0xFF filler), out-of-line from 9 with the length word encoding', () => {
    const names = ['', 'a', '12345678', '123456789', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(300), 'héllo wörld'];
    const spec = initSpec(names.map((name) => ({ name, object: { type: 'Reply' } })));
    const bytes = encodeSpec(spec);
    expect(decodeSpec(bytes).objects.map((o) => o.name)).toEqual(names);
    const root = bytes.length - 112;
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    const objectsAt = root + dv.getInt32(root, true);
    const lenWord = (i: number): number => dv.getUint32(objectsAt + i * 64 + 4, true);
    expect(Array.from(bytes.subarray(objectsAt + 4, objectsAt + 12))).toEqual(Array(8).fill(0xff));
    expect(Array.from(bytes.subarray(objectsAt + 64 + 4, objectsAt + 64 + 12))).toEqual([0x61, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(lenWord(3)).toBe(0x89);
    expect(lenWord(4)).toBe(0xbf);
    expect(lenWord(5)).toBe(0x180);
    expect(lenWord(6)).toBe(0x4ac);
  });

  test('an empty Vec still pads to its element alignment and points there', () => {
    // A 9-byte name leaves the cursor at 9; the empty cap table then pads to 16.
    const spec = initSpec([{ name: 'ninechars', object: { type: 'CNode', sizeBits: 1, slots: [] } }], { cachedOrigCapSlots: null, logLevel: null });
    const bytes = encodeSpec(spec);
    const objectsAt = 16;
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    const slotsField = objectsAt + 16 + 8;
    expect(slotsField + dv.getInt32(slotsField, true)).toBe(16);
    expect(Array.from(bytes.subarray(9, 16))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(roundTrip(bytes)).toBeNull();
  });

  test('every field reaches the bytes: changing any one value changes the archive', () => {
    const base = (): SpecForInitializer =>
      initSpec([
        {
          name: 'tcb',
          object: {
            type: 'Tcb',
            slots: [{ slot: 1, cap: { type: 'Endpoint', object: 1, badge: 7n, rights: RW } }],
            extra: {
              ipcBufferAddr: 0x1000n,
              affinity: 0n,
              prio: 100,
              maxPrio: 100,
              fpuDisabled: false,
              resume: true,
              domain: 1,
              ip: 0x200000n,
              sp: 0x300000n,
              gprs: [1n, 2n],
              masterFaultEp: 5n,
            },
          },
        },
        { name: 'ep', object: { type: 'Endpoint' } },
      ]);
    const ref = encodeSpec(base());
    const mutations: ((s: SpecForInitializer) => void)[] = [
      (s) => {
        (s.objects[0].object as { extra: { prio: number } }).extra.prio = 99;
      },
      (s) => {
        (s.objects[0].object as { extra: { gprs: bigint[] } }).extra.gprs[1] = 3n;
      },
      (s) => {
        (s.objects[0].object as { extra: { masterFaultEp: bigint | null } }).extra.masterFaultEp = null;
      },
      (s) => {
        (s.objects[0].object as { extra: { domain: number | null } }).extra.domain = null;
      },
      (s) => {
        (s.objects[0].object as { slots: CapTableEntry[] }).slots[0].slot = 2;
      },
      (s) => {
        s.objects[1].name = null;
      },
      (s) => {
        s.logLevel = 4;
      },
      (s) => {
        s.domainIdxShift = 0n;
      },
      (s) => {
        s.irqs = [{ irq: 1n, handler: 0 }];
      },
    ];
    for (const [i, mutate] of mutations.entries()) {
      const s = base();
      mutate(s);
      const bytes = encodeSpec(s);
      expect(firstDifference(bytes, ref), `mutation ${i}`).not.toBeNull();
      expect(roundTrip(bytes), `mutation ${i}`).toBeNull();
    }
  });
});

describe('decoder validation', () => {
  const ok = encodeSpec(initSpec([{ name: 'ep', object: { type: 'Endpoint' } }]));

  test('rejects a bad object tag, a bad bool, an out-of-range pointer and a bad length', () => {
    const badTag = ok.slice();
    badTag[16] = 21;
    expect(() => decodeSpec(badTag)).toThrow(RkyvError);
    const badOption = ok.slice();
    badOption[ok.length - 112 + 104] = 2;
    expect(() => decodeSpec(badOption)).toThrow(/Option tag 2/);
    const badPtr = ok.slice();
    new DataView(badPtr.buffer).setInt32(ok.length - 112, -100000, true);
    expect(() => decodeSpec(badPtr)).toThrow(/outside the archive/);
    expect(() => decodeSpec(ok.subarray(0, 100))).toThrow(RkyvError);
  });
});
