import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EM_AARCH64, EM_RISCV, EM_X86_64, ElfError, findSymbol, loadableSegments, parseElf, segmentFor } from '../../core/elf/index.js';
import { ARCH_NAMES } from '../../core/kernel/config.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { SHARED } from '../support/paths.js';
import { HAS_READELF, loadSegments, readelf, sameBytes } from './helpers.js';

const GOLDEN = join(SHARED, 'conformance', 'examples', 'golden');
const LIBMICROKIT: [string, bigint][] = [
  ['microkit_name', 64n],
  ['microkit_passive', 1n],
  ['microkit_irqs', 8n],
  ['microkit_notifications', 8n],
  ['microkit_pps', 8n],
  ['microkit_ioports', 8n],
];
const MACHINE = { aarch64: EM_AARCH64, riscv64: EM_RISCV, x86_64: EM_X86_64 } as const;
const BOARD = { aarch64: 'qemu_virt_aarch64', riscv64: 'qemu_virt_riscv64', x86_64: 'x86_64_generic' } as const;
/** setvar.elf's extra symbols in its stub's bss order. */
const SETVAR_SYMBOLS = ['small_mr_no_paddr_paddr', 'pl011_paddr', 'mr_with_paddr_vaddr', 'mr_with_paddr_paddr', 'large_mr_no_paddr_paddr'];

const golden = (arch: keyof typeof BOARD, example: string, image: string) => join(GOLDEN, BOARD[arch], 'debug', example, 'imgs', image);

describe('stubProgramImage', () => {
  it.each(ARCH_NAMES)('%s: entry 0x200000 and the libmicrokit symbols at their sizes, inside loadable segments', (arch) => {
    const bytes = stubProgramImage({ arch, extraWordSymbols: ['heap_base', 'uart_vaddr'] });
    const elf = parseElf(bytes);
    expect(elf.header.machine).toBe(MACHINE[arch]);
    expect(elf.header.entry).toBe(0x200000n);
    const segs = loadableSegments(elf);
    expect(segs.map((s) => [s.vaddr, s.flags])).toEqual([
      [0x200000n, 5],
      [0x202000n, 6],
    ]);
    for (const [name, size] of [...LIBMICROKIT, ['heap_base', 8n], ['uart_vaddr', 8n]] as [string, bigint][]) {
      const s = findSymbol(elf, name);
      expect(s, name).toMatchObject({ ok: true, size });
      if (s.ok) expect(segmentFor(elf, s.value, s.size).index).toBe(1);
    }
    // Extra words before libmicrokit's words (microkit_name goes where the architecture's linker puts it); nothing overlaps.
    const placed = elf.symbols.filter((s) => s.size > 0n && s.value >= 0x202000n).sort((a, b) => (a.value < b.value ? -1 : 1));
    const words = placed.filter((s) => s.name !== 'microkit_name' && s.name !== '__sel4_ipc_buffer').map((s) => s.name);
    expect(words).toEqual(['heap_base', 'uart_vaddr', 'microkit_ioports', 'microkit_pps', 'microkit_notifications', 'microkit_irqs', 'microkit_passive']);
    placed.slice(1).forEach((s, i) => expect(s.value).toBeGreaterThanOrEqual(placed[i].value + placed[i].size));
  });

  it('takes an ELF machine instead of an architecture', () => {
    for (const arch of ARCH_NAMES) {
      expect(sameBytes(stubProgramImage({ machine: MACHINE[arch] }), stubProgramImage({ arch }))).toBe(true);
    }
    expect(() => stubProgramImage({ machine: 40 })).toThrow(ElfError);
    expect(() => stubProgramImage({ arch: 'riscv64', machine: EM_AARCH64 })).toThrow(/not riscv64/);
    expect(() => stubProgramImage({})).toThrow(/arch or a machine/);
  });

  it('rejects duplicate or reserved symbol names', () => {
    expect(() => stubProgramImage({ arch: 'aarch64', extraWordSymbols: ['a', 'a'] })).toThrow(/twice/);
    expect(() => stubProgramImage({ arch: 'aarch64', extraWordSymbols: ['microkit_name'] })).toThrow(/twice/);
    expect(() => stubProgramImage({ arch: 'aarch64', extraWordSymbols: [''] })).toThrow(/invalid/);
  });

  it('is deterministic and depends on its inputs', () => {
    const a = stubProgramImage({ arch: 'x86_64', extraWordSymbols: ['x', 'y'] });
    expect(sameBytes(a, stubProgramImage({ arch: 'x86_64', extraWordSymbols: ['x', 'y'] }))).toBe(true);
    expect(sameBytes(a, stubProgramImage({ arch: 'x86_64', extraWordSymbols: ['y', 'x'] }))).toBe(false);
  });

  it.skipIf(!HAS_READELF).each(ARCH_NAMES)('%s: readelf -a accepts it', (arch) => {
    const r = readelf(stubProgramImage({ arch, extraWordSymbols: ['v'] }), ['-a', '-W']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/microkit_name/);
  });
});

describe.skipIf(!existsSync(GOLDEN))('stubProgramImage against the conformance stub images', () => {
  it.each(ARCH_NAMES)('%s: the same segments and symbol sizes as hello.elf and setvar.elf', (arch) => {
    for (const [example, extras] of [
      ['hello', []],
      ['setvar', SETVAR_SYMBOLS],
    ] as [string, string[]][]) {
      const ours = stubProgramImage({ arch, extraWordSymbols: extras });
      const theirs = readFileSync(golden(arch, example, `${example}.elf`));
      const a = loadSegments(ours);
      const b = loadSegments(theirs);
      const shape = (s: typeof a) => s.map(({ flags, vaddr, paddr, filesz, memsz }) => ({ flags, vaddr, paddr, filesz, memsz }));
      expect(shape(a), example).toEqual(shape(b));
      a.forEach((s, i) => expect(sameBytes(s.data, b[i].data), `${example} segment ${i}`).toBe(true));
      const sizes = (bytes: Uint8Array) =>
        parseElf(bytes)
          .symbols.filter((s) => s.name !== '' && !s.name.startsWith('$'))
          .map((s) => `${s.name} ${s.size} ${s.type}`)
          .sort();
      expect(sizes(ours), example).toEqual(sizes(theirs));
    }
  });

  it.each(ARCH_NAMES)('%s: matches the stubs symbol for symbol (extra words given in their bss order)', (arch) => {
    for (const [example, extras] of [
      ['hello', []],
      ['setvar', SETVAR_SYMBOLS],
    ] as [string, string[]][]) {
      const syms = (bytes: Uint8Array) =>
        parseElf(bytes)
          .symbols.map((s) => `${s.name} ${s.value} ${s.size} ${s.type} ${s.bind}`)
          .sort();
      expect(syms(stubProgramImage({ arch, extraWordSymbols: extras })), example).toEqual(syms(readFileSync(golden(arch, example, `${example}.elf`))));
    }
  });
});
