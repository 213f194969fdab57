import { describe, expect, it } from 'vitest';
import { mainError, rustDebugString } from '../../core/util/rust-debug.js';

// Expected texts are what `println!("{:?}", s)` printed for each string, compiled with rustc 1.95.
describe("Rust's {:?} of a string", () => {
  it.each([
    ['plain', '"plain"'],
    ["it's", `"it's"`],
    ['a "quoted" \\ path', '"a \\"quoted\\" \\\\ path"'],
    ['tab\tnew\nline\rnul\0', '"tab\\tnew\\nline\\rnul\\0"'],
    ['bell\u0007 del\u007f', '"bell\\u{7} del\\u{7f}"'],
    ['nbsp\u00a0zwsp\u200bline\u2028', '"nbsp\\u{a0}zwsp\\u{200b}line\\u{2028}"'],
    ['🙂 é ü 日本', '"🙂 é ü 日本"'],
    ['\u0301accent first', '"\\u{301}accent first"'],
    ['e\u0301 later', '"e\\u{301} later"'],
  ])('%j', (input, debug) => {
    expect(rustDebugString(input)).toBe(debug);
  });

  it('makes the first line upstream prints for an error main returns', () => {
    expect(mainError("unable to find program image: 'a\"b.elf'")).toBe('Error: "unable to find program image: \'a\\"b.elf\'"');
  });
});
