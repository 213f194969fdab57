import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { emulateKernelBoot, emulateKernelBootPartial, kernelImageRegions } from '../../core/boot/kernel-boot.js';
import type { KernelImageRegions, Untyped } from '../../core/boot/kernel-boot.js';
import { DisjointRegions } from '../../core/boot/memory-regions.js';
import { autoPlaceRegions, availableUserMemory, initialiserVirtualRegion, placeInitialiser } from '../../core/boot/placement.js';
import type { AutoPlaceRequest, FixedRegion } from '../../core/boot/placement.js';
import { specFromJson } from '../../core/capdl/json.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import type { PhysicalRange, PlatformMemory } from '../../core/kernel/config.js';
import { HAS_SHARED } from '../support/paths.js';
import { bootGoldenRuns, goldenInitialiser, sdkFacts } from './golden-support.js';

const r = (start: bigint, end: bigint): PhysicalRange => ({ start, end });

function thrown(fn: () => unknown): MicrokitError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MicrokitError) return e;
    throw e;
  }
  throw new Error('expected a MicrokitError');
}

describe('initialiser placement', () => {
  const image: KernelImageRegions = { image: r(0x4000_0000n, 0x4003_6000n), boot: r(0x4000_0000n, 0x4000_5000n) };

  test('footprint is rounded up to 4 KiB', () => {
    expect(initialiserVirtualRegion(0x20_0000n, 0x23_f1f8n)).toEqual(r(0x20_0000n, 0x24_0000n));
    expect(initialiserVirtualRegion(0x20_0000n, 0x24_0000n)).toEqual(r(0x20_0000n, 0x24_0000n));
  });

  test('first free normal region at or above the boot region end that is large enough', () => {
    const memory: PlatformMemory = {
      normal: [r(0x1000_0000n, 0x2000_0000n), r(0x4000_0000n, 0x4004_0000n), r(0x5000_0000n, 0x6000_0000n)],
      device: [],
    };
    const partial = emulateKernelBootPartial(memory, image);
    // [0x4003_6000, 0x4004_0000) is 40 KiB: too small for 64 KiB; the big region below the kernel is never used.
    expect(placeInitialiser(partial, 0x1_0000n)).toBe(0x5000_0000n);
    expect(placeInitialiser(partial, 0xa000n)).toBe(0x4003_6000n);
    // Pure: nothing was taken out.
    expect(partial.normalMemory.toArray()[1]).toEqual(r(0x4003_6000n, 0x4004_0000n));
  });

  test('no region fits (B9)', () => {
    const memory: PlatformMemory = { normal: [r(0x1000_0000n, 0x2000_0000n), r(0x4000_0000n, 0x4004_0000n)], device: [] };
    const partial = emulateKernelBootPartial(memory, image);
    const err = thrown(() => placeInitialiser(partial, 0x1_0000n));
    expect(err.message).toBe(
      [
        'ERROR: cannot allocate memory for the initialiser, contiguous physical memory region of size 64 KiB not found',
        'ERROR: physical memory regions the initialiser can be placed at:',
        '       [0x000010000000..0x000020000000), size: 256 MiB',
        '       [0x000040036000..0x000040040000), size: 40 KiB',
      ].join('\n'),
    );
  });
});

describe('memory region auto-placement', () => {
  const untypeds: Untyped[] = [
    { cap: 90, start: 0x0900_0000n, end: 0x0900_1000n, sizeBits: 12, isDevice: true },
    { cap: 91, start: 0x4000_0000n, end: 0x4000_4000n, sizeBits: 14, isDevice: false },
    // Smaller than a page: left out.
    { cap: 92, start: 0x4000_4000n, end: 0x4000_4800n, sizeBits: 11, isDevice: false },
    { cap: 93, start: 0x4004_0000n, end: 0x4008_0000n, sizeBits: 18, isDevice: false },
    { cap: 94, start: 0x4008_0000n, end: 0x4010_0000n, sizeBits: 19, isDevice: false },
    { cap: 95, start: 0x4040_0000n, end: 0x4080_0000n, sizeBits: 22, isDevice: false },
  ];

  test('free user memory: normal untypeds holding a page, minus fixed regions inside them', () => {
    const fixed: FixedRegion[] = [
      { paddr: 0x0900_0000n, size: 0x1000n }, // device: ignored
      { paddr: 0x4004_1000n, size: 0x1000n },
      { paddr: 0x407f_f000n, size: 0x2000n }, // sticks out of normal memory: ignored
    ];
    expect(availableUserMemory(untypeds, fixed, 0x1000n).toArray()).toEqual([
      r(0x4000_0000n, 0x4000_4000n),
      r(0x4004_0000n, 0x4004_1000n),
      r(0x4004_2000n, 0x4010_0000n),
      r(0x4040_0000n, 0x4080_0000n),
    ]);
  });

  test('an untyped holding a page is inserted with its exact, unrounded bounds', () => {
    const odd: Untyped[] = [{ cap: 1, start: 0x4000_0800n, end: 0x4000_2000n, sizeBits: 11, isDevice: false }];
    expect(availableUserMemory(odd, [], 0x1000n).toArray()).toEqual([r(0x4000_0800n, 0x4000_2000n)]);
  });

  test('first fit, bottom up, aligned to the page size, in request order', () => {
    const free = availableUserMemory(untypeds, [], 0x1000n);
    const requests: AutoPlaceRequest[] = [
      { name: 'small', size: 0x1000n, pageSize: 0x1000n },
      { name: 'large', size: 0x20_0000n, pageSize: 0x20_0000n },
      { name: 'medium', size: 0x4_0000n, pageSize: 0x1000n },
    ];
    expect(autoPlaceRegions(free, requests)).toEqual([0x4000_0000n, 0x4040_0000n, 0x4004_0000n]);
    // Pure: the input set is untouched.
    expect(free.toArray()[0]).toEqual(r(0x4000_0000n, 0x4000_4000n));
  });

  test('a region that cannot be placed (B11)', () => {
    const free = DisjointRegions.of([r(0x4000_0000n, 0x4000_4000n), r(0x4020_0000n, 0x4040_0000n)]);
    const requests: AutoPlaceRequest[] = [
      { name: 'ring', size: 0x1000n, pageSize: 0x1000n },
      { name: 'packets_a', size: 0x20_0000n, pageSize: 0x20_0000n },
      { name: 'packets_b', size: 0x20_0000n, pageSize: 0x20_0000n },
    ];
    const err = thrown(() => autoPlaceRegions(free, requests));
    expect(err.message).toBe(
      [
        'ERROR: cannot auto-select a physical address for MR packets_b because there are no contiguous memory region of sufficient size.',
        'ERROR: MR packets_b needs to be physically contiguous as it is a subject of a setvar region_paddr.',
        'Previously auto-allocated memory regions:',
        "name = 'ring', paddr = 0x000040000000, size = 0x000000001000",
        "name = 'packets_a', paddr = 0x000040200000, size = 0x000000200000",
        'available physical memory regions:',
        '[0x000040001000..0x000040004000), size: 12 KiB',
      ].join('\n'),
    );
    // Failing first: no "previously" section.
    const first = thrown(() => autoPlaceRegions(free, [{ name: 'huge', size: 0x100_0000n, pageSize: 0x1000n }]));
    expect(first.message.split('\n').slice(2)).toEqual([
      'available physical memory regions:',
      '[0x000040000000..0x000040004000), size: 16 KiB',
      '[0x000040200000..0x000040400000), size: 2 MiB',
    ]);
  });
});

// ---------------------------------------------------------------------------
// Golden: the upstream tool's choices for setvar region_paddr subjects.
// ---------------------------------------------------------------------------

interface SdfRegion {
  name: string;
  size: bigint;
  physAddr?: bigint;
}

const num = (text: string): bigint => BigInt(text.replace(/_/g, ''));

/** The memory regions of an SDF (document order) and the region_paddr subjects; enough for these examples. */
function sdfRegions(xml: string): { regions: SdfRegion[]; paddrSubjects: Set<string> } {
  const regions: SdfRegion[] = [];
  for (const m of xml.matchAll(/<memory_region\b([^>]*)>/g)) {
    const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(m[1])?.[1];
    const phys = attr('phys_addr');
    regions.push({ name: attr('name')!, size: num(attr('size')!), physAddr: phys === undefined ? undefined : num(phys) });
  }
  const paddrSubjects = new Set([...xml.matchAll(/\bregion_paddr="([^"]*)"/g)].map((m) => m[1]));
  return { regions, paddrSubjects };
}

const autoRuns = HAS_SHARED ? bootGoldenRuns().filter((r) => r.example === 'setvar' || r.example === 'ethernet') : [];

describe.skipIf(autoRuns.length === 0)('auto-placement against the golden runs', () => {
  test.each(autoRuns.map((r) => [r.id, r] as const))('%s', (_id, run) => {
    const args = JSON.parse(readFileSync(join(run.dir, 'args.json'), 'utf8')) as { system: string };
    const xml = readFileSync(join(run.dir, '../../../..', args.system), 'utf8');
    const { regions, paddrSubjects } = sdfRegions(xml);
    const spec = specFromJson(readFileSync(join(run.dir, 'capdl.json'), 'utf8'));
    const firstFrame = (mr: string) => {
      const obj = [...spec.objects].find((o) => o.name === `frame_mr_${mr}_000000000`);
      if (obj?.object.type !== 'Frame') throw new Error(`no frame for ${mr}`);
      return obj.object;
    };

    const { kernel, kernelElf, arch } = sdkFacts(run.board, run.config);
    const init = goldenInitialiser(run);
    const partial = emulateKernelBootPartial(kernel.memory!, kernelImageRegions(kernelElf));
    const boot = emulateKernelBoot(partial, kernel, arch, r(init.physStart, init.physEnd), r(init.virtStart, init.virtEnd));

    const fixed = regions.filter((m) => m.physAddr !== undefined).map((m) => ({ paddr: m.physAddr!, size: m.size }));
    const auto = regions.filter((m) => m.physAddr === undefined && paddrSubjects.has(m.name));
    expect(auto.length).toBeGreaterThan(0);
    const requests = auto.map((m) => ({ name: m.name, size: m.size, pageSize: 1n << BigInt(firstFrame(m.name).sizeBits) }));
    const placed = autoPlaceRegions(availableUserMemory(boot.untypeds, fixed, kernel.minimumPageSize), requests);
    expect(placed).toEqual(auto.map((m) => firstFrame(m.name).paddr));
  });
});
