import { describe, expect, it } from 'vitest';
import { closestNames, didYouMean, editDistance } from '../../core/util/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and transpositions', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('pp', 'pp')).toBe(0);
    expect(editDistance('mpa', 'map')).toBe(1);
  });
});

describe('didYouMean', () => {
  const attrs = ['name', 'priority', 'budget', 'period', 'passive', 'stack_size', 'smc', 'cpu'];
  it('suggests the close name', () => {
    expect(didYouMean('priorty', attrs)).toBe("did you mean 'priority'?");
    expect(didYouMean('Name', attrs)).toBe("did you mean 'name'?");
    expect(closestNames('budgte', attrs)).toEqual(['budget']);
  });
  it('says nothing when no name is close', () => {
    expect(didYouMean('xyzzy', attrs)).toBeUndefined();
    expect(didYouMean('', attrs)).toBeUndefined();
  });
  it('lists several in order of distance', () => {
    expect(didYouMean('qemu_virt_aarch', ['qemu_virt_aarch64', 'qemu_virt_riscv64', 'x86_64_generic'], 2)).toBe("did you mean 'qemu_virt_aarch64'?");
  });
});
