/** The dump's canonical JSON against Python's `json.dumps(v, indent=2, sort_keys=True)`, which wrote the golden dumps. */
import { describe, expect, it } from 'vitest';
import { LazyJsonArray, canonicalJson, writeCanonicalJson } from '../../core/inspect/index.js';

describe('canonical dump JSON', () => {
  it('sorts keys, escapes to ASCII, keeps u64 exact, writes empty containers inline', () => {
    const value = { b: 'é\u0001"\\\n\t𝄞', a: [1, {}, 18446744073709551615n], c: [], A: null, d: { z: true, y: false } };
    // Python: json.dumps(value, indent=2, sort_keys=True)
    const python =
      '{\n  "A": null,\n  "a": [\n    1,\n    {},\n    18446744073709551615\n  ],\n  "b": "\\u00e9\\u0001\\"\\\\\\n\\t\\ud834\\udd1e",\n  "c": [],\n  "d": {\n    "y": false,\n    "z": true\n  }\n}';
    expect(canonicalJson(value)).toBe(python);
  });

  it('renders lazy arrays item by item, in chunks', () => {
    let made = 0;
    const big = new LazyJsonArray(50_000, (i) => {
      made++;
      return { i, name: `frame_${i}` };
    });
    const chunks: string[] = [];
    writeCanonicalJson({ objects: big }, (c) => chunks.push(c));
    expect(made).toBe(50_000);
    expect(chunks.length).toBeGreaterThan(10);
    const text = chunks.join('');
    expect(JSON.parse(text).objects[49_999]).toEqual({ i: 49_999, name: 'frame_49999' });
  });
});
