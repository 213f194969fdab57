/**
 * Upstream's `human_size_strict`: the size in the largest binary unit it
 * strictly exceeds, exact when it divides, else two decimals.
 * Upstream panics for 0 and 1 (no unit is strictly exceeded); we print bytes.
 */
const UNITS: ReadonlyArray<readonly [bigint, string]> = [
  [60n, 'EiB'],
  [50n, 'PiB'],
  [40n, 'TiB'],
  [30n, 'GiB'],
  [20n, 'MiB'],
  [10n, 'KiB'],
  [0n, 'bytes'],
];

export function humanSizeStrict(size: bigint): string {
  for (const [bits, label] of UNITS) {
    const base = 1n << bits;
    if (size > base) {
      if (bits > 0n && size % base !== 0n) {
        return `${formatFixed2(size, base)} ${label}`;
      }
      return `${commaSeparated(size / base)} ${label}`;
    }
  }
  return `${size} bytes`;
}

/**
 * Rust's `{:.2}` of size/base. base is a power of two, so the f64 quotient
 * is exact and Rust rounds its exact decimal value with ties to even
 * (JS `toFixed` rounds ties up, hence the integer arithmetic).
 */
function formatFixed2(size: bigint, base: bigint): string {
  const scaled = size * 100n;
  let hundredths = scaled / base;
  const twiceRem = (scaled % base) * 2n;
  if (twiceRem > base || (twiceRem === base && hundredths % 2n === 1n)) hundredths += 1n;
  const whole = hundredths / 100n;
  const frac = (hundredths % 100n).toString().padStart(2, '0');
  return `${whole}.${frac}`;
}

export function commaSeparated(n: bigint): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
