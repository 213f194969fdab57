import { describe, expect, test } from 'vitest';
import type { ObjectSizes } from '../../core/kernel/config.js';
import { specFromJson, specToJson } from '../../core/capdl/json.js';
import { CNODE_SLOT_BITS, physicalSizeBits } from '../../core/capdl/object-sizes.js';
import { compareUtf8, finalObjectOrder, sortAndRenumber, sortAndRenumberInPlace } from '../../core/capdl/sort.js';
import { addRootObject, objectSlots } from '../../core/capdl/spec.js';
import { createSpec, SpecObjectTable } from '../../core/capdl/object-table.js';
import type { Spec } from '../../core/capdl/spec.js';
import { goldenRuns, readGolden, sdkObjectSizes } from './golden-runs.js';
import { prng } from '../support/random.js';

const AARCH64_DEBUG: ObjectSizes = {
  tcb: 12,
  endpoint: 4,
  notification: 6,
  reply: 5,
  smallPage: 12,
  largePage: 21,
  hugePage: 30,
  asidPool: 12,
  vspace: 13,
  pageTable: 12,
  vcpu: 12,
  ioPageTable: 12,
};

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * Scramble a spec the way an unsorted builder output looks: objects in random
 * order with every reference remapped, IRQs and CNode slots shuffled.
 */
function scramble(spec: Spec, seed: number): Spec {
  const random = prng(seed);
  const order = shuffle(
    [...spec.objects].map((_, i) => i),
    random,
  );
  const newIdOf: number[] = [];
  order.forEach((oldId, newId) => (newIdOf[oldId] = newId));
  const objects = order.map((oldId) => {
    const named = spec.objects.get(oldId);
    const slots = objectSlots(named.object);
    if (slots === null) return named;
    const remapped = slots.map((e) => ({ slot: e.slot, cap: { ...e.cap, object: newIdOf[e.cap.object] } }));
    if (named.object.type === 'CNode') shuffle(remapped, random);
    return { name: named.name, object: { ...named.object, slots: remapped } as typeof named.object };
  });
  const irqs = shuffle(
    spec.irqs.map((irq) => ({ irq: irq.irq, handler: newIdOf[irq.handler] })),
    random,
  );
  return { ...spec, objects: SpecObjectTable.from(objects), irqs };
}

const runs = goldenRuns()
  .map((run) => ({ run, sizes: sdkObjectSizes(run) }))
  .filter((r): r is { run: (typeof r)['run']; sizes: ObjectSizes } => r.sizes !== null);

describe.skipIf(runs.length === 0)('sortAndRenumber restores the golden order', () => {
  test.each(runs.map((r) => [r.run.id, r] as const))('%s', (_id, { run, sizes }) => {
    const text = readGolden(run, 'capdl.json');
    const golden = specFromJson(text);
    const scrambled = scramble(golden, text.length);
    const before = specToJson(scrambled);
    expect(specToJson(sortAndRenumber(scrambled, sizes))).toBe(text);
    // The input is left alone.
    expect(specToJson(scrambled)).toBe(before);
  });
});

describe.skipIf(runs.length === 0)('sortAndRenumberInPlace restores the golden order too', () => {
  test.each(runs.map((r) => [r.run.id, r] as const))('%s', (_id, { run, sizes }) => {
    const text = readGolden(run, 'capdl.json');
    expect(specToJson(sortAndRenumberInPlace(scramble(specFromJson(text), text.length + 1), sizes))).toBe(text);
  });
});

describe('sortAndRenumberInPlace', () => {
  test('renumbers a cap shared by two tables once, and refuses a reference to a missing object', () => {
    const spec = createSpec();
    const tcb = addRootObject(spec, 'tcb_pd', { type: 'Tcb', slots: [], extra: tcbExtra() });
    const ntfn = addRootObject(spec, 'ntfn_pd', { type: 'Notification' });
    const cnode = addRootObject(spec, 'cnode_pd', { type: 'CNode', sizeBits: 2, slots: [] });
    const shared = { type: 'Notification' as const, object: ntfn, badge: 0n, rights: rw() };
    (spec.objects.get(tcb).object as { slots: unknown[] }).slots.push({ slot: 0, cap: shared });
    (spec.objects.get(cnode).object as { slots: unknown[] }).slots.push({ slot: 3, cap: shared });
    const sorted = sortAndRenumberInPlace(spec, AARCH64_DEBUG);
    const names = [...sorted.objects].map((o) => o.name);
    expect(names[shared.object]).toBe('ntfn_pd');

    const bad = createSpec();
    addRootObject(bad, 'cnode', { type: 'CNode', sizeBits: 1, slots: [{ slot: 0, cap: { type: 'Endpoint', object: -1, badge: 0n, rights: rw() } }] });
    expect(() => sortAndRenumberInPlace(bad, AARCH64_DEBUG)).toThrow(/refers to missing object -1/);
  });
});

describe('physicalSizeBits', () => {
  test('fixed-size objects use the kernel sizes; a root page table is a VSpace', () => {
    expect(physicalSizeBits({ type: 'PageTable', x86Ept: false, isRoot: true, level: 1, slots: [] }, AARCH64_DEBUG)).toBe(13);
    expect(physicalSizeBits({ type: 'PageTable', x86Ept: false, isRoot: false, level: 2, slots: [] }, AARCH64_DEBUG)).toBe(12);
    expect(physicalSizeBits({ type: 'Endpoint' }, AARCH64_DEBUG)).toBe(4);
    expect(physicalSizeBits({ type: 'Notification' }, AARCH64_DEBUG)).toBe(6);
    expect(physicalSizeBits({ type: 'Reply' }, AARCH64_DEBUG)).toBe(5);
    expect(physicalSizeBits({ type: 'VCpu' }, AARCH64_DEBUG)).toBe(12);
    expect(physicalSizeBits({ type: 'AsidPool', high: 0n }, AARCH64_DEBUG)).toBe(12);
    expect(physicalSizeBits({ type: 'IOPageTable', slots: [], level: 0n }, AARCH64_DEBUG)).toBe(12);
  });

  test('variable-size objects: CNode adds the slot bits, frames and SCs use their own', () => {
    expect(CNODE_SLOT_BITS).toBe(5);
    expect(physicalSizeBits({ type: 'CNode', sizeBits: 9, slots: [] }, AARCH64_DEBUG)).toBe(14);
    expect(physicalSizeBits({ type: 'Frame', sizeBits: 21, paddr: null, init: [] }, AARCH64_DEBUG)).toBe(21);
    const sc = { type: 'SchedContext', sizeBits: 8, extra: { period: 1n, budget: 1n, badge: 0n } } as const;
    expect(physicalSizeBits(sc, AARCH64_DEBUG)).toBe(8);
  });

  test('objects not retyped from untypeds have size 0', () => {
    expect(physicalSizeBits({ type: 'ArmSmc' }, AARCH64_DEBUG)).toBe(0);
    expect(physicalSizeBits({ type: 'IOPorts', startPort: 0n, endPort: 1n }, AARCH64_DEBUG)).toBe(0);
    expect(physicalSizeBits({ type: 'Untyped', sizeBits: 20, paddr: null }, AARCH64_DEBUG)).toBe(0);
    expect(physicalSizeBits({ type: 'RiscvIrq', slots: [], extra: { trigger: 0 } }, AARCH64_DEBUG)).toBe(0);
  });

  test('a size the kernel does not have is an error', () => {
    const riscv: ObjectSizes = { ...AARCH64_DEBUG, vcpu: undefined, ioPageTable: undefined };
    expect(() => physicalSizeBits({ type: 'VCpu' }, riscv)).toThrow('object sizes: no VCPU size for this kernel');
    expect(() => physicalSizeBits({ type: 'IOPageTable', slots: [], level: 0n }, riscv)).toThrow(/IO page table/);
  });
});

describe('final order rules', () => {
  test('paddr first ascending, then size descending, then name bytewise', () => {
    const spec = createSpec();
    addRootObject(spec, 'b_ep', { type: 'Endpoint' });
    addRootObject(spec, 'hi_frame', { type: 'Frame', sizeBits: 12, paddr: 0x9000_0000n, init: [] });
    addRootObject(spec, 'a_ep', { type: 'Endpoint' });
    addRootObject(spec, 'big_frame', { type: 'Frame', sizeBits: 21, paddr: null, init: [] });
    addRootObject(spec, 'lo_frame', { type: 'Frame', sizeBits: 12, paddr: 0x4000_0000n, init: [] });
    addRootObject(spec, 'smc', { type: 'ArmSmc' });
    addRootObject(spec, 'tcb', { type: 'Tcb', slots: [], extra: tcbExtra() });
    expect(Array.from(finalObjectOrder(spec, AARCH64_DEBUG), (i) => spec.objects.get(i).name)).toEqual([
      'lo_frame',
      'hi_frame',
      'big_frame',
      'tcb',
      'a_ep',
      'b_ep',
      'smc',
    ]);
  });

  test('duplicate names do not crash: ties keep creation order and references stay right', () => {
    const spec = createSpec();
    const ep1 = addRootObject(spec, 'dup', { type: 'Endpoint' });
    const ep0 = addRootObject(spec, 'dup', { type: 'Endpoint' });
    addRootObject(spec, 'cnode', {
      type: 'CNode',
      sizeBits: 1,
      slots: [
        { slot: 1, cap: { type: 'Endpoint', object: ep1, badge: 1n, rights: rw() } },
        { slot: 0, cap: { type: 'Endpoint', object: ep0, badge: 0n, rights: rw() } },
      ],
    });
    const sorted = sortAndRenumber(spec, AARCH64_DEBUG);
    expect([...sorted.objects].map((o) => o.name)).toEqual(['cnode', 'dup', 'dup']);
    const cnode = sorted.objects.get(0).object;
    if (cnode.type !== 'CNode') throw new Error('expected a CNode');
    // Slots sorted; badge 1 still points at the first-created endpoint.
    expect(cnode.slots.map((e) => [e.slot, e.cap.object, 'badge' in e.cap ? e.cap.badge : null])).toEqual([
      [0, 2, 0n],
      [1, 1, 1n],
    ]);
  });

  test('IRQ handlers and ASID slots are renumbered; IRQs sorted by number; TCB slots keep their order', () => {
    const spec = createSpec();
    const irqB = addRootObject(spec, 'irq_b', { type: 'RiscvIrq', slots: [], extra: { trigger: 0 } });
    const irqA = addRootObject(spec, 'irq_a', { type: 'RiscvIrq', slots: [], extra: { trigger: 1 } });
    const ep = addRootObject(spec, 'ep', { type: 'Endpoint' });
    const pool = addRootObject(spec, 'pool', { type: 'AsidPool', high: 0n });
    addRootObject(spec, 'tcb', {
      type: 'Tcb',
      slots: [
        { slot: 5, cap: { type: 'Endpoint', object: ep, badge: 0n, rights: rw() } },
        { slot: 1, cap: { type: 'AsidPool', object: pool } },
      ],
      extra: tcbExtra(),
    });
    spec.irqs = [
      { irq: 9n, handler: irqB },
      { irq: 2n, handler: irqA },
    ];
    spec.asidSlots = [pool];
    const sorted = sortAndRenumber(spec, AARCH64_DEBUG);
    const names = [...sorted.objects].map((o) => o.name);
    expect(names).toEqual(['pool', 'tcb', 'ep', 'irq_a', 'irq_b']);
    expect(sorted.irqs).toEqual([
      { irq: 2n, handler: 3 },
      { irq: 9n, handler: 4 },
    ]);
    expect(sorted.asidSlots).toEqual([0]);
    const tcb = sorted.objects.get(1).object;
    expect(tcb.type === 'Tcb' && tcb.slots.map((e) => [e.slot, e.cap.object])).toEqual([
      [5, 2],
      [1, 0],
    ]);
    // The input spec is unchanged.
    expect([...spec.objects].map((o) => o.name)).toEqual(['irq_b', 'irq_a', 'ep', 'pool', 'tcb']);
    expect(spec.irqs[0]).toEqual({ irq: 9n, handler: 0 });
  });

  test('a dangling cap reference is reported', () => {
    const spec = createSpec();
    addRootObject(spec, 'cnode', { type: 'CNode', sizeBits: 1, slots: [{ slot: 0, cap: { type: 'Tcb', object: 7 } }] });
    expect(() => sortAndRenumber(spec, AARCH64_DEBUG)).toThrow("cap in slot 0 of 'cnode' refers to missing object 7");
  });
});

describe('final order of names', () => {
  test('plain and astral names together sort by UTF-8 bytes, as compareUtf8 does', () => {
    const names = ['frame_b', '\uff21x', 'frame_a_000000002', '😀', 'frame_a_000000010', 'Zed', '\ue000', 'frame_a_000000001'];
    const spec = createSpec();
    for (const n of names) addRootObject(spec, n, { type: 'Endpoint' });
    const got = Array.from(finalObjectOrder(spec, AARCH64_DEBUG), (i) => spec.objects.get(i).name);
    expect(got).toEqual([...names].sort(compareUtf8));
    expect(got.indexOf('\uff21x')).toBeLessThan(got.indexOf('😀'));
  });
});

describe('compareUtf8', () => {
  test('orders like Rust strings (UTF-8 bytes)', () => {
    expect(compareUtf8('a', 'b')).toBeLessThan(0);
    expect(compareUtf8('ab', 'a')).toBeGreaterThan(0);
    expect(compareUtf8('frame_1', 'frame_1')).toBe(0);
    expect(compareUtf8('Z', 'a')).toBeLessThan(0);
    expect(compareUtf8('_', 'a')).toBeLessThan(0);
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80), unlike UTF-16 order.
    expect(compareUtf8('\uff21', '😀')).toBeLessThan(0);
    expect('\uff21' < '😀').toBe(false);
  });
});

function rw() {
  return { read: true, write: true, grant: false, grantReply: false };
}

function tcbExtra() {
  return {
    ipcBufferAddr: 0n,
    affinity: 0n,
    prio: 0,
    maxPrio: 0,
    fpuDisabled: false,
    resume: true,
    domain: null,
    ip: 0n,
    sp: 0n,
    gprs: [],
    masterFaultEp: null,
  };
}
