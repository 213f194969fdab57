import { describe, expect, it } from 'vitest';
import {
  ElfError,
  createImage,
  findSymbol,
  parseElf,
  patchedSegmentData,
  readBytes,
  readSymbolBytes,
  readSymbolWord,
  requireSymbol,
  segmentData,
  writeBytes,
  writeElf,
  writeSymbolBytes,
  writeSymbolWord,
} from '../../core/elf/index.js';
import { pattern, sampleSpec } from './helpers.js';

const original = writeElf(sampleSpec());
const fresh = () => parseElf(original.slice());

function thrown(fn: () => unknown): ElfError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    return e as ElfError;
  }
  throw new Error('expected an ElfError');
}

describe('findSymbol', () => {
  const elf = fresh();

  it('finds a unique symbol', () => {
    expect(findSymbol(elf, 'data_word')).toEqual({ ok: true, value: 0x203010n, size: 8n });
    expect(requireSymbol(elf, 'bss_buf')).toEqual({ value: 0x204100n, size: 0x20n });
  });

  it('reports missing and duplicate names with upstream wording', () => {
    expect(findSymbol(elf, 'nope')).toEqual({ ok: false, error: 'not-found', reason: "no symbol named 'nope' found" });
    expect(findSymbol(elf, 'dup')).toEqual({ ok: false, error: 'multiple', reason: "multiple symbols with name 'dup'" });
    const e = thrown(() => requireSymbol(elf, 'dup'));
    expect(e.reason).toBe("multiple symbols with name 'dup'");
    expect(e.symbol).toBe('dup');
  });
});

describe('reading at symbols', () => {
  const elf = fresh();

  it('reads file bytes, bss zeros and straddling ranges', () => {
    expect(readSymbolBytes(elf, 'data_word')).toEqual(pattern(0x18, 100).subarray(0, 8));
    expect(readSymbolWord(elf, 'data_word')).toBe(0x958e878079726b64n);
    expect(readSymbolBytes(elf, 'bss_buf')).toEqual(new Uint8Array(0x20));
    expect(readSymbolBytes(elf, 'edge')).toEqual(Uint8Array.from([...pattern(0x18, 100).subarray(0x14), 0, 0, 0, 0]));
    expect(readBytes(elf, 0x200010n, 4n)).toEqual(pattern(0x20, 1).subarray(0x10, 0x14));
  });

  it('rejects addresses outside every loadable segment', () => {
    expect(thrown(() => readSymbolBytes(elf, 'unmapped')).reason).toBe('address range 0x300000..0x300008 is not inside any loadable segment');
    expect(() => readBytes(elf, 0x204ff8n, 0x20n)).toThrow(ElfError);
  });
});

describe('writing at symbols', () => {
  it('copies a segment lazily and leaves the parsed file untouched', () => {
    const elf = fresh();
    const img = createImage(elf);
    readSymbolWord(img, 'data_word');
    expect(img.patches.size).toBe(0);
    expect(patchedSegmentData(img, elf.programHeaders[1]).buffer).toBe(elf.bytes.buffer);

    writeSymbolWord(img, 'data_word', 0x0102030405060708n);
    expect([...img.patches.keys()]).toEqual([1]);
    // The copy holds the file bytes, not the whole memsz (0x2000): a large bss is not copied to patch its data.
    expect(img.patches.get(1)!.data.length).toBe(0x18);
    expect(readSymbolWord(img, 'data_word')).toBe(0x0102030405060708n);
    expect(readSymbolWord(elf, 'data_word')).toBe(0x958e878079726b64n);
    expect(elf.bytes).toEqual(original);

    const copy = img.patches.get(1)!.data;
    writeSymbolWord(img, 'data_word', 5n);
    expect(img.patches.get(1)!.data).toBe(copy);
    // Past the copy is bss: zeros.
    expect(readSymbolWord(img, 'bss_word')).toBe(0n);
  });

  it('lands words at the right offset, including in bss', () => {
    const elf = fresh();
    const img = createImage(elf);
    writeSymbolWord(img, 'data_word', 0x8877665544332211n);
    let seg = patchedSegmentData(img, elf.programHeaders[1]);
    expect(seg.length).toBe(0x18);
    expect([...seg.subarray(0, 8)]).toEqual([0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    expect(seg.subarray(8)).toEqual(pattern(0x18, 100).subarray(8));

    writeSymbolWord(img, 'bss_word', 0xabn);
    seg = patchedSegmentData(img, elf.programHeaders[1]);
    // bss_word is at 0x204000, i.e. 0xff0 into the segment starting at 0x203010.
    expect(seg.length).toBe(0xff8);
    expect([...seg.subarray(0xff0, 0xff8)]).toEqual([0xab, 0, 0, 0, 0, 0, 0, 0]);
    expect(seg.subarray(0x18, 0xff0).every((b) => b === 0)).toBe(true);
    expect(readSymbolWord(img, 'bss_word')).toBe(0xabn);
    expect(segmentData(elf, elf.programHeaders[1]).length).toBe(0x18);
  });

  it('writes byte strings no longer than the symbol', () => {
    const img = createImage(fresh());
    writeSymbolBytes(img, 'bss_buf', Uint8Array.of(1, 2, 3));
    expect([...readSymbolBytes(img, 'bss_buf').subarray(0, 5)]).toEqual([1, 2, 3, 0, 0]);
    const e = thrown(() => writeSymbolBytes(img, 'bss_buf', new Uint8Array(0x21)));
    expect(e.symbolSize).toBe(0x20n);
    writeBytes(img, 0x200000n, Uint8Array.of(0xff));
    expect(readBytes(img, 0x200000n, 2n)).toEqual(Uint8Array.of(0xff, pattern(2, 1)[1]));
  });

  it('exposes the size of non-word symbols and rejects out-of-range values', () => {
    const img = createImage(fresh());
    const e = thrown(() => writeSymbolWord(img, 'data_small', 1n));
    expect(e.symbolSize).toBe(4n);
    expect(e.symbol).toBe('data_small');
    expect(() => writeSymbolWord(img, 'data_word', 1n << 64n)).toThrow(ElfError);
    expect(() => writeSymbolWord(img, 'data_word', -1n)).toThrow(ElfError);
    expect(thrown(() => writeSymbolWord(img, 'missing', 1n)).reason).toBe("no symbol named 'missing' found");
    expect(img.patches.size).toBe(0);
  });

  it('resolves names in a separate symbol source', () => {
    const full = fresh();
    const strippedSpec = sampleSpec();
    delete strippedSpec.symbols;
    const stripped = parseElf(writeElf(strippedSpec), 'stripped.elf', { requireSymbols: false });
    expect(stripped.symbols).toEqual([]);
    expect(findSymbol(stripped, 'data_word').ok).toBe(false);

    const img = createImage(stripped, full);
    writeSymbolWord(img, 'bss_word', 42n);
    expect(readSymbolWord(img, 'bss_word')).toBe(42n);
    expect(img.patches.has(1)).toBe(true);
    expect(readSymbolWord(full, 'bss_word')).toBe(0n);
  });
});
