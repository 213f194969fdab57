import { describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';
import { importCycles, importGraph } from './import-graph.js';

const ROOTS = ['core', 'plugins', 'presets'];

describe('import graph', () => {
  it('has no cycles, counting type-only imports too', () => {
    expect(importCycles(importGraph(REPO, ROOTS))).toEqual([]);
  });

  it('finds a cycle when there is one (the check can fail)', () => {
    const cycles = importCycles([
      { from: 'a.ts', to: 'b.ts', typeOnly: false },
      { from: 'b.ts', to: 'c.ts', typeOnly: true },
      { from: 'c.ts', to: 'a.ts', typeOnly: false },
      { from: 'c.ts', to: 'd.ts', typeOnly: false },
    ]);
    expect(cycles).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
