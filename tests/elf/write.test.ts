import { describe, expect, it } from 'vitest';
import {
  EM_AARCH64,
  EM_RISCV,
  ElfError,
  PF_R,
  PF_W,
  PF_X,
  PT_GNU_STACK,
  PT_LOAD,
  PT_LOOS,
  PT_NOTE,
  PT_PHDR,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_LOCAL,
  STT_FUNC,
  STT_OBJECT,
  createImage,
  elfToSpec,
  findSymbol,
  highestVaddr,
  loadableSegments,
  lowestVaddr,
  parseElf,
  readSymbolWord,
  reserialiseElf,
  sectionData,
  segmentData,
  writeElf,
  writeSymbolWord,
} from '../../core/elf/index.js';
import { pattern, readelf, sampleSpec } from './helpers.js';

describe('writeElf', () => {
  const bytes = writeElf(sampleSpec());
  const elf = parseElf(bytes);

  it('writes a header our reader reads back', () => {
    expect(elf.header).toMatchObject({
      type: 2,
      machine: EM_AARCH64,
      entry: 0x200000n,
      phoff: 64n,
      phnum: 3,
      phentsize: 56,
      shentsize: 64,
      shnum: 8,
      shstrndx: 7,
    });
    expect(elf.header.shoff % 8n).toBe(0n);
    expect(BigInt(bytes.length)).toBe(elf.header.shoff + 8n * 64n);
  });

  it('places segments at offsets congruent to their vaddr and keeps their bytes', () => {
    const [text, data, custom] = elf.programHeaders;
    expect(text).toMatchObject({ type: PT_LOAD, flags: 5, offset: 0x1000n, vaddr: 0x200000n, paddr: 0x200000n, filesz: 0x20n, memsz: 0x20n, align: 0x1000n });
    expect(data).toMatchObject({ type: PT_LOAD, flags: 6, offset: 0x2010n, vaddr: 0x203010n, paddr: 0x8003010n, filesz: 0x18n, memsz: 0x2000n });
    expect(custom).toMatchObject({ type: PT_LOOS + 5, flags: PF_R, offset: 0x2018n, vaddr: 0x203018n, paddr: 0x8003018n, filesz: 8n, memsz: 8n });
    expect(segmentData(elf, text)).toEqual(pattern(0x20, 1));
    expect(segmentData(elf, data)).toEqual(pattern(0x18, 100));
    expect(segmentData(elf, custom)).toEqual(pattern(0x18, 100).subarray(8, 16));
    expect(loadableSegments(elf).map((s) => s.index)).toEqual([0, 1]);
    expect(lowestVaddr(elf)).toBe(0x200000n);
    expect(highestVaddr(elf)).toBe(0x205010n);
  });

  it('writes sections and symbols with renumbered locals first', () => {
    expect(elf.sections.map((s) => s.name)).toEqual(['', '.text', '.data', '.bss', '.comment', '.symtab', '.strtab', '.shstrtab']);
    const bss = elf.sections[3];
    expect(bss).toMatchObject({ type: SHT_NOBITS, addr: 0x203028n, offset: 0x2028n, size: 0x1fe8n });
    expect(elf.sections[1]).toMatchObject({ type: SHT_PROGBITS, addr: 0x200000n, offset: 0x1000n, size: 0x20n, addralign: 4n });
    expect(new TextDecoder().decode(sectionData(elf, elf.sections[4]))).toBe('stub\0');
    expect(elf.sections[5]).toMatchObject({ link: 6, info: 3, entsize: 24n });
    expect(elf.symbols.map((s) => s.name)).toEqual([
      '',
      'stub.c',
      'dup',
      '_start',
      'data_word',
      'data_small',
      'bss_word',
      'bss_buf',
      'edge',
      'dup',
      'unmapped',
    ]);
    expect(elf.symbols[3]).toMatchObject({ value: 0x200000n, size: 4n, type: STT_FUNC, bind: 1, shndx: 1, info: 0x12 });
    expect(elf.symbols[1]).toMatchObject({ bind: STB_LOCAL, shndx: SHN_ABS });
  });

  it('is accepted by readelf', () => {
    const r = readelf(bytes, ['-lSs', '-W']);
    if (!r) return;
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/LOAD\s+0x002010 0x0000000000203010 0x0000000008003010 0x000018 0x002000 RW\s+0x1000/);
    expect(r.stdout).toMatch(/LOOS\+0x5\s+0x002018 0x0000000000203018/);
    expect(r.stdout).toMatch(/01\s+\.data \.bss/);
    expect(r.stdout).toMatch(/8: 0000000000203024\s+8 OBJECT\s+GLOBAL DEFAULT\s+2 edge/);
    expect(readelf(bytes, ['-a', '-W'])!.stderr).toBe('');
  });

  it('maps the headers for PT_PHDR, orders it first and honours explicit positions', () => {
    const spec = sampleSpec();
    spec.segments[0] = { flags: PF_R | PF_X, vaddr: 0x1ff000n, data: pattern(0x20, 1), includeHeaders: true };
    spec.sections![0] = { name: '.text', type: SHT_PROGBITS, flags: 6n, segment: 0, offset: 64n + 5n * 56n };
    spec.extraHeaders!.push({ type: PT_PHDR, flags: PF_R, target: { kind: 'phdrs' } });
    spec.extraHeaders!.push({ type: PT_NOTE, flags: PF_R, target: { kind: 'segment', segment: 0, offset: 0x15cn, size: 4n }, position: 2 });
    const bytes = writeElf(spec);
    const out = parseElf(bytes);
    expect(out.programHeaders.map((p) => p.type)).toEqual([PT_PHDR, PT_LOAD, PT_NOTE, PT_LOAD, PT_LOOS + 5]);
    expect(out.programHeaders[0]).toMatchObject({ offset: 64n, vaddr: 0x1ff040n, filesz: 5n * 56n, memsz: 5n * 56n });
    expect(out.programHeaders[1]).toMatchObject({ offset: 0n, vaddr: 0x1ff000n, filesz: 0x158n + 0x20n, memsz: 0x178n });
    expect(out.sections[1]).toMatchObject({ addr: 0x1ff158n, offset: 0x158n, size: 0x20n });
    expect(segmentData(out, out.programHeaders[2])).toEqual(pattern(0x20, 1).subarray(4, 8));
    expect(bytes.subarray(0x158, 0x178)).toEqual(pattern(0x20, 1));
    expect(out.programHeaders[3]).toMatchObject({ offset: 0x1010n, vaddr: 0x203010n });
    const r = readelf(bytes, ['-lSs', '-W']);
    if (r) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/01\s+\.text/);
    }
  });

  it('writes an ELF without sections or symbols', () => {
    const out = writeElf({ machine: EM_RISCV, entry: 0x80000000n, segments: [{ flags: PF_R, vaddr: 0x80000000n, data: pattern(10, 3) }] });
    expect(() => parseElf(out)).toThrow('unable to find symbol table section');
    const elf = parseElf(out, undefined, { requireSymbols: false });
    expect(elf.header).toMatchObject({ machine: EM_RISCV, shnum: 0, shoff: 0n });
    expect(out.length).toBe(0x1000 + 10);
    expect(segmentData(elf, elf.programHeaders[0])).toEqual(pattern(10, 3));
  });

  it('gives empty segments an offset without padding the file', () => {
    const out = parseElf(
      writeElf({
        machine: EM_AARCH64,
        entry: 0n,
        symbols: [],
        segments: [
          { flags: PF_R | PF_W, vaddr: 0x400000n, data: new Uint8Array(0), memsz: 0x3000n },
          { type: PT_GNU_STACK, flags: PF_R | PF_W, vaddr: 0n, data: new Uint8Array(0), align: 16n },
        ],
      }),
    );
    expect(out.programHeaders.map((p) => [p.filesz, p.memsz])).toEqual([
      [0n, 0x3000n],
      [0n, 0n],
    ]);
    // The lowest offset congruent to the vaddr, never past the end of the file.
    expect(out.programHeaders[0].offset).toBe(0n);
    expect(out.bytes.length).toBeLessThan(0x400);
    const r = readelf(out.bytes, ['-lSs', '-W']);
    if (r) expect(r.stderr).toBe('');
  });

  it('keeps an empty segment after the last file bytes inside the file', () => {
    const bytes = writeElf({
      machine: EM_AARCH64,
      entry: 0n,
      symbols: [],
      segments: [
        { flags: PF_R | PF_X, vaddr: 0x200000n, data: pattern(0x100, 1) },
        { flags: PF_R | PF_W, vaddr: 0x202000n, data: new Uint8Array(0), memsz: 0x10010n },
      ],
    });
    const bss = parseElf(bytes).programHeaders[1];
    expect(bss).toMatchObject({ offset: 0n, filesz: 0n, memsz: 0x10010n });
    expect(bss.offset + bss.filesz).toBeLessThanOrEqual(BigInt(bytes.length));
  });

  it('rejects inconsistent specs with ElfError', () => {
    const bad =
      (mut: (s: ReturnType<typeof sampleSpec>) => void): (() => Uint8Array) =>
      () => {
        const s = sampleSpec();
        mut(s);
        return writeElf(s);
      };
    expect(bad((s) => (s.segments[0].memsz = 1n))).toThrow(ElfError);
    expect(bad((s) => (s.extraHeaders![0].target = { kind: 'segment', segment: 7 }))).toThrow('no segment 7');
    expect(bad((s) => (s.extraHeaders![0].target = { kind: 'segment', segment: 1, offset: 0x10n, size: 9n }))).toThrow(ElfError);
    expect(bad((s) => (s.sections![0].size = 0x21n))).toThrow(ElfError);
  });
});

describe('reserialising', () => {
  it('reproduces our own output byte for byte', () => {
    const bytes = writeElf(sampleSpec());
    expect(reserialiseElf(parseElf(bytes))).toEqual(bytes);
  });

  it('carries patches, including ones in bss, into the new file', () => {
    const elf = parseElf(writeElf(sampleSpec()));
    const img = createImage(elf);
    writeSymbolWord(img, 'data_word', 0x1122334455667788n);
    writeSymbolWord(img, 'bss_word', 0xdeadbeefn);
    const out = parseElf(reserialiseElf(elf, { image: img }));
    const data = out.programHeaders[1];
    expect(data).toMatchObject({ vaddr: 0x203010n, filesz: 0xff8n, memsz: 0x2000n });
    expect(readSymbolWord(out, 'data_word')).toBe(0x1122334455667788n);
    expect(readSymbolWord(out, 'bss_word')).toBe(0xdeadbeefn);
    expect(readSymbolWord(elf, 'bss_word')).toBe(0n);
    expect(out.sections[3]).toMatchObject({ name: '.bss', addr: 0x203028n, offset: 0x2028n });
  });

  it('appends segments, headers, sections and symbols', () => {
    const elf = parseElf(writeElf(sampleSpec()));
    const payload = pattern(0x1234, 9);
    const bytes = reserialiseElf(elf, {
      entry: 0x200004n,
      segments: [{ flags: PF_R, vaddr: 0x400000n, data: payload }],
      extraHeaders: [{ type: PT_LOOS + 0x100, flags: PF_R, target: { kind: 'segment', segment: 2, offset: 0x10n, size: 0x20n } }],
      sections: [{ name: '.payload', type: SHT_PROGBITS, flags: 2n, segment: 2 }],
      symbols: [{ name: 'payload', value: 0x400000n, size: 0x1234n, type: STT_OBJECT, shndx: 5 }],
    });
    const out = parseElf(bytes);
    expect(out.header.entry).toBe(0x200004n);
    expect(out.programHeaders.map((p) => p.type)).toEqual([PT_LOAD, PT_LOAD, PT_LOOS + 5, PT_LOAD, PT_LOOS + 0x100]);
    expect(segmentData(out, out.programHeaders[3])).toEqual(payload);
    expect(out.programHeaders[3].offset % 0x1000n).toBe(0n);
    expect(out.programHeaders[4]).toMatchObject({ vaddr: 0x400010n, offset: out.programHeaders[3].offset + 0x10n, filesz: 0x20n });
    expect(out.sections[5]).toMatchObject({ name: '.payload', addr: 0x400000n, size: 0x1234n });
    expect(findSymbol(out, 'payload')).toEqual({ ok: true, value: 0x400000n, size: 0x1234n });
    expect(out.symbols.find((s) => s.name === 'payload')!.shndx).toBe(5);
    const r = readelf(bytes, ['-lSs', '-W']);
    if (r) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/03\s+\.payload/);
    }
  });

  it('renumbers sections when the symbol table is not last', () => {
    const elf = parseElf(writeElf(sampleSpec()));
    const spec = elfToSpec(elf);
    expect(spec.sections!.map((s) => s.name)).toEqual(['.text', '.data', '.bss', '.comment']);
    expect(spec.sections![2]).toMatchObject({ segment: 1, offset: 0x18n, size: 0x1fe8n });
    expect(spec.symbols!.find((s) => s.name === 'bss_word')!.shndx).toBe(3);
  });
});
