import { describe, expect, test } from 'vitest';
import { AARCH64_HYP_KERNEL_VIRTUAL_BASE, AARCH64_KERNEL_VIRTUAL_BASE, RISCV64_SV39_KERNEL_VIRTUAL_BASE } from '../../core/boot/arch-facts.js';
import { trailingZeros64, floorLog2_64 } from '../../core/boot/bits.js';
import { DisjointRegions, splitPowerOfTwo } from '../../core/boot/memory-regions.js';
import type { PhysicalRange } from '../../core/kernel/config.js';

const r = (start: bigint, end: bigint): PhysicalRange => ({ start, end });

describe('bit scans', () => {
  test('trailing zeros and floor log2 across both 32-bit halves', () => {
    expect(trailingZeros64(0n)).toBe(64);
    expect(trailingZeros64(1n)).toBe(0);
    expect(trailingZeros64(0x8000_0000n)).toBe(31);
    expect(trailingZeros64(0x1_0000_0000n)).toBe(32);
    expect(trailingZeros64(0x8000_0000_0000_0000n)).toBe(63);
    expect(trailingZeros64(0xffff_ff80_c000_0000n)).toBe(30);
    expect(floorLog2_64(1n)).toBe(0);
    expect(floorLog2_64(0xffff_ffffn)).toBe(31);
    expect(floorLog2_64(0x1_0000_0000n)).toBe(32);
    expect(floorLog2_64(0xffff_ffff_ffff_ffffn)).toBe(63);
    expect(() => floorLog2_64(0n)).toThrow();
  });
});

describe('DisjointRegions', () => {
  test('inserting merges with the first, the last, or the following region', () => {
    const set = DisjointRegions.of([r(0x1000n, 0x2000n)]);
    set.insert(0x2000n, 0x3000n); // appended to the last
    expect(set.toArray()).toEqual([r(0x1000n, 0x3000n)]);
    set.insert(0x0n, 0x1000n); // prepended to the first
    expect(set.toArray()).toEqual([r(0x0n, 0x3000n)]);
    set.insert(0x8000n, 0x9000n);
    set.insert(0x7000n, 0x8000n); // extends the following region downwards
    expect(set.toArray()).toEqual([r(0x0n, 0x3000n), r(0x7000n, 0x9000n)]);
  });

  test('like upstream, a range only touching the region before it is not merged', () => {
    const set = DisjointRegions.of([r(0x0n, 0x1000n), r(0x8000n, 0x9000n)]);
    set.insert(0x1000n, 0x2000n);
    expect(set.toArray()).toEqual([r(0x0n, 0x1000n), r(0x1000n, 0x2000n), r(0x8000n, 0x9000n)]);
    // Filling a gap exactly merges with the following region only.
    set.insert(0x2000n, 0x8000n);
    expect(set.toArray()).toEqual([r(0x0n, 0x1000n), r(0x1000n, 0x2000n), r(0x2000n, 0x9000n)]);
    expect(set.count).toBe(3);
  });

  test('inserts keep ascending order wherever they land', () => {
    const set = DisjointRegions.of([r(0x5000n, 0x6000n), r(0x1000n, 0x2000n), r(0x9000n, 0xa000n), r(0x3000n, 0x3800n)]);
    expect(set.toArray()).toEqual([r(0x1000n, 0x2000n), r(0x3000n, 0x3800n), r(0x5000n, 0x6000n), r(0x9000n, 0xa000n)]);
  });

  test('overlapping or empty inserts are errors', () => {
    const set = DisjointRegions.of([r(0x1000n, 0x3000n)]);
    expect(() => set.insert(0x2000n, 0x4000n)).toThrow(/overlaps/);
    expect(() => set.insert(0x0n, 0x1001n)).toThrow(/overlaps/);
    expect(() => set.insert(0x5000n, 0x5000n)).toThrow(/empty/);
    expect(set.toArray()).toEqual([r(0x1000n, 0x3000n)]);
  });

  test('removing: whole region, trimming either end, splitting', () => {
    const set = DisjointRegions.of([r(0x0n, 0x1000n), r(0x2000n, 0x8000n)]);
    set.remove(0x0n, 0x1000n);
    expect(set.toArray()).toEqual([r(0x2000n, 0x8000n)]);
    set.remove(0x2000n, 0x3000n);
    expect(set.toArray()).toEqual([r(0x3000n, 0x8000n)]);
    set.remove(0x7000n, 0x8000n);
    expect(set.toArray()).toEqual([r(0x3000n, 0x7000n)]);
    set.remove(0x4000n, 0x5000n);
    expect(set.toArray()).toEqual([r(0x3000n, 0x4000n), r(0x5000n, 0x7000n)]);
  });

  test('removing what is not covered is an internal error', () => {
    // Two adjacent regions that upstream's insert leaves unmerged.
    const set = DisjointRegions.of([r(0x1000n, 0x2000n), r(0x8000n, 0x9000n)]);
    set.insert(0x2000n, 0x3000n);
    expect(set.count).toBe(3);
    expect(() => set.remove(0x1800n, 0x2800n)).toThrow('Internal error: attempting to remove region [0x1800-0x2800) that is not currently covered');
    expect(() => set.remove(0x0n, 0x800n)).toThrow(/not currently covered/);
    expect(() => set.remove(0x2800n, 0x3001n)).toThrow(/not currently covered/);
  });

  test('allocate: first fit, lowest first, aligned', () => {
    const set = DisjointRegions.of([r(0x1000n, 0x3000n), r(0x20_1000n, 0x60_0000n)]);
    // 0x2000 bytes at 2 MiB alignment does not fit in the first region.
    expect(set.allocate(0x2000n, 0x20_0000n)).toBe(0x40_0000n);
    expect(set.toArray()).toEqual([r(0x1000n, 0x3000n), r(0x20_1000n, 0x40_0000n), r(0x40_2000n, 0x60_0000n)]);
    expect(set.allocate(0x1000n, 0x1000n)).toBe(0x1000n);
    // The region is large enough but alignment pushes the block past its end.
    expect(set.allocate(0x1f_f000n, 0x20_0000n)).toBeUndefined();
    expect(set.allocate(0x1e_0000n, 0x1000n)).toBe(0x20_1000n);
    expect(set.allocate(0x100_0000n, 0x1000n)).toBeUndefined();
  });

  test('allocateFrom: first region at or above the bound that is long enough, no alignment', () => {
    const set = DisjointRegions.of([r(0x0n, 0x10_0000n), r(0x20_0800n, 0x20_1000n), r(0x30_0800n, 0x40_0000n)]);
    expect(set.allocateFrom(0x1000n, 0x1n)).toBe(0x30_0800n);
    expect(set.toArray()).toEqual([r(0x0n, 0x10_0000n), r(0x20_0800n, 0x20_1000n), r(0x30_1800n, 0x40_0000n)]);
    expect(set.allocateFrom(0x800n, 0x20_0800n)).toBe(0x20_0800n);
    expect(set.allocateFrom(0x20_0000n, 0x0n)).toBeUndefined();
  });

  test('contains and clone', () => {
    const set = DisjointRegions.of([r(0x1000n, 0x2000n), r(0x8000n, 0x9000n)]);
    set.insert(0x2000n, 0x3000n);
    set.remove(0x8000n, 0x9000n);
    expect(set.toArray()).toEqual([r(0x1000n, 0x2000n), r(0x2000n, 0x3000n)]);
    expect(set.contains(0x1000n, 0x2000n)).toBe(true);
    expect(set.contains(0x2000n, 0x2800n)).toBe(true);
    expect(set.contains(0x1800n, 0x2800n)).toBe(false);
    expect(set.contains(0x3000n, 0x3001n)).toBe(false);
    const copy = set.clone();
    copy.remove(0x1000n, 0x2000n);
    expect(set.count).toBe(2);
    expect(copy.count).toBe(1);
  });

  test('agrees with a linear model of upstream under random operations', () => {
    // The model: upstream's algorithm over a plain array, written out naively.
    const model: PhysicalRange[] = [];
    const modelInsert = (start: bigint, end: bigint): void => {
      let idx = model.length;
      for (let i = 0; i < model.length; i++) {
        if (end <= model[i].start) {
          idx = i;
          break;
        }
      }
      if (model.length === 0) model.push(r(start, end));
      else if (idx === 0 && model[0].start === end) model[0] = r(start, model[0].end);
      else if (idx === model.length && model[idx - 1].end === start) model[idx - 1] = r(model[idx - 1].start, end);
      else if (idx < model.length && model[idx].start === end) model[idx] = r(start, model[idx].end);
      else model.splice(idx, 0, r(start, end));
    };
    const modelRemove = (start: bigint, end: bigint): void => {
      const i = model.findIndex((m) => start >= m.start && end <= m.end);
      const m = model[i];
      const parts = [r(m.start, start), r(end, m.end)].filter((p) => p.start < p.end);
      model.splice(i, 1, ...parts);
    };
    const modelAllocate = (size: bigint, align: bigint): bigint | undefined => {
      for (const m of model) {
        const base = ((m.start + align - 1n) / align) * align;
        if (size <= m.end - m.start && base + size <= m.end) {
          modelRemove(base, base + size);
          return base;
        }
      }
      return undefined;
    };

    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const set = new DisjointRegions();
    const page = 0x1000n;
    for (let step = 0; step < 3000; step++) {
      const op = rand(3);
      if (op === 0) {
        const start = BigInt(rand(4096)) * page;
        const end = start + BigInt(1 + rand(16)) * page;
        const free = model.every((m) => end <= m.start || start >= m.end);
        if (!free) continue;
        modelInsert(start, end);
        set.insert(start, end);
      } else if (op === 1 && model.length > 0) {
        const m = model[rand(model.length)];
        const pages = (m.end - m.start) / page;
        const a = m.start + BigInt(rand(Number(pages))) * page;
        const b = a + BigInt(1 + rand(Number((m.end - a) / page))) * page;
        modelRemove(a, b);
        set.remove(a, b);
      } else {
        const size = BigInt(1 + rand(8)) * page;
        const align = page << BigInt(rand(4));
        expect(set.allocate(size, align)).toBe(modelAllocate(size, align));
      }
      expect(set.toArray()).toEqual(model);
    }
  });
});

describe('splitPowerOfTwo', () => {
  test('maximal naturally aligned blocks', () => {
    expect(splitPowerOfTwo(0x1000n, 0x5000n, 0n, 47)).toEqual([r(0x1000n, 0x2000n), r(0x2000n, 0x4000n), r(0x4000n, 0x5000n)]);
    expect(splitPowerOfTwo(0x4000_0000n, 0xc000_0000n, 0n, 47)).toEqual([r(0x4000_0000n, 0x8000_0000n), r(0x8000_0000n, 0xc000_0000n)]);
  });

  test('a block starting at (kernel virtual) zero is limited by size only', () => {
    expect(splitPowerOfTwo(0x0n, 0x3000n, 0n, 47)).toEqual([r(0x0n, 0x2000n), r(0x2000n, 0x3000n)]);
  });

  test('blocks are capped at maxBits', () => {
    const blocks = splitPowerOfTwo(0x0n, 1n << 50n, 0n, 47);
    expect(blocks.length).toBe(8);
    expect(blocks.every((b) => b.end - b.start === 1n << 47n)).toBe(true);
    expect(splitPowerOfTwo(0x0n, 1n << 39n, RISCV64_SV39_KERNEL_VIRTUAL_BASE, 38)).toEqual([r(0x0n, 1n << 38n), r(1n << 38n, 1n << 39n)]);
  });

  test('alignment is judged on kernel virtual addresses (AArch64 hypervisor base)', () => {
    // Physically one 2 TiB block at 0; in the EL2 kernel window (base 2^39)
    // the start is only 2^39 aligned.
    expect(splitPowerOfTwo(0x0n, 1n << 41n, AARCH64_HYP_KERNEL_VIRTUAL_BASE, 47)).toEqual([
      r(0x0n, 1n << 39n),
      r(1n << 39n, (1n << 39n) + (1n << 40n)),
      r((1n << 39n) + (1n << 40n), 1n << 41n),
    ]);
    expect(splitPowerOfTwo(0x0n, 1n << 41n, 0n, 47)).toEqual([r(0x0n, 1n << 41n)]);
  });

  test('kernel virtual addresses wrap around 2^64 (AArch64 EL1 base)', () => {
    const base = AARCH64_KERNEL_VIRTUAL_BASE;
    // Kernel virtual start is exactly 2^64 = 0: one 1 TiB block that is not
    // physically aligned to its size.
    expect(splitPowerOfTwo(0x80_0000_0000n, 0x180_0000_0000n, base, 47)).toEqual([r(0x80_0000_0000n, 0x180_0000_0000n)]);
    // Without the wrap it would be two 512 GiB blocks.
    expect(splitPowerOfTwo(0x80_0000_0000n, 0x180_0000_0000n, 0n, 47)).toEqual([r(0x80_0000_0000n, 0x100_0000_0000n), r(0x100_0000_0000n, 0x180_0000_0000n)]);
    // A region across the wrap point.
    expect(splitPowerOfTwo(0x7f_0000_0000n, 0x81_0000_0000n, base, 47)).toEqual([r(0x7f_0000_0000n, 0x80_0000_0000n), r(0x80_0000_0000n, 0x81_0000_0000n)]);
    // The QEMU virt high device window [3 GiB, 1 TiB): ends at kernel virtual 2^39 after wrapping.
    const blocks = splitPowerOfTwo(0xc000_0000n, 0x100_0000_0000n, base, 47);
    expect(blocks[0]).toEqual(r(0xc000_0000n, 0x1_0000_0000n));
    expect(blocks[blocks.length - 1]).toEqual(r(0x80_0000_0000n, 0x100_0000_0000n));
    let at = 0xc000_0000n;
    for (const b of blocks) {
      expect(b.start).toBe(at);
      at = b.end;
    }
    expect(at).toBe(0x100_0000_0000n);
  });

  test('DisjointRegions.powerOfTwoBlocks splits each region on its own', () => {
    const adjacent = DisjointRegions.of([r(0x0n, 0x1000n), r(0x3000n, 0x4000n)]);
    adjacent.insert(0x1000n, 0x3000n); // merges downwards into [0x1000, 0x4000)
    expect(adjacent.powerOfTwoBlocks(0n, 47)).toEqual([r(0x0n, 0x1000n), r(0x1000n, 0x2000n), r(0x2000n, 0x4000n)]);
  });
});
