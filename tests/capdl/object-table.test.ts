/**
 * The spec's object table: compact series frames read back as the objects
 * and names they stand for, are frozen when handed out, keep their identity
 * through a reorder, and mix with ordinary objects in id order.
 */
import { RISCV_SIZES } from '../boot/fixtures.js';
import { describe, expect, it } from 'vitest';
import { createSpec, SpecObjectTable } from '../../core/capdl/object-table.js';
import { addRootObject, addRootSeriesFrame, type FillEntry, type PageTableObject } from '../../core/capdl/spec.js';
import { SpecBuilder, endpointCap, frameCap } from '../../core/capdl/construct/builder.js';
import { sortAndRenumberInPlace } from '../../core/capdl/sort.js';
import type { ObjectSizes } from '../../core/kernel/config.js';
import { specToJson } from '../../core/capdl/json/write.js';
import { buildSystem } from '../support/build.js';

const elfFill = (): FillEntry[] => [
  { range: { start: 0n, end: 16n }, content: { type: 'ElfContent', elfId: 0, elfSegIdx: 1, elfSegDataRange: { start: 32n, end: 48n } } },
];

describe('SpecObjectTable', () => {
  it('stores series frames compactly and reads them back like ordinary objects', () => {
    const t = new SpecObjectTable();
    const ep = t.push('ep_a', { type: 'Endpoint' });
    const zero = t.pushSeriesFrame('frame_mr_a', 7, 12, null, []);
    const pinned = t.pushSeriesFrame('frame_mr_b', 0, 21, 0x8000_0000n, []);
    const filled = t.pushSeriesFrame('frame_elf_pd', 1_000_000_000, 12, null, elfFill());
    expect(t.length).toBe(4);
    expect([ep, zero, pinned, filled]).toEqual([0, 1, 2, 3]);
    expect(t.frameRecord(ep)).toBe(-1);
    expect(t.frameRecord(zero)).toBe(0);
    expect([...t].map((o) => o.name)).toEqual(['ep_a', 'frame_mr_a_000000007', 'frame_mr_b_000000000', 'frame_elf_pd_1000000000']);
    expect(t.get(zero)).toEqual({ name: 'frame_mr_a_000000007', object: { type: 'Frame', sizeBits: 12, paddr: null, init: [] } });
    expect(t.object(pinned)).toEqual({ type: 'Frame', sizeBits: 21, paddr: 0x8000_0000n, init: [] });
    expect(t.object(filled)).toEqual({ type: 'Frame', sizeBits: 12, paddr: null, init: elfFill() });
    expect([t.type(ep), t.type(zero)]).toEqual(['Endpoint', 'Frame']);
    expect([t.paddr(ep), t.paddr(zero), t.paddr(pinned)]).toEqual([null, null, 0x8000_0000n]);
    expect([t.sizeBits(ep), t.sizeBits(zero), t.sizeBits(pinned)]).toEqual([null, 12, 21]);
  });

  it('hands out frozen objects for compact frames: writing to one throws', () => {
    const t = new SpecObjectTable();
    const id = t.pushSeriesFrame('frame_x', 0, 12, null, elfFill());
    const named = t.get(id);
    expect(() => {
      (named as { name: string }).name = 'other';
    }).toThrow(TypeError);
    const frame = t.object(id);
    if (frame.type !== 'Frame') throw new Error('not a frame');
    expect(() => {
      frame.paddr = 1n;
    }).toThrow(TypeError);
    expect(() => frame.init.push(elfFill()[0])).toThrow(TypeError);
    expect(t.object(id)).toEqual({ type: 'Frame', sizeBits: 12, paddr: null, init: elfFill() });
  });

  it('finds objects by name, compact frames included, first match first', () => {
    const t = new SpecObjectTable();
    t.push('cnode_a', { type: 'CNode', sizeBits: 2, slots: [] });
    for (let i = 0; i < 3; i++) t.pushSeriesFrame('frame_mr_a', i, 12, null, []);
    t.push('frame_mr_a_000000001', { type: 'Endpoint' });
    expect(t.find('cnode_a')).toBe(0);
    expect(t.find('frame_mr_a_000000001')).toBe(2);
    expect(t.find('frame_mr_a_00000001')).toBeUndefined();
    expect(t.find('frame_mr_a_000000003')).toBeUndefined();
    expect(t.find('nothing')).toBeUndefined();
  });

  it('reorders ids, compact frames and ordinary objects alike, and grows past its first capacity', () => {
    const t = new SpecObjectTable();
    const n = 5000;
    for (let i = 0; i < n; i++) {
      if (i % 3 === 0) t.push(`ep_${i}`, { type: 'Endpoint' });
      else t.pushSeriesFrame('frame_s', i, 12, i % 2 === 0 ? BigInt(i) << 12n : null, []);
    }
    const order = Uint32Array.from({ length: n }, (_, i) => n - 1 - i);
    const before = [...t].map((o) => o.name);
    t.reorder(order);
    expect([...t].map((o) => o.name)).toEqual(before.reverse());
    expect(t.paddr(n - 1 - 2)).toBe(2n << 12n);
    t.pushSeriesFrame('frame_s', n, 12, null, []);
    expect(t.name(n)).toBe(`frame_s_00000${n}`);
    expect(() => t.get(n + 1)).toThrow(RangeError);
    expect(() => t.reorder(new Uint32Array(n))).toThrow(/an order of/);
    expect(() => t.reorder(new Uint32Array(n + 1))).toThrow(/not a permutation/);
    expect(() => t.name(-1)).toThrow(RangeError);
  });

  it('keeps sequence numbers past u32 as ordinary objects with exact names', () => {
    const b = new SpecBuilder();
    const id = b.seriesFrame('big', 2n ** 40n, 12, null);
    expect(b.name(id)).toBe(`frame_big_${2n ** 40n}`);
    expect((b.spec.objects as SpecObjectTable).frameRecord(id)).toBe(-1);
  });

  it('writes the same JSON for a compact frame as for the object it stands for', () => {
    const compact = createSpec();
    const plain = createSpec();
    addRootSeriesFrame(compact, 'frame_elf_pd', 3, 12, null, elfFill());
    addRootObject(plain, 'frame_elf_pd_000000003', { type: 'Frame', sizeBits: 12, paddr: null, init: elfFill() });
    addRootSeriesFrame(compact, 'frame_mr_a', 0, 12, null, []);
    addRootObject(plain, 'frame_mr_a_000000000', { type: 'Frame', sizeBits: 12, paddr: null, init: [] });
    expect(specToJson(compact)).toBe(specToJson(plain));
    expect(compact.rootObjects).toEqual({ start: 0, end: 2 });
  });
});

describe('compact cap tables', () => {
  const table = (): PageTableObject => ({ type: 'PageTable', x86Ept: false, isRoot: false, level: 3, slots: [] });
  const sizes: ObjectSizes = RISCV_SIZES;

  it('keeps frame and table caps as records and reads them back as frozen entries', () => {
    const b = new SpecBuilder();
    const pt = b.addTable('pt_a', table());
    const frame = b.seriesFrame('mr_a', 0, 12, null);
    b.insertCap(pt, 5, frameCap(frame, true, false, true, false));
    b.insertCap(pt, 1, { type: 'PageTable', object: pt });
    const t = b.spec.objects as SpecObjectTable;
    expect(t.capRecords(pt)?.length).toBe(2);
    const object = t.object(pt);
    expect(object).toEqual({
      type: 'PageTable',
      x86Ept: false,
      isRoot: false,
      level: 3,
      slots: [
        {
          slot: 5,
          cap: { type: 'Frame', object: frame, rights: { read: true, write: false, grant: false, grantReply: false }, cached: false, executable: true },
        },
        { slot: 1, cap: { type: 'PageTable', object: pt } },
      ],
    });
    if (object.type !== 'PageTable') throw new Error('not a page table');
    expect(() => object.slots.push({ slot: 2, cap: { type: 'PageTable', object: pt } })).toThrow(TypeError);
    expect(() => {
      object.level = 2;
    }).toThrow(TypeError);
    expect(() => b.slots(pt).push({ slot: 2, cap: { type: 'PageTable', object: pt } })).toThrow(TypeError);
  });

  it('turns a table into an ordinary object for a cap a record cannot hold, keeping its caps', () => {
    const b = new SpecBuilder();
    const pt = b.addTable('pt_a', table());
    const ep = b.endpoint('x');
    b.insertCap(pt, 0, { type: 'PageTable', object: pt });
    b.insertCap(pt, 1, endpointCap(ep, 3n));
    const t = b.spec.objects as SpecObjectTable;
    expect(t.capRecords(pt)).toBeNull();
    expect(b.slots(pt).map((e) => [e.slot, e.cap.type])).toEqual([
      [0, 'PageTable'],
      [1, 'Endpoint'],
    ]);
    b.insertCap(pt, 2, { type: 'PageTable', object: pt });
    expect(b.slots(pt)).toHaveLength(3);
  });

  it('renumbers records in the final sort, writes the same JSON as ordinary tables, and reports dangling caps', () => {
    const build = (compact: boolean) => {
      const b = new SpecBuilder();
      const pt = compact ? b.addTable('pt_a', table()) : b.add('pt_a', table());
      const frames = [2, 0, 1].map((i) => b.seriesFrame('mr_a', i, 12, null));
      b.endpoint('z');
      for (const [k, f] of frames.entries()) b.insertCap(pt, k, frameCap(f, true, true, false, true));
      return b.spec;
    };
    const compact = sortAndRenumberInPlace(build(true), sizes);
    const plain = sortAndRenumberInPlace(build(false), sizes);
    expect(specToJson(compact)).toBe(specToJson(plain));
    const pt = compact.objects.find('pt_a')!;
    expect((compact.objects.object(pt) as PageTableObject).slots.map((e) => compact.objects.name(e.cap.object))).toEqual([
      'frame_mr_a_000000002',
      'frame_mr_a_000000000',
      'frame_mr_a_000000001',
    ]);

    const b = new SpecBuilder();
    const dangling = b.addTable('pt_bad', table());
    b.insertCap(dangling, 7, frameCap(99, true, true, false, true));
    expect(() => sortAndRenumberInPlace(b.spec, sizes)).toThrow("cap in slot 7 of 'pt_bad' refers to missing object 99");
    // An id no record can hold keeps its exact value (the table becomes ordinary) and is reported as is.
    const negative = new SpecBuilder();
    const negTable = negative.addTable('pt_neg', table());
    negative.insertCap(negTable, 3, frameCap(-1, true, true, false, true));
    expect((negative.spec.objects as SpecObjectTable).capRecords(negTable)).toBeNull();
    expect(() => sortAndRenumberInPlace(negative.spec, sizes)).toThrow("cap in slot 3 of 'pt_neg' refers to missing object -1");
  });
});

describe('a built system', () => {
  it('stores every page frame and every page-table cap compactly', async () => {
    const { build } = await buildSystem(
      `<system>
        <memory_region name="buf" size="0x200000" page_size="0x1000"/>
        <protection_domain name="p"><program_image path="p.elf"/>
          <map mr="buf" vaddr="0x40000000"/>
        </protection_domain></system>`,
      { images: { 'p.elf': [] } },
    );
    const t = build.spec!.objects as SpecObjectTable;
    let frames = 0;
    let ordinaryFrames: string[] = [];
    let tableCaps = 0;
    for (let id = 0; id < t.length; id++) {
      if (t.type(id) === 'Frame') {
        if (t.frameRecord(id) >= 0) frames++;
        else ordinaryFrames.push(t.name(id));
      }
      if (t.type(id) === 'PageTable' && t.name(id).startsWith('pt_p_')) tableCaps += t.capRecords(id)?.length ?? 0;
    }
    // 512 region pages and the stack; only the IPC buffers are made one by one.
    expect(frames).toBeGreaterThanOrEqual(512);
    ordinaryFrames = ordinaryFrames.sort();
    expect(ordinaryFrames).toEqual(['frame_ipcbuf_monitor', 'frame_ipcbuf_p', 'frame_monitor_stack']);
    expect(tableCaps).toBeGreaterThanOrEqual(513);
  });
});
