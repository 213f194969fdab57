/**
 * Replays the boot emulation, initialiser placement and allocation
 * simulation for every successful ARM/RISC-V golden run, and requires the
 * upstream tool's results: the initialiser's physical base in the image and
 * every object's physical address in report.txt.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { simulateObjectAllocation } from '../../core/boot/allocation.js';
import { emulateKernelBoot, emulateKernelBootPartial, kernelImageRegions } from '../../core/boot/kernel-boot.js';
import { placeInitialiser } from '../../core/boot/placement.js';
import { specFromJson } from '../../core/capdl/json.js';
import { physicalSizeBits } from '../../core/capdl/object-sizes.js';
import { bootGoldenRuns, goldenInitialiser, goldenReportObjects, sdkFacts } from './golden-support.js';
import { HAS_SHARED } from '../support/paths.js';

const runs = HAS_SHARED ? bootGoldenRuns() : [];

describe.skipIf(runs.length === 0)('boot emulation against the golden runs', () => {
  test('there are golden runs on all three boards', () => {
    const boards = new Set(runs.map((r) => r.board));
    expect([...boards].sort()).toEqual(['qemu_virt_aarch64', 'qemu_virt_aarch64_el1', 'qemu_virt_riscv64']);
    expect(runs.length).toBeGreaterThanOrEqual(100);
  });

  test.each(runs.map((r) => [r.id, r] as const))('%s', (_id, run) => {
    const { kernel, kernelElf, arch } = sdkFacts(run.board, run.config);
    const init = goldenInitialiser(run);
    const size = init.virtEnd - init.virtStart;
    expect(init.physEnd - init.physStart).toBe(size);

    const partial = emulateKernelBootPartial(kernel.memory!, kernelImageRegions(kernelElf));
    expect(placeInitialiser(partial, size)).toBe(init.physStart);

    const boot = emulateKernelBoot(partial, kernel, arch, { start: init.physStart, end: init.physEnd }, { start: init.virtStart, end: init.virtEnd });
    const spec = specFromJson(readFileSync(join(run.dir, 'capdl.json'), 'utf8'));
    const sim = simulateObjectAllocation(spec, boot.untypeds, kernel.objectSizes!);
    expect(sim.errors).toEqual([]);
    expect(sim.ok).toBe(true);

    const expected = goldenReportObjects(run);
    const sized = [...spec.objects].filter((o) => physicalSizeBits(o.object, kernel.objectSizes!) > 0).length;
    expect(expected.length).toBe(sized);
    expect(sim.paddrs.size).toBe(sized);
    const mismatches: string[] = [];
    for (const obj of expected) {
      expect(spec.objects.get(obj.id).name).toBe(obj.name);
      const got = sim.paddrs.get(obj.id);
      if (got !== obj.paddr) {
        mismatches.push(`${obj.id} '${obj.name}': expected 0x${obj.paddr.toString(16)}, got ${got === undefined ? 'none' : '0x' + got.toString(16)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
