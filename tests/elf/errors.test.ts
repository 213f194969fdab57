import { describe, expect, it } from 'vitest';
import { EM_AARCH64, ElfError, PF_R, parseElf, writeElf } from '../../core/elf/index.js';
import { sampleSpec } from './helpers.js';

const valid = writeElf(sampleSpec());
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function reason(bytes: Uint8Array, path?: string): string {
  try {
    parseElf(bytes, path);
  } catch (e) {
    if (!(e instanceof ElfError)) throw e;
    return e.reason;
  }
  throw new Error('parsed without error');
}

function patched(edit: (dv: DataView, b: Uint8Array) => void): Uint8Array {
  const b = valid.slice();
  edit(new DataView(b.buffer), b);
  return b;
}

const elf = parseElf(valid);
const symtab = elf.sections.find((s) => s.name === '.symtab')!;
const shdr = (i: number): number => Number(elf.header.shoff) + i * 64;

describe('parseElf errors', () => {
  it('rejects files that are not ELF', () => {
    expect(reason(new Uint8Array(0))).toBe('magic check failed');
    expect(reason(text('int main(){}\n'))).toBe('magic check failed');
    expect(reason(text('#include <stdio.h>\nint main(void) { return 0; }\n/* long enough for a header */\n'))).toBe('magic check failed');
    expect(reason(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46))).toBe('magic check failed');
    expect(reason(valid.subarray(0, 40))).toBe('magic check failed');
  });

  it('rejects unsupported classes and byte orders', () => {
    expect(reason(patched((_, b) => (b[4] = 3)))).toBe("invalid class '3'");
    expect(reason(patched((_, b) => (b[4] = 0)))).toBe("invalid class '0'");
    const elf32 = new Uint8Array(52);
    elf32.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    expect(reason(elf32, 'build/pd.elf')).toBe("ELF 'build/pd.elf': unsupported word size: '32'");
    expect(reason(elf32)).toBe("unsupported word size: '32'");
    expect(reason(patched((_, b) => (b[5] = 2)))).toBe('incorrect endianness, only little endian architectures are supported');
  });

  it('requires program headers and a symbol table', () => {
    expect(reason(writeElf({ machine: EM_AARCH64, entry: 0n, segments: [], symbols: [{ name: 'x', value: 1n }] }))).toBe('has no program headers');
    expect(reason(writeElf({ machine: EM_AARCH64, entry: 0n, segments: [{ flags: PF_R, vaddr: 0n, data: new Uint8Array(4) }] }))).toBe(
      'unable to find symbol table section',
    );
    const noSymtab = writeElf({ ...sampleSpec(), symbols: undefined });
    expect(reason(noSymtab)).toBe('unable to find symbol table section');
  });

  it('reports malformed tables with a reason of its own', () => {
    const cases: Array<[string, (dv: DataView, b: Uint8Array) => void, RegExp]> = [
      ['phoff past the end', (dv) => dv.setBigUint64(32, 1n << 40n, true), /program header table .* beyond the end/],
      ['phentsize', (dv) => dv.setUint16(54, 32, true), /program header entry size 32/],
      ['shoff past the end', (dv) => dv.setBigUint64(40, BigInt(valid.length - 100), true), /section header table .* beyond the end/],
      ['segment past the end', (dv) => dv.setBigUint64(64 + 8, 0xfffffffffffff000n, true), /program header 0 data/],
      ['filesz > memsz', (dv) => dv.setBigUint64(64 + 56 + 32, 0x3000n, true), /filesz 0x3000 is larger than memsz 0x2000/],
      ['symtab entsize', (dv) => dv.setBigUint64(shdr(symtab.index) + 56, 16n, true), /symbol table entry size 16/],
      ['symtab size', (dv) => dv.setBigUint64(shdr(symtab.index) + 32, 24n * 0x1000n, true), /'.symtab' .* beyond the end/],
      ['strtab link', (dv) => dv.setUint32(shdr(symtab.index) + 40, 99, true), /string table index 99/],
      ['symbol name', (dv) => dv.setUint32(Number(symtab.offset) + 24, 0xffff, true), /symbol 1: string offset 0xffff/],
    ];
    for (const [name, edit, expected] of cases) expect(reason(patched(edit)), name).toMatch(expected);
  });

  // What upstream's reader never reads cannot make it refuse a file (its build accepts these): section names,
  // and the data of program headers that are not PT_LOAD. It also keeps the last symbol table it meets.
  it('accepts what upstream never reads: a bad section name table, a non-loadable header past the end', () => {
    const badNames = parseElf(patched((dv) => dv.setUint16(62, 40, true)));
    expect(badNames.sections.every((sec) => sec.name === '')).toBe(true);
    expect(badNames.symbols.length).toBe(11);
    expect(parseElf(patched((dv) => dv.setUint32(shdr(1), 0x7fffffff, true))).sections[1].name).toBe('');
    const noteHeader = patched((dv) => {
      dv.setUint32(64, 4, true); // PT_NOTE
      dv.setBigUint64(64 + 8, 0xfffffffffffff000n, true);
    });
    expect(parseElf(noteHeader).programHeaders[0].type).toBe(4);
  });

  it('throws ElfError for every truncation of a valid file', () => {
    for (let len = 0; len < valid.length; len++) {
      expect(() => parseElf(valid.subarray(0, len))).toThrow(ElfError);
    }
    expect(parseElf(valid).symbols.length).toBe(11);
  });

  it('never crashes with anything but ElfError on corrupted headers', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const regions: Array<[number, number]> = [
      [0, 64 + 3 * 56],
      [shdr(0), valid.length],
      [Number(symtab.offset), Number(symtab.offset + symtab.size)],
    ];
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const b = valid.slice();
      for (let k = 1 + rand(4); k > 0; k--) {
        const [lo, hi] = regions[rand(regions.length)];
        b[lo + rand(hi - lo)] = rand(2) ? rand(256) : 0xff;
      }
      try {
        const e = parseElf(b);
        parsed++;
        expect(e.programHeaders.length).toBeGreaterThan(0);
      } catch (e) {
        if (!(e instanceof ElfError)) throw e;
      }
    }
    expect(parsed).toBeGreaterThan(0);
  });
});
