import { describe, expect, it } from 'vitest';
import { wrapList } from '../../core/util/wrap-list.js';

describe('wrapList', () => {
  it('fits short lists on one line', () => {
    expect(wrapList('  known: ', ['a', 'b', 'c'])).toEqual(['  known: a, b, c']);
  });

  it('wraps at the width, continuation lines under the first item, items whole', () => {
    const items = Array.from({ length: 30 }, (_, i) => `board_${i}`);
    const lines = wrapList('  known boards: ', items, 60);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {16}board_/);
    expect(lines.join(' ').replace(/\s+/g, ' ').trim()).toBe(`known boards: ${items.join(', ')}`);
  });

  it('gives an item longer than the width a line of its own', () => {
    expect(wrapList('x: ', ['a', 'b'.repeat(20), 'c'], 10)).toEqual(['x: a,', `   ${'b'.repeat(20)},`, '   c']);
  });
});
