/** Small helpers of the image dump: hex strings, hashes, bounded reads. */
import { createHash } from 'node:crypto';
import { InspectError } from './types.js';

export const PAGE = 4096n;
export const U64 = 1n << 64n;

/** Lowercase `0x` hex, the dump's encoding of addresses and sizes. */
export function hx(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

export function sha256(...parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

/** A byte range of `bytes` that must be inside it. */
export function slice(bytes: Uint8Array, start: bigint | number, size: bigint | number, what: string): Uint8Array {
  const s = BigInt(start);
  const n = BigInt(size);
  if (s < 0n || n < 0n || s + n > BigInt(bytes.length)) {
    throw new InspectError(
      `${what} (${hx(n)} bytes at offset ${hx(s)}) lies outside the ${hx(bytes.length)} bytes available: the image is truncated or corrupt`,
    );
  }
  return bytes.subarray(Number(s), Number(s + n));
}

/** A copy of `bytes` with the parts overlapping `[start, end)` ranges (given relative to `base`) zeroed. */
export function masked(bytes: Uint8Array, base: bigint, ranges: readonly { start: bigint; end: bigint }[]): Uint8Array {
  let out: Uint8Array | undefined;
  const end = base + BigInt(bytes.length);
  for (const r of ranges) {
    const s = r.start > base ? r.start : base;
    const e = r.end < end ? r.end : end;
    if (s >= e) continue;
    out ??= new Uint8Array(bytes);
    out.fill(0, Number(s - base), Number(e - base));
  }
  return out ?? bytes;
}

export function roundUp(v: bigint, to: bigint): bigint {
  return ((v + to - 1n) / to) * to;
}
