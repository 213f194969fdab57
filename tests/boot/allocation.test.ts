import { describe, expect, test } from 'vitest';
import { ALLOCATION_FAILED_LINE, allocationError, simulateObjectAllocation } from '../../core/boot/allocation.js';
import type { Untyped } from '../../core/boot/kernel-boot.js';
import { addRootObject } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import type { CapdlObject, Spec } from '../../core/capdl/spec.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { RISCV_SIZES } from './fixtures.js';

const frame = (sizeBits: number, paddr: bigint | null = null): CapdlObject => ({ type: 'Frame', sizeBits, paddr, init: [] });
const cnode = (sizeBits: number): CapdlObject => ({ type: 'CNode', sizeBits, slots: [] });
const pageTable = (): CapdlObject => ({ type: 'PageTable', x86Ept: false, isRoot: false, level: 1, slots: [] });

function specOf(objects: [string, CapdlObject][]): Spec {
  const spec = createSpec();
  for (const [name, object] of objects) addRootObject(spec, name, object);
  return spec;
}

function ut(cap: number, start: bigint, sizeBits: number, isDevice = false): Untyped {
  return { cap, start, end: start + (1n << BigInt(sizeBits)), sizeBits, isDevice };
}

describe('allocation simulation', () => {
  test('greedy: the largest pending object that fits at each aligned step', () => {
    const spec = specOf([
      ['cnode_a', cnode(9)], // 2^14
      ['pt_a', pageTable()],
      ['pt_b', pageTable()],
      ['frame_a', frame(12)],
      ['ntfn', { type: 'Notification' }],
      ['ep_a', { type: 'Endpoint' }],
      ['ep_b', { type: 'Endpoint' }],
      ['irq', { type: 'RiscvIrq', slots: [], extra: { trigger: 0 } }],
    ]);
    const sim = simulateObjectAllocation(spec, [ut(100, 0x1000_0000n, 16)], RISCV_SIZES);
    expect(sim.ok).toBe(true);
    expect(sim.errors).toEqual([]);
    expect([...sim.paddrs]).toEqual([
      [0, 0x1000_0000n],
      [1, 0x1000_4000n],
      [2, 0x1000_5000n],
      [3, 0x1000_6000n],
      [4, 0x1000_7000n],
      [5, 0x1000_7040n],
      [6, 0x1000_7050n],
    ]);
    expect(sim.paddrs.size).toBe(7);
    expect(sim.paddrs.has(7)).toBe(false);
    expect(sim.paddrs.get(7)).toBeUndefined();
    expect(sim.paddrs.untypedIndex(0)).toBe(0);
  });

  test('a pinned frame stops the watermark; smaller objects fill below it', () => {
    const spec = specOf([
      ['frame_pinned', frame(12, 0x1000_3000n)],
      ['cnode_a', cnode(9)],
      ['ep_a', { type: 'Endpoint' }],
    ]);
    const sim = simulateObjectAllocation(spec, [ut(100, 0x1000_0000n, 16)], RISCV_SIZES);
    expect(sim.ok).toBe(true);
    expect(sim.paddrs.get(0)).toBe(0x1000_3000n);
    // The 16 KiB CNode does not fit below the frame; it goes after it.
    expect(sim.paddrs.get(1)).toBe(0x1000_4000n);
    expect(sim.paddrs.get(2)).toBe(0x1000_0000n);
  });

  test('pinned objects may sit in device untypeds; others only come from normal ones', () => {
    const spec = specOf([
      ['frame_uart', frame(12, 0x0900_0000n)],
      ['ep_a', { type: 'Endpoint' }],
    ]);
    // Cap order differs from address order: the device untyped comes second.
    const untypeds = [ut(100, 0x1000_0000n, 12), ut(101, 0x0900_0000n, 12, true)];
    const sim = simulateObjectAllocation(spec, untypeds, RISCV_SIZES);
    expect(sim.ok).toBe(true);
    expect(sim.paddrs.get(0)).toBe(0x0900_0000n);
    expect(sim.paddrs.untypedIndex(0)).toBe(1);
    expect(sim.paddrs.get(1)).toBe(0x1000_0000n);
    expect(sim.paddrs.untypedIndex(1)).toBe(0);
  });

  test('a pinned object outside every untyped (B10)', () => {
    const spec = specOf([
      ['frame_mr_uart_000000000', frame(12, 0x0a00_0000n)],
      ['ep_a', { type: 'Endpoint' }],
    ]);
    const untypeds = [ut(100, 0x0900_0000n, 12, true), ut(101, 0x1000_0000n, 16)];
    const sim = simulateObjectAllocation(spec, untypeds, RISCV_SIZES);
    expect(sim.ok).toBe(false);
    expect(sim.paddrs.size).toBe(0);
    expect(sim.errors).toEqual([
      "ERROR: object 'frame_mr_uart_000000000', with paddr 0x00000a000000..0x00000a001000 is not in any valid memory region.",
      'Below are the valid ranges of memory to be allocated from:',
      'Valid ranges outside of main memory:',
      '     [0x000009000000..0x000009001000)',
      'Valid ranges within main memory:',
      '     [0x000010000000..0x000010010000)',
    ]);
    const err = allocationError(sim);
    expect(err).toBeInstanceOf(MicrokitError);
    expect(err.message).toBe([...sim.errors, ALLOCATION_FAILED_LINE].join('\n'));
    expect(err.message.split('\n').at(-1)).toBe('ERROR: could not allocate all required kernel objects. Please see report for more details.');
  });

  test('a pinned object straddling the end of its untyped', () => {
    const spec = specOf([['frame_big', frame(21, 0x1000_0000n)]]);
    const sim = simulateObjectAllocation(spec, [ut(100, 0x1000_0000n, 16)], RISCV_SIZES);
    expect(sim.ok).toBe(false);
    expect(sim.errors[0]).toBe("ERROR: object 'frame_big', with paddr 0x000010000000..0x000010200000 is not in any valid memory region.");
  });

  test('like upstream, a pinned object below every untyped fails without being named', () => {
    const spec = specOf([['frame_low', frame(12, 0x1000n)]]);
    const sim = simulateObjectAllocation(spec, [ut(100, 0x1000_0000n, 16)], RISCV_SIZES);
    expect(sim.ok).toBe(false);
    expect(sim.errors).toEqual([
      'Below are the valid ranges of memory to be allocated from:',
      'Valid ranges outside of main memory:',
      'Valid ranges within main memory:',
      '     [0x000010000000..0x000010010000)',
    ]);
  });

  test('an object too big for any untyped (B10)', () => {
    const spec = specOf([
      ['cnode_huge_a', cnode(16)], // 2 MiB
      ['cnode_huge_b', cnode(16)],
      ['ep_a', { type: 'Endpoint' }],
    ]);
    const sim = simulateObjectAllocation(spec, [ut(100, 0x1000_0000n, 16)], RISCV_SIZES);
    expect(sim.ok).toBe(false);
    expect(sim.errors).toEqual([
      'ERROR: ran out of untypeds for allocating objects of size 2 MiB, still need to create 2 objects which requires 4 MiB of additional memory.',
    ]);
    // What did fit is still recorded, as upstream's expected_allocations.
    expect(sim.paddrs.get(2)).toBe(0x1000_0000n);
  });

  test('enough bytes in total but no untyped aligned and large enough', () => {
    const spec = specOf([
      ['cnode_a', cnode(9)], // 16 KiB
      ['frame_a', frame(12)],
      ['frame_b', frame(12)],
      ['frame_c', frame(12)],
      ['frame_d', frame(12)],
      ['frame_e', frame(12)],
    ]);
    const untypeds = [ut(100, 0x1000_0000n, 13), ut(101, 0x1000_2000n, 13), ut(102, 0x2000_0000n, 13)];
    const sim = simulateObjectAllocation(spec, untypeds, RISCV_SIZES);
    expect(sim.ok).toBe(false);
    expect(sim.errors).toEqual([
      'ERROR: ran out of untypeds for allocating objects of size 16 KiB, still need to create 1 objects which requires 16 KiB of additional memory.',
    ]);
    expect([1, 2, 3, 4, 5].map((id) => sim.paddrs.get(id))).toEqual([0x1000_0000n, 0x1000_1000n, 0x1000_2000n, 0x1000_3000n, 0x2000_0000n]);
  });

  test('suppressed mode reports nothing', () => {
    const spec = specOf([
      ['frame_mr_uart_000000000', frame(12, 0x0a00_0000n)],
      ['cnode_huge', cnode(16)],
    ]);
    const bad = simulateObjectAllocation(spec, [ut(100, 0x1000_0000n, 16)], RISCV_SIZES, 'suppressed');
    expect(bad).toMatchObject({ ok: false, errors: [] });
    const tooBig = simulateObjectAllocation(specOf([['cnode_huge', cnode(16)]]), [ut(100, 0x1000_0000n, 16)], RISCV_SIZES, 'suppressed');
    expect(tooBig).toMatchObject({ ok: false, errors: [] });
  });

  test('map view of the placements', () => {
    const spec = specOf([
      ['ep_a', { type: 'Endpoint' }],
      ['irq', { type: 'RiscvIrq', slots: [], extra: { trigger: 0 } }],
    ]);
    const { paddrs } = simulateObjectAllocation(spec, [ut(7, 0x4000_0000n, 12)], RISCV_SIZES);
    expect([...paddrs.keys()]).toEqual([0]);
    expect([...paddrs.values()]).toEqual([0x4000_0000n]);
    const seen: [number, bigint][] = [];
    paddrs.forEach((v, k) => seen.push([k, v]));
    expect(seen).toEqual([[0, 0x4000_0000n]]);
    expect(new Map(paddrs)).toEqual(new Map([[0, 0x4000_0000n]]));
  });

  test('places 400,000 objects', () => {
    const n = 200_000;
    const spec = createSpec();
    for (let i = 0; i < n; i++) addRootObject(spec, `frame_${String(i).padStart(9, '0')}`, frame(12));
    for (let i = 0; i < n; i++) addRootObject(spec, `ep_${String(i).padStart(9, '0')}`, { type: 'Endpoint' });
    const untypeds = [ut(100, 0x1_0000_0000n, 30)];
    // How fast is a matter for `npm run bench`, not for an assertion here.
    const sim = simulateObjectAllocation(spec, untypeds, RISCV_SIZES);
    expect(sim.ok).toBe(true);
    expect(sim.paddrs.get(n - 1)).toBe(0x1_0000_0000n + BigInt(n - 1) * 0x1000n);
    expect(sim.paddrs.get(2 * n - 1)).toBe(0x1_0000_0000n + BigInt(n) * 0x1000n + BigInt(n - 1) * 0x10n);
  });
});
