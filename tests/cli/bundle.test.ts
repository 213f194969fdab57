/**
 * The bundled CLI (dist/bundle/, scripts/bundle.mjs), which `microkit` runs:
 * the same outputs, byte for byte, as the modules it was bundled from, and one
 * copy of every module shared with config files that import 'microkit-ts'.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { HAS_SHARED, REPO, SHARED_SDK } from '../support/paths.js';

const BIN = join(REPO, 'dist/bundle/microkit.cjs');
const HELLO = join(REPO, 'examples/hello');
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function helloArgs(dir: string): string[] {
  return [
    join(HELLO, 'hello.system'),
    '--board',
    'qemu_virt_aarch64',
    '--config',
    'debug',
    '--search-path',
    HELLO,
    '-o',
    join(dir, 'loader.img'),
    '-r',
    join(dir, 'report.txt'),
    '--capdl-json',
    join(dir, 'capdl.json'),
  ];
}

describe('package.json', () => {
  it('runs the bundle as `microkit` and serves the public entry points from it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(pkg.bin.microkit).toBe('dist/bundle/microkit.cjs');
    for (const entry of Object.values(pkg.exports) as { default: string }[]) expect(entry.default).toMatch(/^\.\/dist\/bundle\//);
  });
});

describe.skipIf(!existsSync(BIN) || !HAS_SHARED)('the bundled CLI', () => {
  it('runs as dist/bundle/microkit.js too (its name before the launcher was CommonJS)', () => {
    const run = (bin: string) =>
      execFileSync(process.execPath, [join(REPO, 'dist/bundle', bin), '--version'], { encoding: 'utf8', env: { ...process.env, MICROKIT_CODE_CACHE: 'off' } });
    expect(run('microkit.js')).toBe(run('microkit.cjs'));
    expect(run('microkit.js')).toMatch(/^microkit-ts /);
  });

  it('builds hello with the same stdout, spec, report and image as the unbundled modules', async () => {
    const bundled = mkdtempSync(join(tmpdir(), 'mk-bundle-'));
    const direct = mkdtempSync(join(tmpdir(), 'mk-direct-'));
    scratch.push(bundled, direct);
    const stdout = execFileSync(process.execPath, [BIN, ...helloArgs(bundled)], {
      cwd: bundled,
      env: { ...process.env, MICROKIT_SDK: SHARED_SDK },
      encoding: 'utf8',
    });
    const run = await cli(helloArgs(direct), { cwd: direct, env: { MICROKIT_SDK: SHARED_SDK } });
    expect(run.code, run.stderr).toBe(0);
    expect(stdout).toBe(run.stdout);
    for (const file of ['loader.img', 'report.txt', 'capdl.json']) {
      expect(readFileSync(join(bundled, file)).equals(readFileSync(join(direct, file))), file).toBe(true);
    }
  });

  it("shares MicrokitError with a config file's plugin: its error prints as a user error, not an internal one", () => {
    // Inside the package, so 'microkit-ts' resolves to this package's exports.
    const dir = join(REPO, '.microkit-cache', `bundle-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    scratch.push(dir);
    writeFileSync(
      join(dir, 'microkit.config.mjs'),
      [
        "import { defineConfig, definePlugin, MicrokitError } from 'microkit-ts';",
        "const refuse = definePlugin(() => ({ name: 'refuse', apply(p) { p.hooks.validate.tap('refuse', () => { throw new MicrokitError('TEST', 'refused by the config plugin'); }); } }));",
        `export default defineConfig({ system: ${JSON.stringify(join(HELLO, 'hello.system'))}, board: 'qemu_virt_aarch64', config: 'debug', plugins: [refuse()] });`,
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, [BIN, 'check'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr.split('\n')[0]).toBe('refused by the config plugin');
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.status).toBe(1);
  });
});
