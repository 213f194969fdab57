/** Unpinned zeroed frames share one frozen object per size (millions of them in large specs); others get their own. */
import { describe, expect, it } from 'vitest';
import { NO_FILL, SpecBuilder } from '../../core/capdl/construct/builder.js';

describe('SpecBuilder.seriesFrame objects', () => {
  it('shares the object of unpinned zeroed frames of one size, frozen, and keeps names and ids apart', () => {
    const b = new SpecBuilder();
    const a = b.seriesFrame('pd_mr', 0, 12, null);
    const c = b.seriesFrame('pd_mr', 1, 12, null);
    const large = b.seriesFrame('pd_big', 0, 21, null);
    expect(b.object(a)).toBe(b.object(c));
    expect(Object.isFrozen(b.object(a))).toBe(true);
    expect(b.object(a)).toEqual({ type: 'Frame', sizeBits: 12, paddr: null, init: NO_FILL });
    expect(b.object(large)).not.toBe(b.object(a));
    expect(b.object(large)).toMatchObject({ sizeBits: 21 });
    expect([b.name(a), b.name(c)]).toEqual(['frame_pd_mr_000000000', 'frame_pd_mr_000000001']);
  });

  it('gives pinned or filled frames their own objects', () => {
    const b = new SpecBuilder();
    const pinned = [b.seriesFrame('dev', 0, 12, 0x1000n), b.seriesFrame('dev', 1, 12, 0x2000n)];
    expect(b.object(pinned[0])).not.toBe(b.object(pinned[1]));
    expect(b.object(pinned[1])).toMatchObject({ paddr: 0x2000n });
    const fill = [{ range: { start: 0n, end: 4n }, content: { type: 'BytesContent' as const, bytes: new Uint8Array(4) } }];
    const filled = b.seriesFrame('data', 0, 12, null, fill);
    expect(b.object(filled)).toMatchObject({ init: fill });
    expect(b.object(filled)).not.toBe(b.object(b.seriesFrame('zero', 0, 12, null)));
  });
});
