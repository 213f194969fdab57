import { describe, expect, it } from 'vitest';
import { aarch64BootPageTables } from '../../plugins/aarch64/loader.js';
import { layoutLoader, type BootPageTable } from '../../plugins/loader-image/index.js';
import { riscv64BootPageTables } from '../../plugins/riscv64/loader.js';
import { presetKernel } from '../support/kernel.js';
import { aarch64Input, kernelElf, loaderElf, microkitError, riscv64Input, riscvLoaderElf, symbolValue, tableEntry } from './fixtures.js';

const entries = (t: BootPageTable): Map<number, bigint> => {
  const dv = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const out = new Map<number, bigint>();
  for (let i = 0; i < 512; i++) {
    const v = dv.getBigUint64(8 * i, true);
    if (v !== 0n) out.set(i, v);
  }
  return out;
};
const bySymbol = (tables: readonly BootPageTable[]): Record<string, BootPageTable> => Object.fromEntries(tables.map((t) => [t.symbol, t]));

// Block descriptor attribute bits: AF (0x400) | SH | AttrIndx << 2 | block (0b01).
const DEVICE_BLOCK = 0x400n | (0b10n << 8n) | (0n << 2n) | 0b01n; // 0x601
const NORMAL_BLOCK = 0x400n | (0b11n << 8n) | (4n << 2n) | 0b01n; // 0x711

describe('AArch64 boot page tables', () => {
  const loader = loaderElf({ words: { 0x10: 0x09000000n }, extra: [{ name: 'uart_addr', value: 0x70000010n, size: 8n }] });
  const sym = (name: string): bigint => symbolValue(loader, name);
  const kernel = presetKernel('qemu_virt_aarch64');

  it('maps the loader, the UART and the kernel window', () => {
    const tables = aarch64BootPageTables({ loaderElf: loader, kernel, kernelFirstVaddr: 0xffc0200000n, kernelFirstPaddr: 0x40000000n });
    expect(tables.map((t) => t.symbol)).toEqual([
      'boot_lvl0_lower',
      'boot_lvl1_lower',
      'boot_lvl0_upper',
      'boot_lvl1_upper',
      'boot_lvl2_upper',
      'boot_lvl2_lower',
    ]);
    const t = bySymbol(tables);
    expect(t.boot_lvl0_lower.vaddr).toBe(sym('boot_lvl0_lower'));
    // lvl0: entry 0 → lower lvl1; the kernel's lvl0 index (0xffc0200000 >> 39 = 1) → upper lvl1, in both lvl0 tables.
    expect(entries(t.boot_lvl0_lower)).toEqual(
      new Map([
        [0, sym('boot_lvl1_lower') | 3n],
        [1, sym('boot_lvl1_upper') | 3n],
      ]),
    );
    expect(entries(t.boot_lvl0_upper)).toEqual(new Map([[1, sym('boot_lvl1_upper') | 3n]]));
    // lvl1 lower: UART (0x09000000, GiB 0) as a 1 GiB device block; the loader's GiB (1) → lvl2 lower.
    expect(entries(t.boot_lvl1_lower)).toEqual(
      new Map([
        [0, 0n | DEVICE_BLOCK],
        [1, sym('boot_lvl2_lower') | 3n],
      ]),
    );
    // Loader 0x70000000..0x70008000: one 2 MiB device block at index 0x180.
    expect(entries(t.boot_lvl2_lower)).toEqual(new Map([[0x180, 0x70000000n | DEVICE_BLOCK]]));
    // Kernel window: GiB 0x3ff & 511 = 511; blocks from index 1 to 511, paddr from 0x40000000.
    expect(entries(t.boot_lvl1_upper)).toEqual(new Map([[511, sym('boot_lvl2_upper') | 3n]]));
    const upper = entries(t.boot_lvl2_upper);
    expect(upper.size).toBe(511);
    expect(upper.get(1)).toBe(0x40000000n | NORMAL_BLOCK);
    expect(upper.get(2)).toBe(0x40200000n | NORMAL_BLOCK);
    expect(upper.get(511)).toBe(0x7fc00000n | NORMAL_BLOCK);
  });

  it('writes the tables into the loader image at their symbols', () => {
    const layout = layoutLoader(aarch64Input({ loaderElf: loader }));
    const base = 0x70000000n;
    expect(tableEntry(layout.loaderImage, base, sym('boot_lvl2_lower'), 0x180)).toBe(0x70000000n | DEVICE_BLOCK);
    expect(tableEntry(layout.loaderImage, base, sym('boot_lvl1_lower'), 0)).toBe(DEVICE_BLOCK);
    expect(tableEntry(layout.loaderImage, base, sym('boot_lvl2_upper'), 1)).toBe(0x40000000n | NORMAL_BLOCK);
    expect(layout.bootPageTables).toHaveLength(6);
  });

  it('maps 2 MiB blocks through the block holding _loader_end', () => {
    const big = loaderElf({ markers: { _loader_start: 0x70000000n, _loader_end: 0x70400000n } });
    const t = bySymbol(aarch64BootPageTables({ loaderElf: big, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0x40000000n }));
    expect([...entries(t.boot_lvl2_lower).keys()]).toEqual([0x180, 0x181, 0x182]);
    expect(entries(t.boot_lvl2_lower).get(0x182)).toBe(0x70400000n | DEVICE_BLOCK);
    // No uart_addr symbol: only the loader's table entry in lvl1 lower.
    expect(entries(t.boot_lvl1_lower).size).toBe(1);
  });

  it('maps the first 2 MiB as device memory when the loader has cpus_release_addr', () => {
    const rpi = loaderElf({ base: 0x200000n, extra: [{ name: 'cpus_release_addr', value: 0x200100n, size: 8n }] });
    const t = bySymbol(aarch64BootPageTables({ loaderElf: rpi, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0x40000000n }));
    expect(entries(t.boot_lvl2_lower)).toEqual(
      new Map([
        [0, DEVICE_BLOCK],
        [1, 0x200000n | DEVICE_BLOCK],
      ]),
    );
  });

  it('rejects cpus_release_addr when the loader is in the first 2 MiB or beyond the first GiB', () => {
    for (const base of [0x1000n, 0x70000000n]) {
      const rpi = loaderElf({ base, extra: [{ name: 'cpus_release_addr', value: base + 0x100n, size: 8n }] });
      const e = microkitError(() => aarch64BootPageTables({ loaderElf: rpi, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0x40000000n }));
      expect(e.code).toBe('LOADER_BOOT_PAGE_TABLES');
      expect(e.message).toContain("'cpus_release_addr'");
    }
  });

  it('rejects a loader spanning two GiB slots', () => {
    const wide = loaderElf({ base: 0x7ff00000n, markers: { _loader_start: 0x7ff00000n, _loader_end: 0x80100000n } });
    const e = microkitError(() => aarch64BootPageTables({ loaderElf: wide, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0x40000000n }));
    expect(e.message).toBe('ERROR: We only map 1GiB, but loader paddr range covers multiple GiB (_loader_start 0x7ff00000, _loader_end 0x80100000)');
  });

  it('names the first missing table symbol in upstream order', () => {
    const partial = loaderElf({ omit: ['boot_lvl0_lower', 'boot_lvl2_upper'] });
    const e = microkitError(() => aarch64BootPageTables({ loaderElf: partial, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0x40000000n }));
    expect(e.code).toBe('LOADER_SYMBOL_MISSING');
    expect(e.message).toBe("ERROR: Could not find 'boot_lvl2_upper' symbol in the loader ELF: no symbol named 'boot_lvl2_upper' found");
  });

  it('rejects a uart_addr that is not in the loader image, or not a word', () => {
    const outside = loaderElf({ extra: [{ name: 'uart_addr', value: 0x10000000n, size: 8n }] });
    expect(
      microkitError(() => aarch64BootPageTables({ loaderElf: outside, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0x40000000n })).message,
    ).toMatch(/^ERROR: uart_addr not initialized: /);
    const small = loaderElf({ extra: [{ name: 'uart_addr', value: 0x70000010n, size: 4n }] });
    expect(
      microkitError(() => aarch64BootPageTables({ loaderElf: small, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0x40000000n })).message,
    ).toContain("'uart_addr' symbol is 4 bytes");
  });

  it('rejects output addresses beyond 48 bits', () => {
    const e = microkitError(() => aarch64BootPageTables({ loaderElf: loader, kernel, kernelFirstVaddr: 0xffc0000000n, kernelFirstPaddr: 0xffffffe00000n }));
    expect(e.message).toContain('kernel physical address 0x1000000000000 does not fit in a 48-bit output address');
  });
});

// Sv39 PTEs: PPN at bit 10; leaves D|A|X|W|R|V = 0xcf, table pointers V.
const leaf = (pa: bigint): bigint => ((pa >> 12n) << 10n) | 0xcfn;
const next = (pa: bigint): bigint => ((pa >> 12n) << 10n) | 1n;

describe('RISC-V boot page tables', () => {
  const loader = riscvLoaderElf();
  const sym = (name: string): bigint => symbolValue(loader, name);
  const kernel = presetKernel('qemu_virt_riscv64');

  it('maps the loader and a 2 MiB aligned kernel window with 2 MiB leaves', () => {
    const tables = riscv64BootPageTables({ loaderElf: loader, kernel, kernelFirstVaddr: 0xffffffff80200000n, kernelFirstPaddr: 0x80200000n });
    expect(tables.map((t) => t.symbol)).toEqual(['boot_lvl1_pt', 'boot_lvl2_pt', 'boot_lvl3_pt', 'boot_lvl2_pt_loader']);
    const t = bySymbol(tables);
    // Root: loader GiB 2 (0x90000000 >> 30) and kernel GiB 510.
    expect(entries(t.boot_lvl1_pt)).toEqual(
      new Map([
        [2, next(sym('boot_lvl2_pt_loader'))],
        [510, next(sym('boot_lvl2_pt'))],
      ]),
    );
    const loaderMap = entries(t.boot_lvl2_pt_loader);
    expect(loaderMap.size).toBe(512 - 128);
    expect(loaderMap.get(128)).toBe(0x240000cfn);
    expect(loaderMap.get(511)).toBe(leaf(0x90000000n + 383n * 0x200000n));
    const window = entries(t.boot_lvl2_pt);
    expect(window.size).toBe(511);
    expect(window.get(1)).toBe(leaf(0x80200000n));
    expect(window.get(511)).toBe(leaf(0x80200000n + 510n * 0x200000n));
    expect(entries(t.boot_lvl3_pt).size).toBe(0);
  });

  it('maps an unaligned kernel start with 4 KiB leaves up to the next 2 MiB', () => {
    const t = bySymbol(riscv64BootPageTables({ loaderElf: loader, kernel, kernelFirstVaddr: 0xffffffff80201000n, kernelFirstPaddr: 0x80201000n }));
    const lvl3 = entries(t.boot_lvl3_pt);
    expect(lvl3.size).toBe(511);
    expect(lvl3.get(1)).toBe(0x200804cfn);
    expect(lvl3.get(511)).toBe(0x200ffccfn);
    const lvl2 = entries(t.boot_lvl2_pt);
    expect(lvl2.get(1)).toBe(next(sym('boot_lvl3_pt')));
    expect(lvl2.get(2)).toBe(0x201000cfn); // 0x80400000: the kernel paddr rounded up to 2 MiB
    expect(lvl2.get(511)).toBe(leaf(0x80400000n + 509n * 0x200000n));
    expect(lvl2.size).toBe(511);
  });

  it('is what the builder writes into the loader image', () => {
    const layout = layoutLoader(riscv64Input());
    expect(tableEntry(layout.loaderImage, 0x90000000n, sym('boot_lvl3_pt'), 1)).toBe(0x200804cfn);
    expect(tableEntry(layout.loaderImage, 0x90000000n, sym('boot_lvl1_pt'), 2)).toBe(next(sym('boot_lvl2_pt_loader')));
  });

  it('rejects a loader not 2 MiB aligned, a non-Sv39 kernel and an unaligned kernel paddr', () => {
    const unaligned = riscvLoaderElf({ base: 0x90001000n });
    expect(
      microkitError(() => riscv64BootPageTables({ loaderElf: unaligned, kernel, kernelFirstVaddr: 0xffffffff80200000n, kernelFirstPaddr: 0x80200000n }))
        .message,
    ).toContain('(_text 0x90001000) is not 2 MiB aligned');
    expect(
      microkitError(() =>
        riscv64BootPageTables({
          loaderElf: loader,
          kernel: { ...kernel, riscvPtLevels: 4 },
          kernelFirstVaddr: 0xffffffff80200000n,
          kernelFirstPaddr: 0x80200000n,
        }),
      ).message,
    ).toContain('only supports Sv39');
    expect(
      microkitError(() => riscv64BootPageTables({ loaderElf: loader, kernel, kernelFirstVaddr: 0xffffffff80201000n, kernelFirstPaddr: 0x80201008n })).message,
    ).toContain('0x80201008 is not 4 KiB aligned');
  });

  it('names a missing symbol', () => {
    const partial = riscvLoaderElf({ omit: ['boot_lvl3_pt'] });
    expect(
      microkitError(() => riscv64BootPageTables({ loaderElf: partial, kernel, kernelFirstVaddr: 0xffffffff80200000n, kernelFirstPaddr: 0x80200000n })).message,
    ).toBe("ERROR: Could not find 'boot_lvl3_pt' symbol in the loader ELF: no symbol named 'boot_lvl3_pt' found");
  });
});

describe('builder checks on the tables', () => {
  it('rejects a table symbol whose size is not one page', () => {
    const e = microkitError(() => layoutLoader(aarch64Input({ loaderElf: loaderElf({ tableSize: 8n }) })));
    expect(e.code).toBe('LOADER_BOOT_PAGE_TABLES');
    expect(e.message).toBe("ERROR: boot page table 'boot_lvl0_lower' is 4096 bytes but its loader symbol is 8 bytes");
  });

  it('rejects a table outside the loader image or at its first byte', () => {
    const kernel = kernelElf([{ vaddr: 0xffc0000000n, paddr: 0x40000000n, data: new Uint8Array(8), memsz: 8n }]);
    const outside = loaderElf({ extra: [], omit: ['boot_lvl2_lower'] });
    const moved = { ...outside, symbols: [...outside.symbols, { ...outside.symbols[1], name: 'boot_lvl2_lower', value: 0x70010000n }] };
    expect(microkitError(() => layoutLoader(aarch64Input({ loaderElf: moved, kernelElf: kernel }))).message).toContain(
      "boot page table 'boot_lvl2_lower' at 0x70010000 (size 0x1000) is not inside the loader image [0x70000000..0x70008000)",
    );
    const first = { ...outside, symbols: [...outside.symbols, { ...outside.symbols[1], name: 'boot_lvl2_lower', value: 0x70000000n }] };
    expect(microkitError(() => layoutLoader(aarch64Input({ loaderElf: first, kernelElf: kernel }))).code).toBe('LOADER_BOOT_PAGE_TABLES');
  });
});
