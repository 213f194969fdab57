/**
 * 64-bit arithmetic helpers. Every address, size and word in the tool is a
 * `bigint`; these keep the wrap-around and formatting rules in one place.
 */

export const U64_MAX = (1n << 64n) - 1n;

/** Wrap a value into the unsigned 64-bit range, as Rust's wrapping ops do. */
export function u64(x: bigint): bigint {
  return BigInt.asUintN(64, x);
}

export function roundUp(n: bigint, x: bigint): bigint {
  const r = n % x;
  return r === 0n ? n : n + (x - r);
}

export function roundDown(n: bigint, x: bigint): bigint {
  return n - (n % x);
}

export function isPowerOfTwo(n: bigint): boolean {
  return n > 0n && (n & (n - 1n)) === 0n;
}

/** Index of the most significant set bit (x > 0). */
export function msb(x: bigint): number {
  return x.toString(2).length - 1;
}

/** Index of the least significant set bit (x > 0). */
export function lsb(x: bigint): number {
  let i = 0;
  while (((x >> BigInt(i)) & 1n) === 0n) i++;
  return i;
}

/** Rust's `{:#x}`: `0x` followed by lowercase hex digits. */
export function hex(x: bigint | number): string {
  return '0x' + x.toString(16);
}

/** Rust's `{:0>N x}` without prefix: lowercase hex left-padded with zeros. */
export function hexPad(x: bigint | number, width: number): string {
  return x.toString(16).padStart(width, '0');
}

export function rangesOverlap(aStart: bigint, aEnd: bigint, bStart: bigint, bEnd: bigint): boolean {
  return aStart < bEnd && bStart < aEnd;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
