/**
 * Golden packing inputs and outputs: for every golden run that produced a
 * boot image, its archived spec, its frame data (from frame-data.bin, or cut
 * out of loader.img where that file was omitted for size) and its config.
 */
import { concatBytes } from '../../core/util/bytes.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenRuns, SDK_BOARD_DIR } from '../capdl/golden-runs.js';
import type { GoldenRun } from '../capdl/golden-runs.js';
import { decodeSpec } from '../../core/pack/rkyv.js';

export const RKYV_EXAMPLES_DIR = '/work/shared/reference/rkyv-examples';

export function packRuns(): GoldenRun[] {
  return goldenRuns().filter((r) => existsSync(join(r.dir, 'spec.rkyv')));
}

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function goldenSpecBytes(run: GoldenRun): Uint8Array {
  return readBytes(join(run.dir, 'spec.rkyv'));
}

/**
 * The golden frame-data segment. Where frame-data.bin is absent, the image
 * holds it right after the spec archive (boot-module data and loader regions
 * are both stored back to back), 4 KiB per embedded frame.
 */
export function goldenFrameData(run: GoldenRun): Uint8Array {
  const path = join(run.dir, 'frame-data.bin');
  if (existsSync(path)) return readBytes(path);
  const spec = goldenSpecBytes(run);
  const pages = decodeSpec(spec).objects.filter((o) => o.object.type === 'Frame' && o.object.init.type === 'Embedded').length;
  const image = Buffer.from(readBytes(join(run.dir, 'loader.img')));
  const at = image.indexOf(Buffer.from(spec));
  if (at < 0 || image.indexOf(Buffer.from(spec), at + 1) >= 0) throw new Error(`${run.id}: spec archive not found exactly once in loader.img`);
  const start = at + spec.length;
  return new Uint8Array(image.buffer, image.byteOffset + start, pages * 4096);
}

export function sdkInitialiserPath(run: GoldenRun): string {
  return join(SDK_BOARD_DIR, run.board, run.config, 'elf', 'initialiser.elf');
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return concatBytes(chunks);
}

/** null when equal, else a short description of the first difference (cheap on multi-MiB buffers). */
export function firstDifference(actual: Uint8Array, expected: Uint8Array): string | null {
  const n = Math.min(actual.length, expected.length);
  if (
    n === actual.length &&
    n === expected.length &&
    Buffer.from(actual.buffer, actual.byteOffset, n).equals(Buffer.from(expected.buffer, expected.byteOffset, n))
  ) {
    return null;
  }
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      return `first difference at 0x${i.toString(16)}: got 0x${actual[i].toString(16)}, expected 0x${expected[i].toString(16)} (lengths ${actual.length} / ${expected.length})`;
    }
  }
  return `lengths differ: got ${actual.length}, expected ${expected.length}`;
}
