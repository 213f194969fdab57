import { describe, expect, it } from 'vitest';
import { buildLoaderImage, layoutLoader, loaderBinary, loaderImageSizeLine } from '../../plugins/loader-image/index.js';
import { AARCH64_KERNEL, aarch64Input, initialiser, kernelElf, pattern } from './fixtures.js';
import { parseLoaderImage } from './golden-image.js';

describe('binary loader image layout', () => {
  it('puts the loader image, header, region table and region data in order', () => {
    const input = aarch64Input();
    const bytes = buildLoaderImage(input);
    const parsed = parseLoaderImage(bytes);

    // Loader image = the loader's first segment at memsz (0x8000), its file bytes kept outside the tables.
    expect(parsed.headerOffset).toBe(0x8000);
    expect(Array.from(bytes.subarray(0, 0x100))).toEqual(Array.from(pattern(0x100, 7)));
    expect(bytes.subarray(0x100, 0x2000).every((b) => b === 0)).toBe(true);

    expect(parsed.header).toEqual({
      magic: 0x5e14dead14de5eadn,
      size: 64n + 3n * 32n + 0x3000n + 0x1000n + 0x10n,
      kernelEntry: 0xffc0200000n,
      uiPRegStart: 0x40100000n,
      uiPRegEnd: 0x40103000n,
      pvOffset: 0x40100000n - 0x200000n,
      vEntry: 0x200040n,
      numRegions: 3n,
    });
    // Kernel first; the initialiser's memsz-0 segment is skipped; offsets are a running sum.
    expect(parsed.regions.map((r) => [r.loadAddr, r.size, r.offset, r.type])).toEqual([
      [0x40000000n, 0x3000n, 0n, 1n],
      [0x40100000n, 0x1000n, 0x3000n, 1n],
      [0x40102000n, 0x10n, 0x4000n, 1n],
    ]);
    // bss materialised as zeros after the file bytes.
    const [kernel, first, second] = parsed.regions;
    expect(Array.from(kernel.data.subarray(0, 0x100))).toEqual(Array.from(AARCH64_KERNEL.data));
    expect(kernel.data.subarray(0x100).every((b) => b === 0)).toBe(true);
    expect(Array.from(first.data.subarray(0, 16))).toEqual(Array.from(pattern(16, 3)));
    expect(first.data.subarray(16).every((b) => b === 0)).toBe(true);
    expect(Array.from(second.data)).toEqual([...pattern(4, 5), ...new Array(12).fill(0)]);
    expect(bytes.length).toBe(0x8000 + 64 + 3 * 32 + 0x4010);
  });

  it('wraps pv_offset when the initialiser sits below its virtual address', () => {
    const init = initialiser({ physBase: 0x1000n });
    const layout = layoutLoader(aarch64Input({ initialiser: init }));
    expect(layout.header.pvOffset).toBe((1n << 64n) + 0x1000n - 0x200000n);
    expect(layout.regions.filter((r) => r.role === 'initialiser').map((r) => r.loadAddr)).toEqual([0x1000n, 0x3000n]);
  });

  it('keeps kernel segments in file order, empty ones included, and uses the lowest vaddr/paddr for the window', () => {
    const kernel = kernelElf(
      [
        { vaddr: 0xffc0210000n, paddr: 0x40010000n, data: pattern(8, 1), memsz: 8n },
        { vaddr: 0xffc0200000n, paddr: 0x40000000n, data: pattern(8, 2), memsz: 0x100n },
        { vaddr: 0xffc0220000n, paddr: 0x40020000n, data: new Uint8Array(0), memsz: 0n },
      ],
      0xffc0200000n,
    );
    const layout = layoutLoader(aarch64Input({ kernelElf: kernel }));
    expect(layout.regions.map((r) => [r.role, r.loadAddr, BigInt(r.data.length)])).toEqual([
      ['kernel', 0x40010000n, 8n],
      ['kernel', 0x40000000n, 0x100n],
      ['kernel', 0x40020000n, 0n],
      ['initialiser', 0x40100000n, 0x1000n],
      ['initialiser', 0x40102000n, 0x10n],
    ]);
    expect(layout.header.numRegions).toBe(5n);
  });

  it('does not modify the loader ELF it was given', () => {
    const input = aarch64Input();
    const before = Uint8Array.from(input.loaderElf.bytes);
    const a = buildLoaderImage(input);
    const b = buildLoaderImage(input);
    expect(Buffer.from(input.loaderElf.bytes).equals(Buffer.from(before))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(loaderBinary(layoutLoader(input))))).toBe(true);
  });
});

describe('image size line', () => {
  it('prints the file size as upstream does', () => {
    expect(loaderImageSizeLine(0x7876c)).toBe('MICROKIT|LOADER: image file size = 481.86 KiB');
    expect(loaderImageSizeLine(1024n * 1024n)).toBe('MICROKIT|LOADER: image file size = 1,024 KiB');
    expect(loaderImageSizeLine(3n * 1024n * 1024n)).toBe('MICROKIT|LOADER: image file size = 3 MiB');
  });
});
