import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EM_AARCH64,
  ElfError,
  PT_LOAD,
  SHT_STRTAB,
  createImage,
  findSymbol,
  highestVaddr,
  loadableSegments,
  lowestVaddr,
  parseElf,
  patchedSegmentData,
  readSymbolBytes,
  readSymbolWord,
  reserialiseElf,
  segmentData,
  writeSymbolBytes,
  writeSymbolWord,
} from '../../core/elf/index.js';
import type { ElfFile } from '../../core/elf/index.js';
import { SDK_ELF_DIR, readelf, sameBytes } from './helpers.js';

const load = (name: string): ElfFile => {
  const file = path.join(SDK_ELF_DIR, name);
  return parseElf(readFileSync(file), file);
};

describe.skipIf(!existsSync(SDK_ELF_DIR))('SDK stub ELFs', () => {
  it('reads monitor.elf', () => {
    const elf = load('monitor.elf');
    expect(elf.header).toMatchObject({ machine: EM_AARCH64, entry: 0x200000n, type: 2 });
    expect(loadableSegments(elf).map((s) => [s.vaddr, s.filesz, s.memsz])).toEqual([
      [0x200000n, 0x2004n, 0x2004n],
      [0x203000n, 8n, 0x2218n],
    ]);
    expect(findSymbol(elf, 'pd_names')).toEqual({ ok: true, value: 0x204218n, size: 4096n });
    expect(findSymbol(elf, '$d')).toMatchObject({ ok: false, error: 'multiple' });
    expect(elf.sections.map((s) => s.name)).toEqual(['', '.text', '.data', '.bss', '.symtab', '.strtab', '.shstrtab']);
    expect(lowestVaddr(elf)).toBe(0x200000n);
    expect(highestVaddr(elf)).toBe(0x205218n);
    expect(elf.path).toBe(path.join(SDK_ELF_DIR, 'monitor.elf'));
  });

  it('reads initialiser.elf with a bss-only segment', () => {
    const elf = load('initialiser.elf');
    expect(elf.header.entry).toBe(0x200000n);
    const segs = loadableSegments(elf);
    expect(segs).toHaveLength(3);
    expect(segs[2]).toMatchObject({ vaddr: 0x222000n, filesz: 0n, memsz: 0x10010n });
    expect(segmentData(elf, segs[2]).length).toBe(0);
    expect(highestVaddr(elf)).toBe(0x232010n);
    expect(findSymbol(elf, 'sel4_phdrs_patched__phnum')).toEqual({ ok: true, value: 0x232000n, size: 2n });
    expect(readSymbolWord(elf, 'sel4_phdrs_patched__vaddr')).toBe(0n);
  });

  it('reads loader.elf and sel4.elf', () => {
    const loader = load('loader.elf');
    expect(loader.header.entry).toBe(0x70000000n);
    expect(findSymbol(loader, 'uart_addr')).toEqual({ ok: true, value: 0x70001008n, size: 8n });
    const kernel = load('sel4.elf');
    expect(kernel.programHeaders).toHaveLength(1);
    expect(kernel.programHeaders[0]).toMatchObject({ type: PT_LOAD, vaddr: 0xffc0000000n, paddr: 0x40000000n, memsz: 0x36000n });
    expect(findSymbol(kernel, 'ki_end')).toEqual({ ok: true, value: 0xffc0036000n, size: 0n });
  });

  it('patches monitor.elf symbols in .data and .bss', () => {
    const elf = load('monitor.elf');
    const img = createImage(elf);
    const names = new Uint8Array(4096);
    names.set(new TextEncoder().encode('rootserver\0'));
    writeSymbolBytes(img, 'pd_names', names);
    writeSymbolWord(img, 'pd_names_len', 1n);
    writeSymbolWord(img, 'monitor_version', 2n);
    const seg = patchedSegmentData(img, elf.programHeaders[1]);
    expect(seg.length).toBe(0x1218 + 4096);
    expect(new TextDecoder().decode(seg.subarray(0x1218, 0x1222))).toBe('rootserver');
    expect([...seg.subarray(0x1210, 0x1218)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(readSymbolWord(img, 'monitor_version')).toBe(2n);
    expect(readSymbolBytes(elf, 'pd_names').every((b) => b === 0)).toBe(true);

    const out = parseElf(reserialiseElf(elf, { image: img }));
    expect(readSymbolWord(out, 'pd_names_len')).toBe(1n);
    expect(readSymbolBytes(out, 'pd_names')).toEqual(names);
  });

  it.each(['monitor.elf', 'initialiser.elf', 'loader.elf', 'sel4.elf'])('re-serialises %s faithfully', (name) => {
    const elf = load(name);
    const bytes = reserialiseElf(elf);
    const out = parseElf(bytes);
    const strip = ({ offset: _o, ...rest }: { offset: bigint }) => rest;
    expect(out.header).toMatchObject({ type: elf.header.type, machine: elf.header.machine, entry: elf.header.entry, phnum: elf.header.phnum });
    expect(out.programHeaders.map(strip)).toEqual(elf.programHeaders.map(strip));
    out.programHeaders.forEach((ph, i) => expect(sameBytes(segmentData(out, ph), segmentData(elf, elf.programHeaders[i]))).toBe(true));
    // String tables may legitimately differ in size (linkers share suffixes).
    const shape = ({ name, type, flags, addr, size }: ElfFile['sections'][number]) => ({ name, type, flags, addr, size: type === SHT_STRTAB ? 0n : size });
    expect(out.sections.map(shape)).toEqual(elf.sections.map(shape));
    expect(out.symbols).toEqual(elf.symbols);
    const r = readelf(bytes, ['-lSs', '-W']);
    if (r) {
      expect(r.stderr).toBe('');
      const original = readelf(elf.bytes, ['-lsW'])!.stdout.replace(/0x[0-9a-f]{6} 0x/g, '');
      expect(r.stdout.replace(/0x[0-9a-f]{6} 0x/g, '')).toContain(original.slice(original.indexOf('Program Headers:')));
    }
  });

  it('throws ElfError for every truncation of monitor.elf', () => {
    const bytes = load('monitor.elf').bytes;
    for (let len = 0; len < bytes.length; len++) expect(() => parseElf(bytes.subarray(0, len))).toThrow(ElfError);
  });
});
