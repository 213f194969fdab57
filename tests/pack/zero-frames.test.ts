/**
 * Packing zeroed frames: the same packed objects as before (an empty Fill),
 * shared per size instead of made per frame (a large spec has a million).
 */
import { describe, expect, it } from 'vitest';
import { addRootObject } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import { specForInitialiser } from '../../core/pack/for-initialiser.js';

function zeroFrameSpec() {
  const spec = createSpec();
  addRootObject(spec, 'frame_a_000000000', { type: 'Frame', sizeBits: 12, paddr: null, init: [] });
  addRootObject(spec, 'frame_a_000000001', { type: 'Frame', sizeBits: 12, paddr: null, init: [] });
  addRootObject(spec, 'frame_big', { type: 'Frame', sizeBits: 21, paddr: null, init: [] });
  addRootObject(spec, 'frame_dev', { type: 'Frame', sizeBits: 12, paddr: 0x9000_0000n, init: [] });
  return spec;
}
const resolveElf = () => new Uint8Array(0);

describe('specForInitialiser with zeroed frames', () => {
  it('packs each as an empty Fill, with its paddr', () => {
    const { spec } = specForInitialiser(zeroFrameSpec(), { keepNames: true, resolveElf });
    expect(spec.objects.map((o) => [o.name, o.object])).toEqual([
      ['frame_a_000000000', { type: 'Frame', sizeBits: 12, paddr: null, init: { type: 'Fill', entries: [] } }],
      ['frame_a_000000001', { type: 'Frame', sizeBits: 12, paddr: null, init: { type: 'Fill', entries: [] } }],
      ['frame_big', { type: 'Frame', sizeBits: 21, paddr: null, init: { type: 'Fill', entries: [] } }],
      ['frame_dev', { type: 'Frame', sizeBits: 12, paddr: 0x9000_0000n, init: { type: 'Fill', entries: [] } }],
    ]);
    // Zeroed frames need an original cap slot each, as before.
    expect(spec.cachedOrigCapSlots).toEqual({ numOccupied: 4, offsetsByObject: [0, 1, 2, 3] });
  });

  it('shares the packed object per size, and without names the whole named object', () => {
    const named = specForInitialiser(zeroFrameSpec(), { keepNames: true, resolveElf }).spec.objects;
    expect(named[0].object).toBe(named[1].object);
    expect(named[0]).not.toBe(named[1]);
    expect(named[2].object).not.toBe(named[0].object);
    expect(named[3].object).not.toBe(named[0].object);
    const unnamed = specForInitialiser(zeroFrameSpec(), { keepNames: false, resolveElf }).spec.objects;
    expect(unnamed[0]).toBe(unnamed[1]);
    expect(unnamed[0]).toEqual({ name: null, object: named[0].object });
    expect(Object.isFrozen(unnamed[0].object)).toBe(true);
  });
});
