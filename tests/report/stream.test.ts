/** writeReport: report.txt streamed in bounded chunks, the same text as renderReport. */
import { REPORT_SIZES } from './fixtures.js';
import { describe, expect, it } from 'vitest';
import { addRootObject } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import { renderReport, writeReport } from '../../plugins/report/render.js';

const SIZES = REPORT_SIZES;

describe('writeReport', () => {
  it('emits the report in chunks of about 64 Ki characters that join to renderReport', () => {
    const spec = createSpec();
    // Enough frames for a report of several chunks (one line each in the object list).
    for (let i = 0; i < 20000; i++) addRootObject(spec, `frame_pd_mr_${String(i).padStart(9, '0')}`, { type: 'Frame', sizeBits: 12, paddr: null, init: [] });
    const paddrs = new Map<number, bigint>([[0, 0x40000000n]]);
    const chunks: string[] = [];
    writeReport(spec, { arch: 'aarch64', objectSizes: SIZES, paddrs }, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeGreaterThanOrEqual(1 << 16);
      expect(c.length).toBeLessThan((1 << 16) + 200);
    }
    expect(chunks.join('')).toBe(renderReport(spec, { arch: 'aarch64', objectSizes: SIZES, paddrs }));
  });

  it('emits nothing empty for a tiny spec', () => {
    const chunks: string[] = [];
    writeReport(createSpec(), { arch: 'x86_64', objectSizes: SIZES }, (c) => chunks.push(c));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(renderReport(createSpec(), { arch: 'x86_64', objectSizes: SIZES }));
  });
});
