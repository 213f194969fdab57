/**
 * NameOrder compares compact series frames by series and number instead of
 * by their names: on adversarial name sets (series whose names start one
 * another, single objects named like series members or sorting between
 * them, numbers from 10^9 up where %09d stops being fixed-width, non-BMP
 * and private-use characters) it must give exactly the string order, and
 * the final object order must equal a reference that sorts the names.
 */
import { RISCV_SIZES } from '../boot/fixtures.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameOrder, compareUtf8 } from '../../core/capdl/name-order.js';
import { createSpec } from '../../core/capdl/object-table.js';
import { finalObjectOrder } from '../../core/capdl/sort.js';
import { addRootObject, addRootSeriesFrame, type Spec } from '../../core/capdl/spec.js';
import type { ObjectSizes } from '../../core/kernel/config.js';

const SIZES: ObjectSizes = RISCV_SIZES;

/** Pieces names are made of: separators, digits, the common prefix, and characters whose UTF-16 and UTF-8 orders differ. */
const piece = fc.constantFrom('a', 'b', '_', '0', '1', '9', 'frame_', 'mr', '\ue000', '\uff21', '😀', 'z');
const word = fc.array(piece, { minLength: 0, maxLength: 4 }).map((p) => p.join(''));
const seq = fc.oneof(
  fc.constantFrom(0, 1, 9, 10, 99, 999_999_999, 1_000_000_000, 1_000_000_001, 2_000_000_000, 0xffff_ffff),
  fc.integer({ min: 0, max: 0xffff_ffff }),
);

type Item = { kind: 'series'; series: number; seq: number; pinned: boolean; big: boolean } | { kind: 'single'; name: string; big: boolean };

const systemArb = fc.uniqueArray(word, { minLength: 1, maxLength: 4 }).chain((series) => {
  // Singles: free names, and names built from a series' name (members, near-members, longer names).
  const single = fc.oneof(
    word,
    fc
      .tuple(
        fc.constantFrom(...series),
        fc.oneof(
          word,
          seq.map((n) => String(n).padStart(9, '0')),
        ),
      )
      .map(([s, rest]) => `${s}_${rest}`),
    fc.tuple(fc.constantFrom(...series), word).map(([s, rest]) => s + rest),
  );
  const item: fc.Arbitrary<Item> = fc.oneof(
    fc.record({ kind: fc.constant('series' as const), series: fc.nat(series.length - 1), seq, pinned: fc.boolean(), big: fc.boolean() }),
    fc.record({ kind: fc.constant('single' as const), name: single, big: fc.boolean() }),
  );
  return fc.tuple(fc.constant(series), fc.array(item, { minLength: 1, maxLength: 40 }));
});

function build([series, items]: [string[], Item[]]): Spec {
  const spec = createSpec();
  items.forEach((it, i) => {
    const sizeBits = it.big ? 21 : 12;
    if (it.kind === 'series') {
      // A few pinned frames, some sharing a paddr, so names also break ties among them.
      const paddr = it.pinned ? BigInt(i % 3) << 21n : null;
      addRootSeriesFrame(spec, series[it.series], it.seq, sizeBits, paddr, []);
    } else {
      addRootObject(spec, it.name, { type: 'Frame', sizeBits, paddr: null, init: [] });
    }
  });
  return spec;
}

/** The order by sorting the names themselves (the definition NameOrder must match). */
function referenceOrder(spec: Spec): number[] {
  const n = spec.objects.length;
  const names = Array.from({ length: n }, (_, i) => spec.objects.name(i));
  const paddrs = Array.from({ length: n }, (_, i) => spec.objects.paddr(i));
  const bits = Array.from({ length: n }, (_, i) => spec.objects.sizeBits(i) ?? 0);
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const pa = paddrs[a];
    const pb = paddrs[b];
    if (pa !== null || pb !== null) {
      if (pa === null) return 1;
      if (pb === null) return -1;
      if (pa !== pb) return pa < pb ? -1 : 1;
    }
    return bits[b] - bits[a] || compareUtf8(names[a], names[b]) || a - b;
  });
}

describe('NameOrder', () => {
  it('gives the sign of the UTF-8 order of the names for every pair', () => {
    fc.assert(
      fc.property(systemArb, (system) => {
        const spec = build(system);
        const order = new NameOrder(spec.objects);
        for (let a = 0; a < spec.objects.length; a++) {
          for (let b = 0; b < spec.objects.length; b++) {
            expect(Math.sign(order.compare(a, b))).toBe(Math.sign(compareUtf8(spec.objects.name(a), spec.objects.name(b))));
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('makes finalObjectOrder equal the order of sorting the names', () => {
    fc.assert(
      fc.property(systemArb, (system) => {
        const spec = build(system);
        expect(Array.from(finalObjectOrder(spec, SIZES))).toEqual(referenceOrder(spec));
      }),
      { numRuns: 400 },
    );
  });

  it('orders a series across 10^9, where the names stop being fixed-width, by its names', () => {
    const spec = createSpec();
    for (const n of [1_000_000_000, 999_999_999, 5, 1_000_000_001, 0]) addRootSeriesFrame(spec, 'frame_mr_a', n, 12, null, []);
    addRootObject(spec, 'frame_mr_a_1', { type: 'Frame', sizeBits: 12, paddr: null, init: [] });
    addRootObject(spec, 'frame_mr_a_', { type: 'Frame', sizeBits: 12, paddr: null, init: [] });
    const names = Array.from(finalObjectOrder(spec, SIZES), (i) => spec.objects.name(i)).filter((n) => n.startsWith('frame_mr_a_'));
    expect(names).toEqual([
      'frame_mr_a_',
      'frame_mr_a_000000000',
      'frame_mr_a_000000005',
      'frame_mr_a_1',
      'frame_mr_a_1000000000',
      'frame_mr_a_1000000001',
      'frame_mr_a_999999999',
    ]);
  });
});
