/**
 * Rust's `{:?}` of a string, the form upstream's errors take when `main`
 * returns them (`fn main() -> Result<(), String>` prints `Error: {err:?}`):
 * quoted, with `\`, `"` and the characters Rust does not print as they are
 * escaped. Rust's rule (core::unicode::printable): categories Cc, Cf, Cs, Co,
 * Cn, Zl, Zp and Zs other than the space, and grapheme extenders (combining
 * marks), checked against rustc 1.95's output.
 */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const EXTENDER = /\p{Grapheme_Extend}/u;

export function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp === 0) out += '\\0';
    else if ((ch !== ' ' && NOT_PRINTABLE.test(ch)) || EXTENDER.test(ch)) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `Error: "<message>"`: an error upstream's `main` returns (see rustDebugString). */
export function mainError(message: string): string {
  return `Error: ${rustDebugString(message)}`;
}
