/**
 * Scale: transform + encode (+ decode) of specs with many frames. The
 * default size runs with the suite; set PACK_BENCH=1 for the 1M-frame
 * timings (PACK_BENCH_FRAMES / PACK_BENCH_EMBEDDED override the counts,
 * PACK_BENCH_COPY=1 copies every embedded page).
 */
import { describe, expect, test } from 'vitest';
import { addRootObject } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import type { CapTableEntry, Spec } from '../../core/capdl/spec.js';
import { specForInitialiser } from '../../core/pack/for-initialiser.js';
import { decodeSpec, encodeSpec } from '../../core/pack/rkyv.js';

const BENCH = process.env.PACK_BENCH === '1';
const FRAMES = Number(process.env.PACK_BENCH_FRAMES ?? (BENCH ? 1_000_000 : 100_000));
const EMBEDDED = Number(process.env.PACK_BENCH_EMBEDDED ?? (BENCH ? 100_000 : 10_000));
const COPY = process.env.PACK_BENCH_COPY === '1';

/**
 * `frames` 4 KiB frames named like Microkit's (`mr_<name>_<9 digits>`, out
 * of line), the first `embedded` filled from an ELF, the rest empty, mapped
 * by page tables of 512 slots each, plus a TCB per 64 page tables.
 */
function bigSpec(frames: number, embedded: number): Spec {
  const spec = createSpec();
  const RW = { read: true, write: true, grant: false, grantReply: false };
  for (let i = 0; i < frames; i++) {
    const init =
      i < embedded
        ? [
            {
              range: { start: 0n, end: 4096n },
              content: { type: 'ElfContent' as const, elfId: 0, elfSegIdx: 0, elfSegDataRange: { start: BigInt(i) * 4096n, end: BigInt(i + 1) * 4096n } },
            },
          ]
        : [];
    addRootObject(spec, `mr_big_region_${String(i).padStart(9, '0')}`, { type: 'Frame', sizeBits: 12, paddr: null, init });
  }
  for (let t = 0; t * 512 < frames; t++) {
    const slots: CapTableEntry[] = [];
    for (let s = 0; s < 512 && t * 512 + s < frames; s++) {
      slots.push({ slot: s, cap: { type: 'Frame', object: t * 512 + s, rights: RW, cached: true, executable: false } });
    }
    addRootObject(spec, `pt_big_${t}`, { type: 'PageTable', x86Ept: false, isRoot: false, level: 3, slots });
    if (t % 64 === 0) {
      addRootObject(spec, `tcb_${t}`, {
        type: 'Tcb',
        slots: [{ slot: 1, cap: { type: 'PageTable', object: spec.objects.length - 1 } }],
        extra: {
          ipcBufferAddr: 0n,
          affinity: 0n,
          prio: 1,
          maxPrio: 1,
          fpuDisabled: false,
          resume: true,
          domain: null,
          ip: 0n,
          sp: 0n,
          gprs: [],
          masterFaultEp: null,
        },
      });
    }
  }
  return spec;
}

describe('scale', () => {
  test(`${FRAMES} frames (${EMBEDDED} embedded): transform + encode + decode`, () => {
    const elfPage = new Uint8Array(4096).fill(0x5a);
    const t0 = performance.now();
    const spec = bigSpec(FRAMES, EMBEDDED);
    const t1 = performance.now();
    const { spec: out, frameData } = specForInitialiser(spec, { keepNames: true, resolveElf: () => elfPage, copyPages: COPY });
    const t2 = performance.now();
    const bytes = encodeSpec(out);
    const t3 = performance.now();
    const back = decodeSpec(bytes);
    const t4 = performance.now();
    expect(frameData.length).toBe(EMBEDDED);
    expect(back.objects.length).toBe(spec.objects.length);
    expect(back.objects[FRAMES - 1].name).toBe(`mr_big_region_${String(FRAMES - 1).padStart(9, '0')}`);
    expect(back.cachedOrigCapSlots?.numOccupied).toBe(spec.objects.length - EMBEDDED);
    const mib = (n: number): string => (n / 2 ** 20).toFixed(1);
    console.log(
      `${spec.objects.length} objects, ${FRAMES} frames, ${EMBEDDED} embedded${COPY ? ' (pages copied)' : ''}: build ${(t1 - t0).toFixed(0)} ms, ` +
        `transform ${(t2 - t1).toFixed(0)} ms, encode ${(t3 - t2).toFixed(0)} ms (${mib(bytes.length)} MiB archive), ` +
        `decode ${(t4 - t3).toFixed(0)} ms, frame data ${mib(EMBEDDED * 4096)} MiB, heap ${mib(process.memoryUsage().heapUsed)} MiB`,
    );
  }, 600_000);
});
