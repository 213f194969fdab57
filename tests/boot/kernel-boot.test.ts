import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  AARCH64_PAGING_SPAN_BITS,
  AARCH64_S2_START_L1_PAGING_SPAN_BITS,
  aarch64BootArch,
  AARCH64_HYP_KERNEL_VIRTUAL_BASE,
  AARCH64_KERNEL_VIRTUAL_BASE,
  RISCV64_SV39_BOOT_ARCH,
} from '../../core/boot/arch-facts.js';
import {
  emulateKernelBoot,
  emulateKernelBootPartial,
  kernelImageRegions,
  pagingSpanCount,
  pagingTableCount,
  rootServerAlignBits,
  rootServerSize,
} from '../../core/boot/kernel-boot.js';
import type { KernelImageRegions } from '../../core/boot/kernel-boot.js';
import { trailingZeros64 } from '../../core/boot/bits.js';
import { placeInitialiser } from '../../core/boot/placement.js';
import { parseElf } from '../../core/elf/index.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import type { PhysicalRange, PlatformMemory } from '../../core/kernel/config.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
import { testKernel } from './fixtures.js';

const r = (start: bigint, end: bigint): PhysicalRange => ({ start, end });

const MEMORY: PlatformMemory = {
  normal: [r(0x8000_0000n, 0x8800_0000n)],
  device: [r(0x0n, 0x1000_0000n)],
};
const KERNEL_IMAGE: KernelImageRegions = {
  image: r(0x8000_0000n, 0x8004_0000n),
  boot: r(0x8000_0000n, 0x8001_0000n),
};

describe('arch facts', () => {
  test('AArch64 picks the base by hypervisor mode and the levels by stage-2 start', () => {
    expect(aarch64BootArch(true, 40)).toMatchObject({
      kernelVirtualBase: AARCH64_HYP_KERNEL_VIRTUAL_BASE,
      pagingSpanBits: AARCH64_S2_START_L1_PAGING_SPAN_BITS,
      maxUntypedBits: 47,
    });
    expect(aarch64BootArch(true, 44).pagingSpanBits).toEqual(AARCH64_PAGING_SPAN_BITS);
    expect(aarch64BootArch(false, 40)).toMatchObject({
      kernelVirtualBase: AARCH64_KERNEL_VIRTUAL_BASE,
      pagingSpanBits: [39, 30, 21],
    });
    expect(RISCV64_SV39_BOOT_ARCH.kernelVirtualBase).toBe(0xffff_ffc0_0000_0000n);
  });
});

describe('root server size', () => {
  test('paging spans', () => {
    expect(pagingSpanCount(r(0x20_0000n, 0x24_2000n), 21)).toBe(1n);
    expect(pagingSpanCount(r(0x20_0000n, 0x60_2000n), 21)).toBe(3n);
    expect(pagingSpanCount(r(0x1f_f000n, 0x20_1000n), 21)).toBe(2n);
    expect(pagingSpanCount(r(0x20_0000n, 0x24_2000n), 39)).toBe(1n);
    expect(pagingTableCount(aarch64BootArch(false, 44), r(0x20_0000n, 0x24_2000n))).toBe(3n);
    expect(pagingTableCount(RISCV64_SV39_BOOT_ARCH, r(0x3fe0_0000n, 0x4020_0000n))).toBe(2n + 2n);
  });

  test('sum of the root objects, aligned to the larger of root CNode and VSpace', () => {
    const kernel = testKernel(MEMORY);
    // CNode 2^(12+5) + TCB 2^11 + 2 pages + ASID pool 2^12 + VSpace 2^12 + 2 tables + SC 2^7.
    expect(rootServerSize(kernel, RISCV64_SV39_BOOT_ARCH, r(0x20_0000n, 0x24_2000n))).toBe(0x2_6880n);
    expect(rootServerAlignBits(kernel)).toBe(17);
    expect(rootServerAlignBits(testKernel(MEMORY, { initCNodeBits: 4 }))).toBe(12);
  });
});

describe('kernel boot emulation', () => {
  test('partial boot takes the kernel image out of normal memory', () => {
    const partial = emulateKernelBootPartial(MEMORY, KERNEL_IMAGE);
    expect(partial.normalMemory.toArray()).toEqual([r(0x8004_0000n, 0x8800_0000n)]);
    expect(partial.deviceMemory.toArray()).toEqual([r(0x0n, 0x1000_0000n)]);
    expect(partial.bootRegion).toEqual(r(0x8000_0000n, 0x8001_0000n));
  });

  test('full boot: root server at the top, untypeds device first then boot region then normal', () => {
    const kernel = testKernel(MEMORY);
    const partial = emulateKernelBootPartial(MEMORY, KERNEL_IMAGE);
    const base = placeInitialiser(partial, 0x4_0000n);
    expect(base).toBe(0x8004_0000n);
    const boot = emulateKernelBoot(partial, kernel, RISCV64_SV39_BOOT_ARCH, r(base, base + 0x4_0000n), r(0x20_0000n, 0x24_0000n));
    // The partial result is left alone.
    expect(partial.normalMemory.toArray()).toEqual([r(0x8004_0000n, 0x8800_0000n)]);

    // 0x8800_0000 - 0x2_6880 rounded down to 128 KiB.
    expect(boot.rootServerRegion).toEqual(r(0x87fc_0000n, 0x87fe_6880n));
    expect(boot.fixedCapCount).toBe(16);
    expect(boot.pagingCapCount).toBe(2);
    expect(boot.schedControlCap).toBe(18);
    expect(boot.pageCapCount).toBe(0x42);
    const first = 16 + 2 + 1 + 0x42;
    expect(boot.untypeds[0]).toEqual({ cap: first, start: 0x0n, end: 0x1000_0000n, sizeBits: 28, isDevice: true });
    expect(boot.untypeds[1]).toEqual({ cap: first + 1, start: 0x8000_0000n, end: 0x8001_0000n, sizeBits: 16, isDevice: false });
    expect(boot.untypeds[2]).toEqual({ cap: first + 2, start: 0x8008_0000n, end: 0x8010_0000n, sizeBits: 19, isDevice: false });
    expect(boot.firstAvailableCap).toBe(first + boot.untypeds.length);

    // The normal untypeds tile exactly the memory left after the kernel, the
    // initial task and the root server, each naturally aligned.
    const normal = boot.untypeds.slice(2);
    let at = 0x8008_0000n;
    for (const ut of normal) {
      if (at === 0x87fc_0000n) at = 0x87fe_6880n;
      expect(ut.start).toBe(at);
      expect(ut.end - ut.start).toBe(1n << BigInt(ut.sizeBits));
      expect(trailingZeros64(ut.start)).toBeGreaterThanOrEqual(ut.sizeBits);
      at = ut.end;
    }
    expect(at).toBe(0x8800_0000n);
    boot.untypeds.forEach((ut, i) => expect(ut.cap).toBe(first + i));
  });

  test('untypeds are capped at max_untyped_bits, falling back to the arch value', () => {
    const big: PlatformMemory = { normal: [r(0x0n, 1n << 41n)], device: [] };
    const image: KernelImageRegions = { image: r(0x0n, 0x10_0000n), boot: r(0x0n, 0x1000n) };
    const partial = emulateKernelBootPartial(big, image);
    const task = r(0x10_0000n, 0x14_0000n);
    const virt = r(0x20_0000n, 0x24_0000n);
    const withSdkValue = emulateKernelBoot(partial, testKernel(big), RISCV64_SV39_BOOT_ARCH, task, virt);
    expect(Math.max(...withSdkValue.untypeds.map((u) => u.sizeBits))).toBe(38);
    const sizes = { ...testKernel(big).objectSizes!, maxUntypedBits: undefined };
    const fallback = emulateKernelBoot(partial, testKernel(big, { objectSizes: sizes }), { ...RISCV64_SV39_BOOT_ARCH, maxUntypedBits: 36 }, task, virt);
    expect(Math.max(...fallback.untypeds.map((u) => u.sizeBits))).toBe(36);
  });

  test('the root server goes to the highest region that holds it', () => {
    const memory: PlatformMemory = { normal: [r(0x8000_0000n, 0x8800_0000n), r(0x9000_0000n, 0x9001_0000n)], device: [] };
    const partial = emulateKernelBootPartial(memory, KERNEL_IMAGE);
    const boot = emulateKernelBoot(partial, testKernel(memory), RISCV64_SV39_BOOT_ARCH, r(0x8004_0000n, 0x8008_0000n), r(0x20_0000n, 0x24_0000n));
    expect(boot.rootServerRegion.start).toBe(0x87fc_0000n);
    expect(boot.untypeds.at(-1)).toMatchObject({ start: 0x9000_0000n, end: 0x9001_0000n });
  });

  test('no region for the root server is an error (a panic upstream)', () => {
    const memory: PlatformMemory = { normal: [r(0x0n, 0x8_0000n)], device: [] };
    const image: KernelImageRegions = { image: r(0x0n, 0x1000n), boot: r(0x0n, 0x1000n) };
    const partial = emulateKernelBootPartial(memory, image);
    const run = () => emulateKernelBoot(partial, testKernel(memory), RISCV64_SV39_BOOT_ARCH, r(0x1000n, 0x7_0000n), r(0x1000n, 0x7_0000n));
    expect(run).toThrow(MicrokitError);
    expect(run).toThrow("Couldn't find appropriate region for initial task kernel objects");
    // A top region smaller than the block: end - size would underflow.
    const tiny: PlatformMemory = { normal: [r(0x0n, 0x2_0000n)], device: [] };
    const tinyPartial = emulateKernelBootPartial(tiny, image);
    expect(() => emulateKernelBoot(tinyPartial, testKernel(tiny), RISCV64_SV39_BOOT_ARCH, r(0x1000n, 0x2000n), r(0x1000n, 0x2000n))).toThrow(
      "Couldn't find appropriate region for initial task kernel objects",
    );
  });

  test('physical and virtual regions of the initial task must have the same size', () => {
    const partial = emulateKernelBootPartial(MEMORY, KERNEL_IMAGE);
    expect(() => emulateKernelBoot(partial, testKernel(MEMORY), RISCV64_SV39_BOOT_ARCH, r(0x8004_0000n, 0x8008_0000n), r(0x20_0000n, 0x20_1000n))).toThrow(
      /differ in size/,
    );
  });
});

describe.skipIf(!HAS_SHARED)('kernel ELF regions (synthetic SDK)', () => {
  const elf = (board: string, name: string) => {
    const path = join(SHARED_SDK, 'board', board, 'debug/elf', name);
    return parseElf(readFileSync(path), path);
  };

  test('image and boot regions from ki_end and ki_boot_end', () => {
    expect(kernelImageRegions(elf('qemu_virt_aarch64', 'sel4.elf'))).toEqual({
      image: r(0x4000_0000n, 0x4003_6000n),
      boot: r(0x4000_0000n, 0x4000_5000n),
    });
    expect(kernelImageRegions(elf('qemu_virt_riscv64', 'sel4.elf'))).toEqual({
      image: r(0x8020_0000n, 0x8023_6000n),
      boot: r(0x8020_0000n, 0x8020_5000n),
    });
  });

  test('a kernel without ki_end is an error', () => {
    expect(() => kernelImageRegions(elf('qemu_virt_aarch64', 'monitor.elf'))).toThrow("Could not find 'ki_end' symbol");
  });
});
