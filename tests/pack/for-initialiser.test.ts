import { inflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { specFromJson } from '../../core/capdl/json.js';
import { addRootObject } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import type { FillEntry, FrameObject, Spec, WordRange } from '../../core/capdl/spec.js';
import { frameDataSize, keepNamesForConfig, PackError, specForInitialiser } from '../../core/pack/for-initialiser.js';
import type { ElfContentResolver } from '../../core/pack/for-initialiser.js';
import { decodeSpec, encodeSpec } from '../../core/pack/rkyv.js';
import { readGolden } from '../capdl/golden-runs.js';
import type { GoldenRun } from '../capdl/golden-runs.js';
import { concat, firstDifference, goldenFrameData, goldenSpecBytes, packRuns } from './golden.js';

const runs = packRuns();

const key = (elfId: number, segIdx: number, r: WordRange): string => `${elfId}/${segIdx}/${r.start}/${r.end}`;

/**
 * ELF bytes for a golden run, after symbol patching (another stage's job):
 * every ELF fill of the run sits in an embedded frame, whose page the golden
 * frame data holds. Which page is read off the golden archive, not off our
 * own transform.
 */
function goldenElfResolver(run: GoldenRun, spec: Spec): { resolve: ElfContentResolver; calls: () => number } {
  const golden = decodeSpec(goldenSpecBytes(run));
  const frames = goldenFrameData(run);
  const bytes = new Map<string, Uint8Array>();
  golden.objects.forEach((o, id) => {
    if (o.object.type !== 'Frame' || o.object.init.type !== 'Embedded') return;
    const page = frames.subarray(o.object.init.index * 4096, (o.object.init.index + 1) * 4096);
    for (const e of (spec.objects.get(id).object as FrameObject).init) {
      if (e.content.type === 'ElfContent') {
        bytes.set(key(e.content.elfId, e.content.elfSegIdx, e.content.elfSegDataRange), page.subarray(Number(e.range.start), Number(e.range.end)));
      }
    }
  });
  let calls = 0;
  return {
    resolve: (elfId, segIdx, range) => {
      calls++;
      const b = bytes.get(key(elfId, segIdx, range));
      if (!b) throw new Error(`no golden bytes for ELF ${key(elfId, segIdx, range)}`);
      return b;
    },
    calls: () => calls,
  };
}

describe.skipIf(runs.length === 0)('golden runs: capdl.json -> SpecForInitializer -> rkyv', () => {
  test.each(runs.map((r) => [r.id, r] as const))('%s: archive and frame data are byte-identical', (_id, run) => {
    const spec = specFromJson(readGolden(run, 'capdl.json'));
    const elf = goldenElfResolver(run, spec);
    const { spec: out, frameData } = specForInitialiser(spec, { keepNames: keepNamesForConfig(run.config), resolveElf: elf.resolve });
    expect(firstDifference(encodeSpec(out), goldenSpecBytes(run))).toBeNull();
    expect(frameData.every((p) => p.length === 4096)).toBe(true);
    expect(firstDifference(concat(frameData), goldenFrameData(run))).toBeNull();
    const elfEntries = [...spec.objects].reduce(
      (n, o) => n + (o.object.type === 'Frame' ? o.object.init.filter((e) => e.content.type === 'ElfContent').length : 0),
      0,
    );
    expect(elf.calls()).toBe(elfEntries);
  });
});

// ---------------------------------------------------------------------------
// Synthetic specs
// ---------------------------------------------------------------------------

const noElf: ElfContentResolver = () => {
  throw new Error('no ELF content expected');
};

function frame(sizeBits: number, init: FillEntry[], paddr: bigint | null = null): FrameObject {
  return { type: 'Frame', sizeBits, paddr, init };
}

function bytesEntry(start: number, data: number[]): FillEntry {
  return { range: { start: BigInt(start), end: BigInt(start + data.length) }, content: { type: 'BytesContent', bytes: Uint8Array.from(data) } };
}

const bootInfo: FillEntry = { range: { start: 0x10n, end: 0x20n }, content: { type: 'BootInfo', id: 'X86TscFreq', offset: 0n } };

describe('specForInitialiser', () => {
  test('embeds exactly the root 4 KiB frames without paddr, with data and without BootInfo', () => {
    const spec = createSpec();
    addRootObject(spec, 'embedded_a', frame(12, [bytesEntry(0, [1, 2]), bytesEntry(4094, [9, 8])]));
    addRootObject(spec, 'empty', frame(12, []));
    addRootObject(spec, 'pinned', frame(12, [bytesEntry(0, [3])], 0x8000_0000n));
    addRootObject(spec, 'large', frame(21, [bytesEntry(0x1000, [4, 5, 6])]));
    addRootObject(spec, 'bootinfo', frame(12, [bytesEntry(0, [7]), bootInfo]));
    addRootObject(spec, 'smc', { type: 'ArmSmc' });
    addRootObject(spec, 'embedded_b', frame(12, [bytesEntry(100, [0xaa])]));
    addRootObject(spec, 'ep', { type: 'Endpoint' });

    const { spec: out, frameData } = specForInitialiser(spec, { keepNames: false, resolveElf: noElf });
    expect(out.objects.map((o) => (o.object.type === 'Frame' ? o.object.init.type : o.object.type))).toEqual([
      'Embedded',
      'Fill',
      'Fill',
      'Fill',
      'Fill',
      'ArmSmc',
      'Embedded',
      'Endpoint',
    ]);
    expect(out.objects.every((o) => o.name === null)).toBe(true);
    expect(out.cachedOrigCapSlots).toEqual({ numOccupied: 5, offsetsByObject: [null, 0, 1, 2, 3, null, null, 4] });
    expect(out.logLevel).toBe(3);
    // Non-frame objects pass through untouched.
    expect(out.objects[7].object).toBe(spec.objects.get(7).object);

    expect(frameData.length).toBe(2);
    expect(frameDataSize(frameData)).toBe(8192);
    const a = frameData[0];
    expect([a[0], a[1], a[2], a[4093], a[4094], a[4095]]).toEqual([1, 2, 0, 0, 9, 8]);
    expect(frameData[1][100]).toBe(0xaa);
    expect(frameData[1].reduce((s, x) => s + x, 0)).toBe(0xaa);
    expect(out.objects[6].object).toMatchObject({ init: { type: 'Embedded', index: 1 } });

    // Fill frames: data entries deflated (inflating to the data), BootInfo entries kept.
    const large = out.objects[3].object;
    if (large.type !== 'Frame' || large.init.type !== 'Fill') throw new Error('large frame not Fill');
    const c = large.init.entries[0].content;
    if (c.type !== 'DeflatedBytes') throw new Error('expected DeflatedBytes');
    expect(Array.from(inflateRawSync(c.deflatedBytes))).toEqual([4, 5, 6]);
    const bi = out.objects[4].object;
    if (bi.type !== 'Frame' || bi.init.type !== 'Fill') throw new Error('bootinfo frame not Fill');
    expect(bi.init.entries[1]).toEqual(bootInfo);
    expect(out.objects[1].object).toMatchObject({ init: { type: 'Fill', entries: [] } });

    // The archive round-trips.
    expect(encodeSpec(decodeSpec(encodeSpec(out)))).toEqual(encodeSpec(out));
  });

  test('keeps names when asked, and only root frames are embedded', () => {
    const spec = createSpec();
    addRootObject(spec, 'a_rather_long_frame_name', frame(12, [bytesEntry(0, [1])]));
    addRootObject(spec, 'b', frame(12, [bytesEntry(0, [2])]));
    spec.rootObjects = { start: 1, end: 2 };
    const { spec: out, frameData } = specForInitialiser(spec, { keepNames: true, resolveElf: noElf });
    expect(out.objects.map((o) => o.name)).toEqual(['a_rather_long_frame_name', 'b']);
    expect(out.objects.map((o) => (o.object as { init: { type: string } }).init.type)).toEqual(['Fill', 'Embedded']);
    expect(frameData.length).toBe(1);
  });

  test('resolves ELF content through the callback, with the entry’s own range', () => {
    const spec = createSpec();
    const elfRange = { start: 0x2000n, end: 0x2010n };
    addRootObject(
      spec,
      'elf_page',
      frame(12, [{ range: { start: 0x10n, end: 0x20n }, content: { type: 'ElfContent', elfId: 3, elfSegIdx: 1, elfSegDataRange: elfRange } }]),
    );
    addRootObject(
      spec,
      'elf_large',
      frame(21, [{ range: { start: 0n, end: 0x10n }, content: { type: 'ElfContent', elfId: 3, elfSegIdx: 1, elfSegDataRange: elfRange } }]),
    );
    const calls: string[] = [];
    const data = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const { spec: out, frameData } = specForInitialiser(spec, {
      keepNames: true,
      resolveElf: (e, s, r) => {
        calls.push(key(e, s, r));
        return data;
      },
      deflate: false,
    });
    expect(calls).toEqual(['3/1/8192/8208', '3/1/8192/8208']);
    expect(Array.from(frameData[0].subarray(0x10, 0x20))).toEqual(Array.from(data));
    expect(out.objects[1].object).toMatchObject({ init: { type: 'Fill', entries: [{ content: { type: 'Bytes', bytes: data } }] } });
  });

  test('whole-page fills are kept as supplied unless copyPages is set', () => {
    const spec = createSpec();
    const elfPage = new Uint8Array(4096).fill(0x11);
    const prefill = new Uint8Array(4096).fill(0x22);
    addRootObject(
      spec,
      'elf',
      frame(12, [{ range: { start: 0n, end: 4096n }, content: { type: 'ElfContent', elfId: 0, elfSegIdx: 0, elfSegDataRange: { start: 0n, end: 4096n } } }]),
    );
    addRootObject(spec, 'prefill', frame(12, [{ range: { start: 0n, end: 4096n }, content: { type: 'BytesContent', bytes: prefill } }]));
    addRootObject(spec, 'split', frame(12, [bytesEntry(0, [1]), bytesEntry(1, [2])]));
    const aliased = specForInitialiser(spec, { keepNames: true, resolveElf: () => elfPage }).frameData;
    expect(aliased[0]).toBe(elfPage);
    expect(aliased[1]).toBe(prefill);
    expect(Array.from(aliased[2].subarray(0, 3))).toEqual([1, 2, 0]);
    const copied = specForInitialiser(spec, { keepNames: true, resolveElf: () => elfPage, copyPages: true }).frameData;
    expect(copied[0]).not.toBe(elfPage);
    expect(copied[0].buffer).not.toBe(elfPage.buffer);
    expect(copied[0]).toEqual(elfPage);
    expect(copied[1]).toEqual(prefill);
    expect(copied.map((p) => p.length)).toEqual([4096, 4096, 4096]);
  });

  test('errors: wrong data length, range outside the frame, unknown config', () => {
    const tooShort = createSpec();
    addRootObject(tooShort, 'f', frame(12, [{ range: { start: 0n, end: 8n }, content: { type: 'BytesContent', bytes: new Uint8Array(4) } }]));
    expect(() => specForInitialiser(tooShort, { keepNames: true, resolveElf: noElf })).toThrow(PackError);
    const outside = createSpec();
    addRootObject(outside, 'f', frame(12, [bytesEntry(4095, [1, 2])]));
    expect(() => specForInitialiser(outside, { keepNames: true, resolveElf: noElf })).toThrow(/does not fit/);
    const badElf = createSpec();
    addRootObject(
      badElf,
      'f',
      frame(12, [{ range: { start: 0n, end: 8n }, content: { type: 'ElfContent', elfId: 0, elfSegIdx: 0, elfSegDataRange: { start: 0n, end: 8n } } }]),
    );
    expect(() => specForInitialiser(badElf, { keepNames: true, resolveElf: () => new Uint8Array(7) })).toThrow(/gave 7 bytes/);
    expect(keepNamesForConfig('debug')).toBe(true);
    expect(keepNamesForConfig('smp-debug')).toBe(true);
    expect(keepNamesForConfig('smp-benchmark')).toBe(false);
    expect(() => keepNamesForConfig('custom')).toThrow('unknown configuration custom');
  });
});
