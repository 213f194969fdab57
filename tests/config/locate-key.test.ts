import { describe, expect, it } from 'vitest';
import { locateKey } from '../../core/config/locate-key.js';

describe('locateKey', () => {
  it('finds a key written once as a property, quoted or not', () => {
    expect(locateKey("export default {\n  bord: 'x',\n};\n", 'bord', 'c.ts')).toEqual({ file: 'c.ts', line: 2, column: 3 });
    expect(locateKey('{ "bord" : 1 }', 'bord', 'c.json')).toEqual({ file: 'c.json', line: 1, column: 3 });
  });

  it('does not take a longer name, a value or a regular-expression character for the key', () => {
    expect(locateKey("{ aboard: 1, board: 'bord' }", 'bord', 'c.ts')).toBeUndefined();
    expect(locateKey('{ a$b: 1, a.b: 2 }', 'a.b', 'c.ts')).toEqual({ file: 'c.ts', line: 1, column: 11 });
  });

  it('gives no place for a key named twice or not at all', () => {
    expect(locateKey('{ x: { bord: 1 }, bord: 2 }', 'bord', 'c.ts')).toBeUndefined();
    expect(locateKey('{ [k]: 1 }', 'bord', 'c.ts')).toBeUndefined();
  });
});
