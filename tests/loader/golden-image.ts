/**
 * Reading a golden loader image back (independently of the builder): the
 * payload inside its container, the loader header found as
 * image-dump-format.md describes, and the region table.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { InitialiserPlacement } from '../../plugins/loader-image/index.js';
import { SHARED } from '../support/paths.js';

export const GOLDEN = path.join(SHARED, 'conformance/examples/golden');
export const LOADER_BOARDS = ['qemu_virt_aarch64', 'qemu_virt_aarch64_el1', 'qemu_virt_riscv64'] as const;

export interface GoldenRun {
  board: string;
  config: string;
  example: string;
  dir: string;
}

/** Every successful golden run with a loader image on the ARM/RISC-V boards. */
export function goldenLoaderRuns(): GoldenRun[] {
  const runs: GoldenRun[] = [];
  for (const board of LOADER_BOARDS) {
    const boardDir = path.join(GOLDEN, board);
    if (!existsSync(boardDir)) continue;
    for (const config of readdirSync(boardDir).sort()) {
      for (const example of readdirSync(path.join(boardDir, config)).sort()) {
        const dir = path.join(boardDir, config, example);
        const exit = readFileSync(path.join(dir, 'exit_code'), 'utf8').trim();
        if (exit === '0' && existsSync(path.join(dir, 'loader.img'))) runs.push({ board, config, example, dir });
      }
    }
  }
  return runs;
}

export const LOADER_MAGIC_BYTES = Uint8Array.of(0xad, 0x5e, 0xde, 0x14, 0xad, 0xde, 0x14, 0x5e);
export const UIMAGE_MAGIC = 0x27051956;

export interface ParsedRegion {
  loadAddr: bigint;
  size: bigint;
  offset: bigint;
  type: bigint;
  data: Uint8Array;
}

export interface ParsedLoaderImage {
  kind: 'binary' | 'uimage';
  payload: Uint8Array;
  headerOffset: number;
  header: {
    magic: bigint;
    size: bigint;
    kernelEntry: bigint;
    uiPRegStart: bigint;
    uiPRegEnd: bigint;
    pvOffset: bigint;
    vEntry: bigint;
    numRegions: bigint;
  };
  regions: ParsedRegion[];
}

const u64 = (b: Uint8Array, o: number): bigint => new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(o, true);

/** The unique offset holding the magic where offset + header size = payload length. */
function findHeader(payload: Uint8Array): number {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const hits: number[] = [];
  for (let at = buf.indexOf(LOADER_MAGIC_BYTES); at >= 0; at = buf.indexOf(LOADER_MAGIC_BYTES, at + 1)) {
    if (at + 16 <= payload.length && BigInt(at) + u64(payload, at + 8) === BigInt(payload.length)) hits.push(at);
  }
  if (hits.length !== 1) throw new Error(`expected one loader header, found ${hits.length}`);
  return hits[0];
}

export function parseLoaderImage(file: Uint8Array): ParsedLoaderImage {
  const be = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const kind = be.getUint32(0, false) === UIMAGE_MAGIC ? 'uimage' : 'binary';
  const payload = kind === 'uimage' ? file.subarray(128) : file;
  const at = findHeader(payload);
  const w = (i: number): bigint => u64(payload, at + 8 * i);
  const header = {
    magic: w(0),
    size: w(1),
    kernelEntry: w(2),
    uiPRegStart: w(3),
    uiPRegEnd: w(4),
    pvOffset: w(5),
    vEntry: w(6),
    numRegions: w(7),
  };
  const table = at + 64;
  const dataStart = table + 32 * Number(header.numRegions);
  const regions: ParsedRegion[] = [];
  for (let i = 0; i < Number(header.numRegions); i++) {
    const o = table + 32 * i;
    const loadAddr = u64(payload, o);
    const size = u64(payload, o + 8);
    const offset = u64(payload, o + 16);
    const start = dataStart + Number(offset);
    regions.push({ loadAddr, size, offset, type: u64(payload, o + 24), data: payload.subarray(start, start + Number(size)) });
  }
  return { kind, payload, headerOffset: at, header, regions };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Index of the first differing byte, or -1. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const U64 = 1n << 64n;
export const wrap = (x: bigint): bigint => ((x % U64) + U64) % U64;

/** The initialiser as the golden image places it: regions inside [ui_p_reg_start, ui_p_reg_end). */
export function initialiserFromImage(img: ParsedLoaderImage): InitialiserPlacement {
  const h = img.header;
  const start = wrap(h.uiPRegStart - h.pvOffset);
  const segments = img.regions
    .filter((r) => r.loadAddr >= h.uiPRegStart && r.loadAddr < h.uiPRegEnd)
    .map((r) => ({ vaddr: wrap(r.loadAddr - h.pvOffset), data: r.data, memsz: r.size }));
  return { segments, entry: h.vEntry, physBase: h.uiPRegStart, vaddrRange: { start, end: start + (h.uiPRegEnd - h.uiPRegStart) } };
}
