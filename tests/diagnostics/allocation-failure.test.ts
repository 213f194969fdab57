/**
 * A system whose objects do not fit: upstream's lines first, then what was
 * needed and what there was; the report of the failed allocation is written
 * (upstream says "see report" but writes none), the image is not.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { syntheticSdk } from '../support/build.js';
import { cli, firstErrorLine } from '../support/cli.js';

describe('allocation failure', () => {
  it('explains the shortfall and writes the report, not the image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'diag-alloc-'));
    writeFileSync(join(dir, 'p.elf'), stubProgramImage({ arch: 'aarch64', extraWordSymbols: [] }));
    writeFileSync(
      join(dir, 'huge.system'),
      '<system>\n  <memory_region name="huge" size="0x100000000" />\n  <protection_domain name="p">\n    <program_image path="p.elf" />\n    <map mr="huge" vaddr="0x100000000" />\n  </protection_domain>\n</system>\n',
    );
    const report = join(dir, 'out', 'report.txt');
    const image = join(dir, 'out', 'loader.img');
    const run = await cli(['huge.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '-o', image, '-r', report], {
      cwd: dir,
      env: { MICROKIT_SDK: syntheticSdk('qemu_virt_aarch64') },
    });
    expect(run.code).toBe(1);
    expect(firstErrorLine(run)).toMatch(/^ERROR: ran out of untypeds for allocating objects of size 2 MiB, still need to create \d+ objects/);
    expect(run.stderr).toContain('ERROR: could not allocate all required kernel objects. Please see report for more details.');
    expect(run.stderr).toMatch(/help: objects to create need [\d.]+ GiB: Frame \d+× = [\d.]+ GiB/);
    expect(run.stderr).toMatch(/help: untyped memory: [\d.]+ [KMG]iB in \d+ untypeds, the largest [\d.]+ [KMG]iB/);
    expect(run.stderr).toContain(`help: the report of the failed allocation is in ${report}`);
    expect(existsSync(image)).toBe(false);
    const text = readFileSync(report, 'utf8');
    expect(text).toContain("'frame_mr_huge_000000000' @ 0x");
    // Objects placed before the simulation ran out have addresses; the rest do not.
    expect(text).toMatch(/ @ 0x[0-9a-f]{12}\n/);
  });
});
