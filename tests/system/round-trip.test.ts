/**
 * SDF → model → SDF → model over every example system on every board where
 * upstream builds it (debug): the written SDF parses to the same model, and
 * building it gives upstream's capDL spec byte for byte.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { searchPathAccess } from '../../core/cli/setup.js';
import type { BuildContext } from '../../core/build-types.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { StagedOutputs } from '../../core/output.js';
import { createPipeline } from '../../core/builtin.js';
import { writeSdf } from '../../core/sdf/write/system.js';
import { cli } from '../support/cli.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
import { EXAMPLES, goldenRuns } from '../conformance/golden.js';
import { comparableModel } from './model-compare.js';

const debugRuns = goldenRuns().filter((r) => r.config === 'debug');
const runs = debugRuns.filter((r) => r.exitCode === 0);
const failing = debugRuns.filter((r) => r.exitCode !== 0);

async function parse(text: string, file: string, board: string, searchPaths: readonly string[]) {
  return checkSystem(text, {
    file,
    kernel: presetKernel(board),
    plugins: presetPlugins(board),
    files: searchPathAccess(
      searchPaths.map((p) => join(EXAMPLES, p)),
      EXAMPLES,
    ),
  });
}

/** Parse only (no validate): systems upstream rejects still have a model to round-trip. */
async function parseOnly(text: string, file: string, board: string, searchPaths: readonly string[]) {
  const pipeline = createPipeline(presetPlugins(board));
  const kernel = presetKernel(board);
  const ctx = {
    options: { mode: 'check', systemFile: file, systemPath: file, config: 'debug', searchPaths: [], outputs: {}, settings: {} },
    kernel,
    arch: pipeline.arch(kernel.arch),
    pipeline,
    files: searchPathAccess(
      searchPaths.map((p) => join(EXAMPLES, p)),
      EXAMPLES,
    ),
    log: { info: () => {}, error: () => {} },
    outputs: new StagedOutputs(),
  } satisfies BuildContext;
  return (await pipeline.hooks.parse.promise({ file, path: file, text }, ctx))!;
}

const withoutLocations = (message: string) => message.replace(/\S+:\d+:\d+/g, 'LOC');

function write(system: Awaited<ReturnType<typeof parse>>, board: string): string {
  const pipeline = createPipeline(presetPlugins(board));
  return writeSdf(system, pipeline.sdf, pipeline.arch(presetKernel(board).arch));
}

describe.skipIf(!HAS_SHARED)('SDF round trip over the example systems', () => {
  it('covers every example system (tests-overlapping_pages only as rejected)', () => {
    const all = readdirSync(join(EXAMPLES, 'systems'));
    expect(new Set(debugRuns.map((r) => r.system.split('/')[1]))).toEqual(new Set(all));
    expect(new Set(runs.map((r) => basename(r.system))).size).toBe(all.length - 1);
  });

  it.each(runs.map((r) => [r.label, r] as const))('%s', async (_label, run) => {
    const original = readFileSync(join(EXAMPLES, run.system), 'utf8');
    const model1 = await parse(original, run.system, run.board, run.searchPaths);
    const sdf1 = write(model1, run.board);
    const model2 = await parse(sdf1, 'written.system', run.board, run.searchPaths);
    expect(comparableModel(model2)).toEqual(comparableModel(model1));
    // Writing is a fixed point after one normalisation.
    expect(write(model2, run.board)).toBe(sdf1);

    const dir = mkdtempSync(join(tmpdir(), 'mk-roundtrip-'));
    const file = join(dir, 'written.system');
    writeFileSync(file, sdf1);
    const capdl = join(dir, 'capdl.json');
    const result = await cli(
      [
        file,
        '--board',
        run.board,
        '--config',
        run.config,
        '--search-path',
        ...run.searchPaths,
        '-o',
        join(dir, 'loader.img'),
        '-r',
        join(dir, 'report.txt'),
        '--capdl-json',
        capdl,
      ],
      { cwd: EXAMPLES, env: { MICROKIT_SDK: SHARED_SDK } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(capdl, 'utf8')).toBe(readFileSync(join(run.dir, 'capdl.json'), 'utf8'));
  });

  it.each(failing.map((r) => [r.label, r] as const))('%s (rejected by upstream): same model, same first error', async (_label, run) => {
    const original = readFileSync(join(EXAMPLES, run.system), 'utf8');
    let model1: Awaited<ReturnType<typeof parseOnly>>;
    try {
      model1 = await parseOnly(original, run.system, run.board, run.searchPaths);
    } catch (e) {
      // Rejected while parsing: there is no model to write.
      expect(isMicrokitError(e)).toBe(true);
      return;
    }
    const sdf1 = write(model1, run.board);
    expect(comparableModel(await parseOnly(sdf1, 'written.system', run.board, run.searchPaths))).toEqual(comparableModel(model1));
    const errorOf = async (text: string, file: string) => {
      try {
        await parse(text, file, run.board, run.searchPaths);
      } catch (e) {
        return withoutLocations(String((e as Error).message).split('\n')[0]);
      }
      return 'no error';
    };
    expect(await errorOf(sdf1, 'written.system')).toBe(await errorOf(original, run.system));
  });
});

describe("a plugin's own element round-trips through its SDF writer (examples/plugins/own-tcb-cap)", () => {
  it('writes <own_tcb_cap> back in its place', async () => {
    const { ownTcbCap } = await import('../../examples/plugins/own-tcb-cap.js');
    const plugins = [...presetPlugins('qemu_virt_aarch64'), ownTcbCap()];
    const sdf = `<system><memory_region name="m" size="0x1000"/><protection_domain name="w"><program_image path="w.elf"/>
      <own_tcb_cap slot="9"/><map mr="m" vaddr="0x2000000" setvar_vaddr="v"/></protection_domain></system>`;
    const options = { file: 't.system', kernel: presetKernel('qemu_virt_aarch64'), plugins };
    const model = await checkSystem(sdf, options);
    const pipeline = createPipeline(plugins);
    const written = writeSdf(model, pipeline.sdf, pipeline.arch('aarch64'));
    expect(written).toContain('<program_image path="w.elf" />\n        <own_tcb_cap slot="9" />\n        <map mr="m"');
    expect(comparableModel(await checkSystem(written, options))).toEqual(comparableModel(model));
  });
});
