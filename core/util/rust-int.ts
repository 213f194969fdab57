/**
 * Integer parsing with Rust's `from_str_radix` semantics and error texts,
 * because upstream's messages embed `ParseIntError`'s Display text and users'
 * scripts match on it.
 */

export type ParseIntErrorKind = 'Empty' | 'InvalidDigit' | 'PosOverflow' | 'NegOverflow';

export const PARSE_INT_ERROR_TEXT: Record<ParseIntErrorKind, string> = {
  Empty: 'cannot parse integer from empty string',
  InvalidDigit: 'invalid digit found in string',
  PosOverflow: 'number too large to fit in target type',
  NegOverflow: 'number too small to fit in target type',
};

export type ParseIntResult = { ok: true; value: bigint } | { ok: false; kind: ParseIntErrorKind };

function digitValue(c: string, radix: number): number {
  const code = c.charCodeAt(0);
  let d: number;
  if (code >= 48 && code <= 57) d = code - 48;
  else if (code >= 97 && code <= 122) d = code - 97 + 10;
  else if (code >= 65 && code <= 90) d = code - 65 + 10;
  else return -1;
  return d < radix ? d : -1;
}

/**
 * Rust `<int>::from_str_radix(src, radix)` for an integer type of `bits`
 * width, signed or not. Digits are consumed left to right, so an overflow is
 * reported before a later invalid digit, exactly as Rust does.
 */
export function rustParseInt(src: string, radix: number, bits: number, signed: boolean): ParseIntResult {
  if (src.length === 0) return { ok: false, kind: 'Empty' };
  let negative = false;
  let digits = src;
  const first = src[0];
  if ((first === '+' || first === '-') && src.length === 1) return { ok: false, kind: 'InvalidDigit' };
  if (first === '+') digits = src.slice(1);
  else if (first === '-' && signed) {
    negative = true;
    digits = src.slice(1);
  }
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const r = BigInt(radix);
  let acc = 0n;
  for (const c of digits) {
    const d = digitValue(c, radix);
    if (d < 0) return { ok: false, kind: 'InvalidDigit' };
    acc = negative ? acc * r - BigInt(d) : acc * r + BigInt(d);
    if (acc > max) return { ok: false, kind: 'PosOverflow' };
    if (acc < min) return { ok: false, kind: 'NegOverflow' };
  }
  return { ok: true, value: acc };
}
