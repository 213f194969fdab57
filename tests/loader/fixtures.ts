/** Small hand-made loader/kernel ELFs and inputs for the loader-image unit tests. */
import { EM_AARCH64, EM_RISCV, PF_R, PF_W, PF_X, PT_LOAD, findSymbol, parseElf, writeElf } from '../../core/elf/index.js';
import type { ElfFile, SymbolSpec } from '../../core/elf/index.js';
import type { KernelConfig } from '../../core/kernel/config.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import type { InitialiserPlacement, LoaderImageInput } from '../../plugins/loader-image/index.js';
import { aarch64LoaderSupport } from '../../plugins/aarch64/loader.js';
import { riscv64LoaderSupport } from '../../plugins/riscv64/loader.js';
import { presetKernel } from '../support/kernel.js';

export const pattern = (length: number, seed: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (seed + i * 13) & 0xff);

export const AARCH64_TABLES = ['boot_lvl0_lower', 'boot_lvl0_upper', 'boot_lvl1_lower', 'boot_lvl1_upper', 'boot_lvl2_lower', 'boot_lvl2_upper'];
export const RISCV64_TABLES = ['boot_lvl1_pt', 'boot_lvl2_pt', 'boot_lvl3_pt', 'boot_lvl2_pt_loader'];

export interface LoaderElfOptions {
  machine?: number;
  base?: bigint;
  entry?: bigint;
  tables?: readonly string[];
  /** Table symbols to leave out. */
  omit?: readonly string[];
  /** Size of every table symbol (default 4096). */
  tableSize?: bigint;
  /** Marker symbols; default `_loader_start`/`_text` = base, `_loader_end` = end of memory. */
  markers?: Record<string, bigint>;
  extra?: SymbolSpec[];
  /** File bytes of the segment (default 0x100 bytes of pattern); u64 words may be placed with `words`. */
  words?: Record<number, bigint>;
}

/** One RWX PT_LOAD at `base`: 0x2000 bytes of code/data (0x100 in the file) then one 4 KiB table per name. */
export function loaderElf(options: LoaderElfOptions = {}): ElfFile {
  const base = options.base ?? 0x70000000n;
  const tables = options.tables ?? AARCH64_TABLES;
  const memsz = 0x2000n + BigInt(tables.length) * 0x1000n;
  const data = pattern(0x100, 7);
  const dv = new DataView(data.buffer);
  for (const [off, w] of Object.entries(options.words ?? {})) dv.setBigUint64(Number(off), w, true);
  const symbols: SymbolSpec[] = tables
    .map((name, i) => ({ name, value: base + 0x2000n + BigInt(i) * 0x1000n, size: options.tableSize ?? 0x1000n }))
    .filter((s) => !(options.omit ?? []).includes(s.name));
  const markers = options.markers ?? { _loader_start: base, _text: base, _loader_end: base + memsz };
  for (const [name, value] of Object.entries(markers)) symbols.push({ name, value });
  symbols.push(...(options.extra ?? []));
  const bytes = writeElf({
    machine: options.machine ?? EM_AARCH64,
    entry: options.entry ?? base,
    segments: [{ flags: PF_R | PF_W | PF_X, vaddr: base, data, memsz }],
    symbols,
  });
  return parseElf(bytes);
}

export function riscvLoaderElf(options: LoaderElfOptions = {}): ElfFile {
  return loaderElf({ machine: EM_RISCV, base: 0x90000000n, tables: RISCV64_TABLES, ...options });
}

export interface KernelSegment {
  vaddr: bigint;
  paddr: bigint;
  data: Uint8Array;
  memsz: bigint;
  type?: number;
}

export function kernelElf(segments: KernelSegment[], entry = segments[0]?.vaddr ?? 0n, machine = EM_AARCH64): ElfFile {
  const bytes = writeElf({
    machine,
    entry,
    segments: segments.map((s) => ({ type: s.type ?? PT_LOAD, flags: PF_R | PF_W | PF_X, vaddr: s.vaddr, paddr: s.paddr, data: s.data, memsz: s.memsz })),
    symbols: [{ name: 'ki_end', value: 0n }],
  });
  return parseElf(bytes);
}

export const AARCH64_KERNEL: KernelSegment = { vaddr: 0xffc0200000n, paddr: 0x40000000n, data: pattern(0x100, 1), memsz: 0x3000n };

export function initialiser(overrides: Partial<InitialiserPlacement> = {}): InitialiserPlacement {
  return {
    segments: [
      { vaddr: 0x200000n, data: pattern(16, 3), memsz: 0x1000n },
      { vaddr: 0x201000n, data: new Uint8Array(0), memsz: 0n },
      { vaddr: 0x202000n, data: pattern(4, 5), memsz: 0x10n },
    ],
    entry: 0x200040n,
    physBase: 0x40100000n,
    vaddrRange: { start: 0x200000n, end: 0x203000n },
    ...overrides,
  };
}

let aarch64Kernel: KernelConfig | undefined;
let riscv64Kernel: KernelConfig | undefined;

export function aarch64Input(overrides: Partial<LoaderImageInput> = {}): LoaderImageInput {
  aarch64Kernel ??= presetKernel('qemu_virt_aarch64');
  return {
    loaderElf: loaderElf(),
    kernelElf: kernelElf([AARCH64_KERNEL]),
    kernel: aarch64Kernel,
    initialiser: initialiser(),
    arch: aarch64LoaderSupport,
    imageType: 'binary',
    ...overrides,
  };
}

export const RISCV64_KERNEL: KernelSegment = { vaddr: 0xffffffff80201000n, paddr: 0x80201000n, data: pattern(0x80, 9), memsz: 0x2000n };

export function riscv64Input(overrides: Partial<LoaderImageInput> = {}): LoaderImageInput {
  riscv64Kernel ??= presetKernel('qemu_virt_riscv64');
  return {
    loaderElf: riscvLoaderElf(),
    kernelElf: kernelElf([RISCV64_KERNEL], RISCV64_KERNEL.vaddr, EM_RISCV),
    kernel: riscv64Kernel,
    initialiser: initialiser({ physBase: 0x80400000n }),
    arch: riscv64LoaderSupport,
    imageType: 'binary',
    ...overrides,
  };
}

export function symbolValue(elf: ElfFile, name: string): bigint {
  const s = findSymbol(elf, name);
  if (!s.ok) throw new Error(s.reason);
  return s.value;
}

/** The `i`th u64 of a table as written into the loader image (image starts at `base`). */
export function tableEntry(image: Uint8Array, base: bigint, tableVaddr: bigint, i: number): bigint {
  return new DataView(image.buffer, image.byteOffset, image.byteLength).getBigUint64(Number(tableVaddr - base) + 8 * i, true);
}

/** Runs `f`, which must throw a MicrokitError; returns it. */
export function microkitError(f: () => unknown): MicrokitError {
  try {
    f();
  } catch (e) {
    if (e instanceof MicrokitError) return e;
    throw new Error(`expected a MicrokitError, got ${String(e)}`);
  }
  throw new Error('expected a MicrokitError, nothing was thrown');
}

/** Bitwise reflected CRC-32 (IEEE), independent of node:zlib. */
export function referenceCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
