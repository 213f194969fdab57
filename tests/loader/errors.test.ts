import { describe, expect, it } from 'vitest';
import { PT_NOTE } from '../../core/elf/index.js';
import { buildLoaderImage } from '../../plugins/loader-image/index.js';
import { AARCH64_KERNEL, aarch64Input, initialiser, kernelElf, loaderElf, microkitError, pattern } from './fixtures.js';

describe('loader image checks', () => {
  it('rejects kernel segments with different physical-to-virtual offsets', () => {
    const kernel = kernelElf([AARCH64_KERNEL, { vaddr: 0xffc0300000n, paddr: 0x40200000n, data: pattern(8, 1), memsz: 8n }]);
    const e = microkitError(() => buildLoaderImage(aarch64Input({ kernelElf: kernel })));
    expect(e.code).toBe('LOADER_KERNEL_OFFSET');
    expect(e.message).toMatch(/^ERROR: Kernel does not have a consistent physical to virtual offset: segment 1 \(vaddr 0xffc0300000, paddr 0x40200000\)/);
  });

  it('rejects a kernel without loadable segments', () => {
    const kernel = kernelElf([{ ...AARCH64_KERNEL, type: PT_NOTE }]);
    expect(microkitError(() => buildLoaderImage(aarch64Input({ kernelElf: kernel }))).code).toBe('LOADER_KERNEL_NO_SEGMENTS');
  });

  it('rejects an initialiser overlapping the kernel', () => {
    const e = microkitError(() => buildLoaderImage(aarch64Input({ initialiser: initialiser({ physBase: 0x40001000n }) })));
    expect(e.code).toBe('LOADER_REGIONS_OVERLAP');
    expect(e.message).toBe(
      'ERROR: Overlapping regions: [40001000..40002000) overlaps [40000000..40003000) (an initialiser segment at 0x40001000 overlaps a kernel segment at 0x40000000)',
    );
  });

  it('rejects a kernel overlapping the loader image', () => {
    const kernel = kernelElf([{ vaddr: 0xffc0000000n, paddr: 0x70004000n, data: pattern(8, 1), memsz: 0x10n }]);
    const e = microkitError(() => buildLoaderImage(aarch64Input({ kernelElf: kernel, initialiser: initialiser({ physBase: 0x80000000n }) })));
    expect(e.message).toBe(
      'ERROR: Overlapping regions: [70000000..70008000) overlaps [70004000..70004010) (the loader image overlaps a kernel segment at 0x70004000)',
    );
  });

  it('rejects a loader whose entry is not the first byte of its image', () => {
    const e = microkitError(() => buildLoaderImage(aarch64Input({ loaderElf: loaderElf({ entry: 0x70000004n }) })));
    expect(e.code).toBe('LOADER_ENTRY');
    expect(e.message).toBe('ERROR: The loader entry point must be the first byte in the image (entry 0x70000004, first loadable segment at 0x70000000)');
  });

  it('rejects an initialiser segment outside its footprint or larger than its memory', () => {
    const outside = initialiser({ vaddrRange: { start: 0x200000n, end: 0x202000n } });
    expect(microkitError(() => buildLoaderImage(aarch64Input({ initialiser: outside }))).message).toBe(
      "ERROR: initialiser segment at vaddr 0x202000 (size 0x10) lies outside the initialiser's footprint [0x200000..0x202000)",
    );
    const overfull = initialiser({ segments: [{ vaddr: 0x200000n, data: pattern(32, 1), memsz: 16n }] });
    expect(microkitError(() => buildLoaderImage(aarch64Input({ initialiser: overfull }))).message).toBe(
      'ERROR: initialiser segment at vaddr 0x200000 has 32 bytes of data but a memory size of 0x10',
    );
    const empty = initialiser({ vaddrRange: { start: 0x200000n, end: 0x200000n } });
    expect(microkitError(() => buildLoaderImage(aarch64Input({ initialiser: empty }))).message).toContain('is empty');
  });
});
