/**
 * The x86-vtd `levels` knob: how many spare level-0 IOPTs each IO space
 * carries (IOSpace slots 1..), from the build settings, the board preset's
 * options and the config file, and its errors.
 *
 * The rule (rust-sel4's initialiser, init_iospace_prefix): on a machine
 * whose VT-d uses N levels it maps the IOPTs of IOSpace slots N-3 .. 1 and
 * then slot 0 (the 39-bit tree), so N levels need slots 1..N-3 filled.
 * 'auto' = upstream: slots 1, 2, 3 (enough for 6 levels).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specFromJson } from '../../core/capdl/json.js';
import type { Spec } from '../../core/capdl/spec.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { buildSystem } from '../support/build.js';
import { capAt, named, objectsOfType, project, sdkFor, slotsOf } from './support.js';

const SYSTEM = `<system>
  <memory_region name="ring" size="0x3000" />
  <io_address_space name="net" peripheral_id="0:3.0" domain_id="1">
    <iomap mr="ring" iovaddr="0x100000" />
  </io_address_space>
  <io_address_space name="blk" peripheral_id="1:0.0" domain_id="7">
    <iomap mr="ring" iovaddr="0x40000000" perms="r" />
  </io_address_space>
  <protection_domain name="drv" priority="10">
    <program_image path="drv.elf" />
    <map mr="ring" vaddr="0x4000000" />
  </protection_domain>
</system>`;

const SPACES = ['net', 'blk'];
/** IOPTs of the 39-bit trees alone: net (0x100000) and blk (0x40000000) each need one table per level. */
const TREE_IOPTS = 2 * 3;

/** The spare slots of each IO space, checked for shape; returns slot numbers per space. */
function spares(spec: Spec): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const spareIds = new Set<number>();
  for (const space of SPACES) {
    const iospace = named(spec, `iospace_${space}`);
    // Upstream's slot order (spares first, then the tree's root once a map needs it); compare as sets.
    const slots = slotsOf(iospace.object)
      .map((e) => e.slot)
      .sort((x, y) => x - y);
    expect(slots[0], `${space}: slot 0 holds the tree`).toBe(0);
    const root = capAt(iospace.object, 0)!;
    expect(root.type).toBe('IOPageTable');
    // Upstream names a table after the first address mapped through it (masked to one entry's coverage).
    expect(spec.objects.get(root.object).name).toMatch(new RegExp(`^iopt_level_0_${space}_ioaddr_0x[0-9a-f]+$`));
    expect(spec.objects.get(root.object).object).toMatchObject({ type: 'IOPageTable', level: 0n });
    out[space] = slots.slice(1);
    for (const slot of out[space]) {
      const spare = named(spec, `iopt_level_0_${space}_spare_${slot}`);
      // A spare is an empty root-level (level 0) IOPT, its own object, referenced from exactly this slot.
      expect(spare.object).toEqual({ type: 'IOPageTable', slots: [], level: 0n });
      expect(capAt(iospace.object, slot)).toEqual({ type: 'IOPageTable', object: spare.id });
      expect(spareIds.has(spare.id)).toBe(false);
      spareIds.add(spare.id);
    }
  }
  const spareNames = objectsOfType(spec, 'IOPageTable').filter((o) => o.name.includes('_spare_'));
  expect(spareNames.map((o) => o.id).sort()).toEqual([...spareIds].sort());
  expect(objectsOfType(spec, 'IOPageTable').length).toBe(TREE_IOPTS + spareIds.size);
  return out;
}

describe('levels through the build settings', () => {
  const cases: [string, 'auto' | 3 | 4 | 5 | 6 | undefined, number[]][] = [
    ['default (auto)', undefined, [1, 2, 3]],
    ['auto', 'auto', [1, 2, 3]],
    ['3', 3, []],
    ['4', 4, [1]],
    ['5', 5, [1, 2]],
    ['6', 6, [1, 2, 3]],
  ];
  it.each(cases)('%s', async (_label, levels, expected) => {
    const settings = levels === undefined ? {} : { iommu: { levels } };
    const { build } = await buildSystem(SYSTEM, { board: 'x86_64_generic', images: { 'drv.elf': [] }, settings });
    expect(spares(build.spec!)).toEqual({ net: expected, blk: expected });
  });

  it('the spares do not change the tree, the frames or anything else', async () => {
    const a = (await buildSystem(SYSTEM, { board: 'x86_64_generic', images: { 'drv.elf': [] }, settings: { iommu: { levels: 'auto' } } })).build.spec!;
    const b = (await buildSystem(SYSTEM, { board: 'x86_64_generic', images: { 'drv.elf': [] }, settings: { iommu: { levels: 3 } } })).build.spec!;
    const strip = (spec: Spec) =>
      [...spec.objects].filter((o) => !o.name.includes('_spare_')).map((o) => (o.object.type === 'IOSpace' ? o.name : JSON.stringify([o.name, o.object.type])));
    expect(strip(a)).toEqual(strip(b));
    expect(a.objects.length - b.objects.length).toBe(2 * 3);
  });

  it('rejects levels outside auto, 3..6 with a clean error', async () => {
    for (const levels of [2, 7, 0, 'four', '3', null]) {
      const run = buildSystem(SYSTEM, { board: 'x86_64_generic', images: { 'drv.elf': [] }, settings: { iommu: { levels: levels as never } } });
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMicrokitError(error), String(levels)).toBe(true);
      expect((error as Error).message).toMatch(/^microkit: error: iommu\.levels must be 'auto', 3, 4, 5 or 6, not /);
    }
  });
});

describe('levels from presets and the config file (CLI)', () => {
  const images = { 'drv.elf': [] };
  async function sparesVia(board: string, config?: object, useSdk = true): Promise<Record<string, number[]>> {
    const p = project({ system: SYSTEM, images, config: config && { system: 'x.system', board, config: 'debug', ...config } });
    const argv = config ? ['--capdl-json', 'c.json'] : ['x.system', '--board', board, '--config', 'debug', '--capdl-json', 'c.json'];
    const run = await p.run(argv, useSdk ? { MICROKIT_SDK: sdkFor(board) } : {});
    expect(run.code, run.stderr).toBe(0);
    return spares(specFromJson(readFileSync(join(p.dir, 'c.json'), 'utf8')));
  }

  it('qemu-x86 (levels 3): no spares', async () => {
    expect(await sparesVia('qemu-x86')).toEqual({ net: [], blk: [] });
  });

  it('vb-105 and x86_64_generic (auto): three spares, slots 1..3', async () => {
    expect(await sparesVia('vb-105')).toEqual({ net: [1, 2, 3], blk: [1, 2, 3] });
    expect(await sparesVia('x86_64_generic')).toEqual({ net: [1, 2, 3], blk: [1, 2, 3] });
  });

  it('the config file overrides the preset', async () => {
    expect(await sparesVia('qemu-x86', { iommu: { levels: 4 } })).toEqual({ net: [1], blk: [1] });
    expect(await sparesVia('qemu-x86', { iommu: { levels: 'auto' } })).toEqual({ net: [1, 2, 3], blk: [1, 2, 3] });
    expect(await sparesVia('vb-105', { iommu: { levels: 3 } })).toEqual({ net: [], blk: [] });
    expect(await sparesVia('vb-105', { iommu: { levels: 6 } })).toEqual({ net: [1, 2, 3], blk: [1, 2, 3] });
    // A config file without iommu keeps the preset's.
    expect(await sparesVia('qemu-x86', {})).toEqual({ net: [], blk: [] });
  });

  it('a preset of your own extending vb-105 sets levels (docs/iommu.md, presets/boards/vb_105.ts)', async () => {
    const presets = [{ name: 'my-box', extends: 'vb-105', options: { iommu: { levels: 5 } } }];
    expect(await sparesVia('my-box', { presets, sdk: 'synthetic' }, false)).toEqual({ net: [1, 2], blk: [1, 2] });
    // ... and the config file still wins over it.
    expect(await sparesVia('my-box', { presets, sdk: 'synthetic', iommu: { levels: 3 } }, false)).toEqual({ net: [], blk: [] });
  });

  it('invalid levels in the config file or a preset: one error line, exit 1, nothing written', async () => {
    const bad: [object, string][] = [
      [{ iommu: { levels: 7 } }, "'iommu.levels' must be 'auto', 3, 4, 5 or 6, not 7"],
      [{ iommu: { levels: 'four' } }, `'iommu.levels' must be 'auto', 3, 4, 5 or 6, not "four"`],
      [{ iommu: 3 }, "'iommu' must be an object { levels }"],
      [
        { presets: [{ name: 'bad-box', extends: 'qemu-x86', options: { iommu: { levels: 2 } } }], board: 'bad-box', sdk: 'synthetic' },
        "microkit: error: iommu.levels must be 'auto', 3, 4, 5 or 6, not 2",
      ],
    ];
    for (const [config, message] of bad) {
      const p = project({
        system: SYSTEM,
        images,
        config: {
          system: 'x.system',
          board: 'qemu-x86',
          config: 'debug',
          ...config,
          outputs: { image: 'out/loader.img', report: 'out/report.txt', capdlJson: 'out/c.json' },
        },
      });
      const useSdk = !('sdk' in config);
      const run = await p.run([], useSdk ? { MICROKIT_SDK: sdkFor('qemu-x86') } : {});
      expect(run.code, JSON.stringify(config)).toBe(1);
      const errors = run.stderr.split('\n').filter((l) => l.startsWith('microkit: error'));
      expect(errors).toHaveLength(1);
      expect(errors[0].endsWith(message), errors[0]).toBe(true);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      for (const out of ['out/loader.img', 'out/report.txt', 'out/c.json']) expect(existsSync(join(p.dir, out)), out).toBe(false);
    }
  });
});
