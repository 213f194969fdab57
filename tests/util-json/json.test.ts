import { describe, expect, test } from 'vitest';
import { JsonParseError, PrettyJsonWriter, parseJsonExact, quoteJsonString, stringifyJsonPretty } from '../../core/util/json.js';
import type { JsonObject, JsonValue } from '../../core/util/json.js';

function parseError(text: string): JsonParseError {
  try {
    parseJsonExact(text);
  } catch (e) {
    if (e instanceof JsonParseError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseJsonExact', () => {
  test('integers become exact bigints, including above 2^53 and 2^63', () => {
    const v = parseJsonExact('[0, -0, 7, -42, 9007199254740993, 9223372036854775808, 18446744073709551615]');
    expect(v).toEqual([0n, 0n, 7n, -42n, 9007199254740993n, 9223372036854775808n, 18446744073709551615n]);
  });

  test('numbers with a fraction or exponent stay numbers', () => {
    expect(parseJsonExact('[1.5, -2e3, 1E-2, 0.0]')).toEqual([1.5, -2000, 0.01, 0]);
  });

  test('objects are Maps that keep document order, even for integer-like keys', () => {
    const v = parseJsonExact('{"b": 1, "2": true, "a": null, "1": "x"}') as JsonObject;
    expect(v).toBeInstanceOf(Map);
    expect([...v.keys()]).toEqual(['b', '2', 'a', '1']);
    expect(v.get('b')).toBe(1n);
    expect(v.get('2')).toBe(true);
    expect(v.get('a')).toBe(null);
    expect(v.get('1')).toBe('x');
  });

  test('string escapes, including surrogate pairs', () => {
    const v = parseJsonExact(String.raw`"a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\ud83d\ude00 é"`);
    expect(v).toBe('a"b\\c/d\b\f\n\r\tAé😀 é');
  });

  test('whitespace around and inside values', () => {
    expect(parseJsonExact(' \t\r\n{ "a" :\n[ ] , "b":{ } }\n')).toEqual(
      new Map<string, JsonValue>([
        ['a', []],
        ['b', new Map()],
      ]),
    );
  });

  test('errors carry line and column', () => {
    const e = parseError('{\n  "a": 1,\n  "b": }');
    expect(e.line).toBe(3);
    expect(e.column).toBe(8);
    expect(e.message).toBe('expected value at line 3 column 8');
  });

  test.each([
    ['', 'EOF while parsing a value at line 1 column 1'],
    ['[1, 2', 'EOF while parsing a list at line 1 column 6'],
    ['[1 2]', "expected ',' or ']' at line 1 column 4"],
    ['{"a" 1}', "expected ':' at line 1 column 6"],
    ['{a: 1}', 'key must be a string at line 1 column 2'],
    ['{"a": 1, "a": 2}', 'duplicate key "a" at line 1 column 10'],
    ['01', 'invalid number (leading zero) at line 1 column 2'],
    ['1.', 'invalid number (digit expected after ".") at line 1 column 3'],
    ['-', 'invalid number at line 1 column 2'],
    ['"abc', 'EOF while parsing a string at line 1 column 5'],
    ['"a\nb"', 'control character in string at line 1 column 3'],
    ['"\\x"', 'invalid escape at line 1 column 2'],
    ['"\\u12g4"', 'invalid \\u escape at line 1 column 2'],
    ['true false', 'trailing characters at line 1 column 6'],
    ['nul', 'expected value at line 1 column 1'],
  ])('rejects %j', (text, message) => {
    expect(parseError(text).message).toBe(message);
  });

  test('deep nesting fails cleanly instead of overflowing the stack', () => {
    expect(parseError('['.repeat(5000)).message).toMatch(/^recursion limit exceeded at line 1 column \d+$/);
  });
});

describe('serde_json pretty writer', () => {
  test('layout: two-space indent, ": " separator, one element per line, no trailing newline', () => {
    const value = new Map<string, JsonValue>([
      ['a', 1n],
      ['list', [true, null, 'x', [], new Map()]],
      ['nested', new Map<string, JsonValue>([['b', [2n]]])],
    ]);
    expect(stringifyJsonPretty(value)).toBe(
      [
        '{',
        '  "a": 1,',
        '  "list": [',
        '    true,',
        '    null,',
        '    "x",',
        '    [],',
        '    {}',
        '  ],',
        '  "nested": {',
        '    "b": [',
        '      2',
        '    ]',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  test('scalars and empty containers at top level', () => {
    expect(stringifyJsonPretty([])).toBe('[]');
    expect(stringifyJsonPretty({})).toBe('{}');
    expect(stringifyJsonPretty(18446744073709551615n)).toBe('18446744073709551615');
    expect(stringifyJsonPretty(-3n)).toBe('-3');
    expect(stringifyJsonPretty(12)).toBe('12');
    expect(stringifyJsonPretty(Number.NaN)).toBe('null');
    expect(stringifyJsonPretty('s')).toBe('"s"');
  });

  test('plain objects are written in key order', () => {
    expect(stringifyJsonPretty({ z: 1n, a: [1n] })).toBe('{\n  "z": 1,\n  "a": [\n    1\n  ]\n}');
  });

  test('string escaping matches serde_json', () => {
    expect(quoteJsonString('plain name_0x10')).toBe('"plain name_0x10"');
    expect(quoteJsonString('q"b\\s/')).toBe('"q\\"b\\\\s/"');
    expect(quoteJsonString('\b\t\n\f\r')).toBe('"\\b\\t\\n\\f\\r"');
    // Other C0 controls use lowercase \u00xx; DEL and non-ASCII are raw.
    expect(quoteJsonString('\u0000\u001f\u000b\u007f')).toBe('"\\u0000\\u001f\\u000b\u007f"');
    expect(quoteJsonString('é😀')).toBe('"é😀"');
    expect(quoteJsonString('lone \ud800 x')).toBe('"lone \\ud800 x"');
  });

  test('streaming to a sink yields the same text as finish()', () => {
    const big = Array.from({ length: 20000 }, (_, i) => BigInt(i) << 40n);
    const chunks: string[] = [];
    const writer = new PrettyJsonWriter((c) => chunks.push(c));
    expect(writer.value(big).finish()).toBe('');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(stringifyJsonPretty(big));
  });

  test('parse then write reproduces pretty-printed input exactly', () => {
    const text = '{\n  "badge": 9223372036854775809,\n  "list": [\n    1.5,\n    "a\\nb"\n  ],\n  "empty": {}\n}';
    expect(stringifyJsonPretty(parseJsonExact(text))).toBe(text);
  });

  test('misuse is reported', () => {
    expect(() => new PrettyJsonWriter().beginObject().integer(1)).toThrow(/without a key/);
    expect(() => new PrettyJsonWriter().beginArray().key('a')).toThrow(/outside an object/);
    expect(() => new PrettyJsonWriter().beginArray().endObject()).toThrow(/unbalanced/);
    expect(() => new PrettyJsonWriter().beginArray().finish()).toThrow(/unclosed/);
  });
});
