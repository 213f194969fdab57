/**
 * Every golden example run (17 systems × boards × configs) through the CLI,
 * as ../shared/tools/conformance.py runs it: same exit code and first error
 * line; on success the same capDL JSON, report and boot image, byte for
 * byte (and on x86 the kernel copies). Failing runs also fail the same way
 * under `microkit check`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, firstErrorLine } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
import { EXAMPLES, goldenFirstErrorLine, goldenRuns } from './golden.js';

const runs = goldenRuns(process.env.GOLDEN_BOARDS?.split(','));
const env = { MICROKIT_SDK: SHARED_SDK };

describe.skipIf(!HAS_SHARED)('golden example runs', () => {
  it('covers all 255 runs', () => {
    if (process.env.GOLDEN_BOARDS === undefined) expect(runs).toHaveLength(255);
  });

  it.each(runs.map((r) => [r.label, r] as const))('%s', async (_label, run) => {
    const out = mkdtempSync(join(tmpdir(), 'mk-golden-'));
    const files = { image: join(out, 'loader.img'), report: join(out, 'report.txt'), capdl: join(out, 'capdl.json') };
    const argv = [run.system, '--board', run.board, '--config', run.config, '--search-path', ...run.searchPaths];
    const result = await cli([...argv, '-o', files.image, '-r', files.report, '--capdl-json', files.capdl], { cwd: EXAMPLES, env });
    if (run.exitCode !== 0) {
      expect(result.code).toBe(1);
      expect(firstErrorLine(result)).toBe(goldenFirstErrorLine(run));
      const check = await cli(['check', run.system, '--board', run.board, '--config', run.config, '--search-path', ...run.searchPaths], { cwd: EXAMPLES, env });
      expect(check.code).toBe(1);
      expect(firstErrorLine(check)).toBe(goldenFirstErrorLine(run));
      return;
    }
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(readFileSync(join(run.dir, 'stdout.txt'), 'utf8').trim());
    expect(readFileSync(files.capdl, 'utf8')).toBe(readFileSync(join(run.dir, 'capdl.json'), 'utf8'));
    expect(readFileSync(files.report, 'utf8')).toBe(readFileSync(join(run.dir, 'report.txt'), 'utf8'));
    const image = readFileSync(files.image);
    const golden = readFileSync(join(run.dir, 'loader.img'));
    expect(image.length).toBe(golden.length);
    expect(image.equals(golden), 'boot image differs').toBe(true);
    if (run.board.startsWith('x86')) {
      const sdkElf = join(SHARED_SDK, 'board', run.board, run.config, 'elf');
      expect(readFileSync(join(out, 'sel4.elf')).equals(readFileSync(join(sdkElf, 'sel4.elf')))).toBe(true);
      expect(readFileSync(join(out, 'sel4_32.elf')).equals(readFileSync(join(sdkElf, 'sel4_32.elf')))).toBe(true);
    }
  });
});
