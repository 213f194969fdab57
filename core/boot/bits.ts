/**
 * Bit scans on unsigned 64-bit bigints without going through strings: the
 * allocation simulation calls these once per object, so they must be cheap.
 * Inputs are assumed to lie in [0, 2^64).
 */

const MASK32 = 0xffff_ffffn;

/** Number of trailing zero bits; 64 for zero (Rust's `u64::trailing_zeros`). */
export function trailingZeros64(x: bigint): number {
  if (x === 0n) return 64;
  const lo = Number(x & MASK32);
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  const hi = Number((x >> 32n) & MASK32);
  return 63 - Math.clz32(hi & -hi);
}

/** Index of the highest set bit (Rust's `ilog2`); x must be non-zero. */
export function floorLog2_64(x: bigint): number {
  if (x <= 0n) throw new RangeError(`floorLog2_64: ${x} is not positive`);
  const hi = Number((x >> 32n) & MASK32);
  if (hi !== 0) return 63 - Math.clz32(hi);
  return 31 - Math.clz32(Number(x));
}
