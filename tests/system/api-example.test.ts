/**
 * examples/x86-iommu-dma/system.config.ts: the IOMMU example written in
 * TypeScript builds the model of x86-iommu-dma.system and, through the CLI,
 * the same capDL JSON (the reviewed snapshot tests/x86/example.test.ts holds
 * the SDF build to); `microkit sdf` writes the same SDF for both.
 * The config imports 'microkit-ts/system', which resolves to dist/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import type { SystemBuilder } from '../../core/system/builder.js';
import { cli } from '../support/cli.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';
import { REPO } from '../support/paths.js';
import { comparableModel } from './model-compare.js';

const EXAMPLE = join(REPO, 'examples/x86-iommu-dma');
const SNAPSHOT = join(REPO, 'tests/x86/expected/x86-iommu-dma.capdl.json');
const HAS_DIST = existsSync(join(REPO, 'dist/core/system/index.js'));

describe.skipIf(!HAS_DIST)('examples/x86-iommu-dma in TypeScript', () => {
  it('builds the same model as x86-iommu-dma.system', async () => {
    const { sys } = (await import('../../examples/x86-iommu-dma/system.config.js')) as { sys: SystemBuilder };
    const options = { file: 'x', kernel: presetKernel('qemu-x86'), plugins: presetPlugins('qemu-x86') };
    const fromSdf = await checkSystem(readFileSync(join(EXAMPLE, 'x86-iommu-dma.system'), 'utf8'), options);
    const fromTs = await checkSystem(sys, options);
    expect(comparableModel(fromTs)).toEqual(comparableModel(fromSdf));
    expect(fromTs.protectionDomains[0].location.file).toMatch(/examples\/x86-iommu-dma\/system\.config\.ts$/);
  });

  it('builds the same capDL JSON through the CLI (--config-file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-ts-example-'));
    const out = join(dir, 'capdl.json');
    const run = await cli(
      ['--config-file', 'examples/x86-iommu-dma/system.config.ts', '--capdl-json', out, '-o', join(dir, 'loader.img'), '-r', join(dir, 'report.txt')],
      {
        cwd: REPO,
        env: {},
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });

  it('microkit sdf writes the same SDF for the TypeScript system and the normalised SDF file', async () => {
    // The built CLI in its own process, as a user runs it: the API's call sites come from the
    // config's stack frames, which the test runner's own source-map handling would change.
    const ts = spawnSync(process.execPath, [join(REPO, 'dist/core/cli/bin.js'), 'sdf', '--config-file', 'examples/x86-iommu-dma/system.config.ts'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    const fromTs = { code: ts.status, stdout: ts.stdout, stderr: ts.stderr };
    expect(fromTs.code, fromTs.stderr).toBe(0);
    const fromSdf = await cli(['sdf', '--from', join(EXAMPLE, 'x86-iommu-dma.system'), '--board', 'qemu-x86', '--config', 'debug'], { cwd: REPO, env: {} });
    expect(fromSdf.code, fromSdf.stderr).toBe(0);
    expect(fromTs.stdout).toBe(fromSdf.stdout);
    expect(fromTs.stdout).toContain('<io_address_space name="edu" peripheral_id="0:4.0" domain_id="1">');
  });
});

describe.skipIf(!HAS_DIST)('errors in a TypeScript config point at the TypeScript the user wrote', () => {
  it("through the config loader's on-the-fly transpilation (file, line and column of the .ts)", async () => {
    const base = join(REPO, '.microkit-cache');
    mkdirSync(base, { recursive: true });
    const dir = mkdtempSync(join(base, 'config-location-'));
    const config = [
      "import { defineConfig } from 'microkit-ts';",
      "import { system } from 'microkit-ts/system';",
      '',
      '// Types vanish in the transpiled file, so its lines differ from these.',
      'interface Unused {',
      '  readonly a: number;',
      '}',
      'type Alias = Unused;',
      '',
      'const sys = system();',
      "const mr = sys.memoryRegion('m', { size: 0x1000 });",
      "sys.protectionDomain('p', { programImage: 'p.elf' }).map(mr, { perms: 'q' });",
      '',
      "export default defineConfig({ system: sys, board: 'qemu_virt_aarch64', config: 'debug' });",
      '',
    ].join('\n');
    writeFileSync(join(dir, 'microkit.config.ts'), config);
    const run = await cli(['check'], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    const column = config.split('\n')[11].indexOf('map(') + 1;
    // Shown relative to the process's working directory, as the file would be typed there.
    const shown = relative(process.cwd(), join(dir, 'microkit.config.ts'));
    expect(run.stderr.split('\n')[0]).toBe(`Error: perms must only be a combination of 'r', 'w', and 'x' on element 'map': ${shown}:12:${column}`);
    rmSync(dir, { recursive: true, force: true });
  });
});
