/**
 * The loader image as streamed chunks: the same bytes as the joined image in
 * every container, with the initialiser's data referenced rather than copied
 * (a multi-hundred-MiB packed spec must not be held twice while it is written).
 */
import { describe, expect, it } from 'vitest';
import type { ImageType } from '../../core/build-types.js';
import { buildLoaderImage, buildLoaderImageChunks } from '../../plugins/loader-image/index.js';
import { aarch64Input, initialiser, pattern, riscv64Input } from './fixtures.js';

const cases: [string, ImageType, typeof aarch64Input][] = [
  ['aarch64 binary', 'binary', aarch64Input],
  ['aarch64 elf', 'elf', aarch64Input],
  ['riscv64 binary', 'binary', riscv64Input],
  ['riscv64 elf', 'elf', riscv64Input],
  ['riscv64 uimage', 'uimage', riscv64Input],
];

describe('loader image chunks', () => {
  // The initialiser's first segment arrives in two chunks, as packing leaves it, with bss after them.
  const specPart = pattern(0x800, 11);
  const framePart = pattern(0x400, 17);
  const chunked = (make: typeof aarch64Input, imageType: ImageType) => {
    const base = make({ imageType });
    const init = initialiser({ physBase: base.initialiser.physBase });
    return make({
      imageType,
      initialiser: { ...init, segments: [{ vaddr: 0x200000n, data: [specPart, framePart], memsz: 0x1000n }, ...init.segments.slice(1)] },
    });
  };

  for (const [name, imageType, make] of cases) {
    it(`${name}: chunks joined are the image, and their sizes add up`, () => {
      const input = chunked(make, imageType);
      const image = buildLoaderImageChunks(input);
      const joined = Buffer.concat(image.chunks);
      expect(BigInt(joined.length)).toBe(image.size);
      expect(joined.equals(buildLoaderImage(input))).toBe(true);
    });
  }

  it('references the initialiser chunks instead of copying them', () => {
    const image = buildLoaderImageChunks(chunked(aarch64Input, 'binary'));
    expect(image.chunks).toContain(specPart);
    expect(image.chunks).toContain(framePart);
  });

  it('gives the same bytes for chunked and whole initialiser data', () => {
    const whole = aarch64Input({ initialiser: initialiser({ segments: [{ vaddr: 0x200000n, data: Buffer.concat([specPart, framePart]), memsz: 0x1000n }] }) });
    const parts = aarch64Input({ initialiser: initialiser({ segments: [{ vaddr: 0x200000n, data: [specPart, framePart], memsz: 0x1000n }] }) });
    expect(Buffer.from(buildLoaderImage(parts)).equals(buildLoaderImage(whole))).toBe(true);
  });
});
