/**
 * Corrupted images: truncated, bytes flipped in the loader header, the
 * region table, the spec archive and anywhere, random bytes. `inspect`
 * either reads the image or reports an InspectError; no other exception
 * escapes (a RangeError or TypeError here is a crash in the CLI).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InspectError, canonicalJson, inspectImage } from '../../core/inspect/index.js';
import { summaryLines } from '../../core/inspect/summary.js';
import { EXAMPLES } from '../conformance/golden.js';
import { HAS_SHARED } from '../support/paths.js';
import { prng } from '../support/random.js';
import { sdkElfs } from './support.js';

const IMAGES = [
  ['qemu_virt_aarch64', 'debug', 'hello'],
  ['qemu_virt_riscv64', 'release', 'hello'],
  ['x86_64_generic', 'debug', 'hello'],
] as const;

type Outcome = 'read' | 'rejected';

function attempt(bytes: Uint8Array, elfs: ReturnType<typeof sdkElfs> | undefined): Outcome {
  try {
    const r = inspectImage(bytes, { elfs });
    // Rendering must not crash on whatever was read either.
    canonicalJson(r.dump);
    summaryLines(r);
    return 'read';
  } catch (e) {
    if (e instanceof InspectError) return 'rejected';
    throw new Error(`crash: ${(e as Error).stack ?? String(e)}`);
  }
}

/** Where the interesting structures sit: the container headers, the loader header and region table, the spec archive. */
function hotSpots(bytes: Uint8Array, spec: Uint8Array): number[] {
  const buf = Buffer.from(bytes);
  const magic = Buffer.from([0xad, 0x5e, 0xde, 0x14, 0xad, 0xde, 0x14, 0x5e]);
  const spots = [0, 64];
  const h = buf.indexOf(magic);
  if (h >= 0) spots.push(h, h + 64);
  const s = buf.indexOf(Buffer.from(spec));
  expect(s).toBeGreaterThan(0);
  // The archive's object table and its root at the end.
  for (let k = 0; k < 8; k++) spots.push(s + Math.floor((spec.length * k) / 8));
  spots.push(s + spec.length - 112);
  return spots;
}

describe.skipIf(!HAS_SHARED)('inspect on corrupted images', () => {
  for (const [board, config, example] of IMAGES) {
    it(`never crashes: ${board}/${config}/${example}`, () => {
      const original = new Uint8Array(readFileSync(join(EXAMPLES, 'golden', board, config, example, 'loader.img')));
      const elfs = sdkElfs(board, config);
      const rand = prng(0x12_0000 + original.length);
      const counts: Record<Outcome, number> = { read: 0, rejected: 0 };
      const spots = hotSpots(original, new Uint8Array(readFileSync(join(EXAMPLES, 'golden', board, config, example, 'spec.rkyv'))));
      for (let i = 0; i < 200; i++) {
        const bytes = new Uint8Array(original);
        const mode = i % 4;
        let input: Uint8Array = bytes;
        if (mode === 0) input = bytes.subarray(0, Math.floor(rand() * bytes.length));
        else {
          const flips = 1 + Math.floor(rand() * 8);
          for (let k = 0; k < flips; k++) {
            const base = mode === 1 ? spots[Math.floor(rand() * spots.length)] + Math.floor(rand() * 512) : Math.floor(rand() * bytes.length);
            const at = Math.min(bytes.length - 1, Math.max(0, base));
            bytes[at] = mode === 3 ? 0xff : Math.floor(rand() * 256);
          }
        }
        counts[attempt(input, i % 2 === 0 ? elfs : undefined)]++;
      }
      // Both outcomes occur: the corruption reaches structures that are checked, and some images survive it.
      expect(counts.rejected).toBeGreaterThan(0);
      expect(counts.read).toBeGreaterThan(0);
    });
  }

  it('rejects random bytes, empty files and near-images cleanly', () => {
    const rand = prng(7);
    for (let i = 0; i < 200; i++) {
      const n = Math.floor(rand() * 4096);
      const bytes = new Uint8Array(n);
      for (let k = 0; k < n; k++) bytes[k] = Math.floor(rand() * 256);
      if (i % 5 === 1 && n >= 4) bytes.set([0x7f, 0x45, 0x4c, 0x46]);
      if (i % 5 === 2 && n >= 4) bytes.set([0x27, 0x05, 0x19, 0x56]);
      expect(attempt(bytes, undefined)).toBe('rejected');
    }
    expect(attempt(new Uint8Array(0), undefined)).toBe('rejected');
  });
});
