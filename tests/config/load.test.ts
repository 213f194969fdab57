/**
 * Loading config files: TypeScript imports of TypeScript modules (jiti), errors that name the file
 * and the place, the "using config" note, `--no-config`, and what an upstream-style command line
 * takes from a config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { helloProject, writeFiles } from '../support/project.js';

/** A plugin that records that it ran by writing a file (`ran-NAME`) when the build is done. */
const recorder = (name: string, ts = true) => `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const ${name.replace(/-/g, '_')} = (dir${ts ? ': string' : ''}) => ({
  name: '${name}',
  apply(p${ts ? ': any' : ''}) {
    p.hooks.done.tap('${name}', () => writeFileSync(join(dir, 'ran-${name}'), 'yes'));
  },
});
`;

const TS_PROJECT = {
  'plugins/guard.ts': recorder('guard'),
  'plugins/mod.mts': recorder('mod'),
  'plugins/common.cts': `const label: string = 'cts'; module.exports = { label };`,
  'microkit.config.ts': `
import { guard } from './plugins/guard.js';
import { mod } from './plugins/mod.mjs';
import common from './plugins/common.cjs';
const here: string = import.meta.dirname;
if (common.label !== 'cts') throw new Error('the .cts module did not load');
export default {
  system: 'hello.system',
  board: 'qemu_virt_aarch64',
  config: 'debug',
  plugins: [guard(here), mod(here)],
};
`,
};

describe('TypeScript configs', () => {
  it('import .ts, .mts and .cts modules beside them, and their plugins run', async () => {
    const dir = helloProject();
    writeFiles(dir, TS_PROJECT);
    const run = await cli(['check'], { cwd: dir });
    expect(run.stderr).toBe('microkit: using config microkit.config.ts\n');
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, 'ran-guard'), 'utf8')).toBe('yes');
    expect(readFileSync(join(dir, 'ran-mod'), 'utf8')).toBe('yes');
  });

  it('a microkit.config.mts is found and loaded too', async () => {
    const dir = helloProject();
    writeFiles(dir, {
      'microkit.config.mts':
        "const c: { board: string } = { board: 'qemu_virt_riscv64' };\nexport default { ...c, config: 'release', system: 'hello.system' };\n",
    });
    const run = await cli(['check'], { cwd: dir });
    expect(run.stderr).toBe('microkit: using config microkit.config.mts\n');
    expect(run.code).toBe(0);
  });
});

describe('config errors', () => {
  const attempt = async (file: string, text: string, argv: string[] = ['check']) => {
    const dir = helloProject();
    writeFiles(dir, { [file]: text });
    return cli(argv, { cwd: dir });
  };

  it.each([
    ['a TypeScript syntax error', 'microkit.config.ts', 'export default {\n  board: "x" ,,\n};\n', 'Unexpected token', 'microkit.config.ts:2:15'],
    ['an unterminated object', 'microkit.config.ts', 'export default {\n', 'Unexpected token', 'microkit.config.ts:2:1'],
    [
      'an ESM syntax error',
      'microkit.config.mjs',
      "export default {\n  board: 'x'\n  config: 'y' };\n",
      'Unexpected token, expected ","',
      'microkit.config.mjs:3:3',
    ],
    [
      'an exception while loading',
      'microkit.config.ts',
      "const n: number = 1;\nthrow new Error('no board for you');\n",
      'no board for you',
      'microkit.config.ts:2:7',
    ],
  ])('%s: exit 1, the file, the reason and the place', async (_what, file, text, reason, where) => {
    const run = await attempt(file, text);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(`microkit: error: could not load config '${file}': ${reason}`);
    expect(lines[1]).toBe(`  --> ${where} error[CONFIG_LOAD]`);
    expect(run.stderr).not.toMatch(/internal error|^\s+at /m);
  });

  it('an import that does not resolve names the missing module', async () => {
    const run = await attempt('microkit.config.ts', "import { x } from './plugins/missing.js';\nexport default { plugins: [x] };\n");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^microkit: error: could not load config 'microkit\.config\.ts': Cannot find module '\.\/plugins\/missing\.js'/);
  });

  it('a JSON syntax error', async () => {
    const run = await attempt('microkit.config.json', '{ "board": }');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^microkit: error: could not load config 'microkit\.config\.json': Unexpected token/);
  });

  it('an unknown key gets a did-you-mean', async () => {
    const run = await attempt('microkit.config.ts', "export default { bord: 'qemu_virt_aarch64' };\n");
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      "microkit: error: microkit.config.ts: unknown option 'bord'; did you mean 'board'? " +
        '(known: system, board, config, sdk, searchPaths, outputs, imageType, overrideKernel, plugins, presets, iommu)',
    );
    const outputs = await attempt('microkit.config.ts', "export default { outputs: { capdlJSON: 'x.json' } };\n");
    expect(outputs.stderr).toMatch(/unknown option 'outputs\.capdlJSON'; did you mean 'capdlJson'\?/);
  });

  it('a key at fault is located when the file names it once, with a code frame', async () => {
    const run = await attempt('microkit.config.ts', "export default {\n  sdk: 'synthetic',\n  'bord': 'qemu_virt_aarch64',\n};\n");
    const lines = run.stderr.split('\n');
    expect(lines[0]).toMatch(/^microkit: error: microkit\.config\.ts: unknown option 'bord'/);
    expect(lines[1]).toBe('  --> microkit.config.ts:3:3 error[CONFIG_INVALID]');
    expect(run.stderr).toContain("> 3 |   'bord': 'qemu_virt_aarch64',");
    const wrongType = await attempt('microkit.config.ts', "export default {\n  searchPaths: 'elfs',\n};\n");
    expect(wrongType.stderr.split('\n').slice(0, 2)).toEqual([
      "microkit: error: microkit.config.ts: 'searchPaths' must be an array of strings",
      '  --> microkit.config.ts:2:3 error[CONFIG_INVALID]',
    ]);
    // A key the text does not name once (computed here) gets no place rather than a wrong one.
    const computed = await attempt('microkit.config.ts', "const k = 'bo' + 'rd';\nexport default { [k + 'x']: 1 };\n");
    expect(computed.stderr.split('\n')[0]).toMatch(/unknown option 'bordx'/);
    expect(computed.stderr).not.toContain('-->');
  });

  // cosmiconfig takes these for "no config here": it searched on to a parent directory's config, or built with none.
  it.each([
    [
      'named exports only',
      'microkit.config.ts',
      "export const board = 'qemu_virt_aarch64';\n",
      'the file exports no config (export default defineConfig({...}))',
    ],
    ['no exports at all', 'microkit.config.mts', 'const board = 1;\n', 'the file exports no config (export default defineConfig({...}))'],
    [
      'an ES module with named exports only',
      'microkit.config.mjs',
      "export const board = 'x';\n",
      'the file exports no config (export default defineConfig({...}))',
    ],
    ['export default null', 'microkit.config.ts', 'export default null;\n', 'its default export is null, not a config object'],
    ['module.exports = null', 'microkit.config.cjs', 'module.exports = null;\n', 'its default export is null, not a config object'],
    ['JSON null', 'microkit.config.json', 'null\n', 'the file holds null, not a config object'],
  ])('a config file with %s is an error, not skipped', async (_what, file, text, reason) => {
    const dir = helloProject();
    // The config that a search going on past the faulty file would find.
    writeFiles(dir, { 'microkit.config.json': '{"board": "qemu_virt_aarch64", "config": "debug", "sdk": "synthetic"}' });
    writeFiles(join(dir, 'sub'), { [file]: text });
    const run = await cli(['check', join(dir, 'hello.system')], { cwd: join(dir, 'sub') });
    expect(run.stderr.split('\n')[0]).toBe(`microkit: error: could not load config '${file}': ${reason}`);
    expect(run.code).toBe(1);
    const named = await cli(['check', join(dir, 'hello.system'), '--config-file', file], { cwd: join(dir, 'sub') });
    expect(named.stderr.split('\n')[0]).toBe(`microkit: error: could not load config '${file}': ${reason}`);
  });

  it('an empty file is skipped by the search (as an empty package.json is), but is an error when named', async () => {
    const dir = helloProject();
    writeFiles(dir, { 'microkit.config.json': '{"board": "qemu_virt_aarch64", "config": "debug", "sdk": "synthetic"}' });
    writeFiles(join(dir, 'sub'), { 'microkit.config.ts': '', 'package.json': '' });
    const searched = await cli(['check', join(dir, 'hello.system')], { cwd: join(dir, 'sub') });
    expect(searched.stderr).toBe(`microkit: using config ${join(dir, 'microkit.config.json')}\n`);
    expect(searched.code).toBe(0);
    for (const [file, reason] of [
      ['microkit.config.ts', 'the file exports no config (export default defineConfig({...}))'],
      ['package.json', 'the file is empty'],
    ]) {
      const named = await cli(['check', join(dir, 'hello.system'), '--config-file', file!], { cwd: join(dir, 'sub') });
      expect(named.stderr.split('\n')[0]).toBe(`microkit: error: could not load config '${file}': ${reason}`);
      expect(named.code).toBe(1);
    }
  });

  it('a package.json of null is a clean error (cosmiconfig crashed on it)', async () => {
    const run = await attempt('package.json', 'null');
    expect(run.stderr.split('\n')[0]).toMatch(/^microkit: error: could not load config '.*package\.json': the file holds null, not an object$/);
    expect(run.code).toBe(1);
  });

  it('a CommonJS TypeScript config is its module.exports; an ES one its default export', async () => {
    const cjs = await attempt('microkit.config.cts', "module.exports = { board: 'qemu_virt_aarch64', config: 'debug', sdk: 'synthetic', bord: 1 };\n");
    expect(cjs.stderr.split('\n')[0]).toMatch(/^microkit: error: microkit\.config\.cts: unknown option 'bord'/);
    const esm = await attempt(
      'microkit.config.ts',
      "export const x = 1;\nexport default { system: 'hello.system', board: 'qemu_virt_aarch64', config: 'debug', sdk: 'synthetic' };\n",
    );
    expect(esm.stderr).toBe('microkit: using config microkit.config.ts\n');
    expect(esm.code).toBe(0);
  });

  it('--config-file naming a missing file', async () => {
    const run = await attempt('other.txt', '', ['check', '--config-file', 'nope.ts']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("microkit: error: could not load config 'nope.ts': no such file\n");
  });

  it('--config-file naming a directory or a device: refused, not read (a device would be read forever)', async () => {
    const dir = await attempt('sub/keep.txt', '', ['check', '--config-file', 'sub']);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toBe("microkit: error: could not load config 'sub': is a directory\n");
    const device = await attempt('other.txt', '', ['check', '--config-file', '/dev/zero']);
    expect(device.code).toBe(1);
    expect(device.stderr).toBe("microkit: error: could not load config '/dev/zero': not a regular file\n");
  });
});

describe('which config is used', () => {
  const CONFIG = `
import { guard } from './plugins/guard.js';
export default {
  system: 'sys/other.system',
  board: 'qemu_virt_aarch64',
  config: 'debug',
  sdk: 'synthetic',
  searchPaths: ['elsewhere'],
  outputs: { image: 'build/loader.img', report: 'build/report.txt', capdlJson: 'build/capdl.json' },
  plugins: [guard(import.meta.dirname)],
};
`;

  it('the "using config" note goes to stderr after an error, so upstream\'s first line stays first', async () => {
    const dir = helloProject();
    writeFiles(dir, { 'plugins/guard.ts': recorder('guard'), 'microkit.config.ts': CONFIG });
    const run = await cli(['missing.system'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("microkit: error: system description file 'missing.system' does not exist\nmicrokit: using config microkit.config.ts\n");
  });

  it('is shown relative to the working directory when found above it', async () => {
    const dir = helloProject();
    writeFiles(dir, { 'plugins/guard.ts': recorder('guard'), 'microkit.config.ts': CONFIG.replace("'sys/other.system'", "'hello.system'"), 'sub/x': '' });
    const run = await cli(['check'], { cwd: join(dir, 'sub') });
    expect(run.stderr).toBe(`microkit: using config ${join(dir, 'microkit.config.ts')}\n`);
    expect(run.code).toBe(0);
  });

  it('an upstream-style command line takes board, config, SDK and plugins from the config, but not its system, search paths or outputs', async () => {
    const dir = helloProject();
    writeFiles(dir, { 'plugins/guard.ts': recorder('guard'), 'microkit.config.ts': CONFIG });
    const run = await cli(['hello.system', '-o', 'out/x.img'], { cwd: dir });
    expect(run.stderr).toBe('microkit: using config microkit.config.ts\n');
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'out', 'x.img'))).toBe(true);
    // upstream's default report name, in the working directory; none of the config's outputs.
    expect(existsSync(join(dir, 'report.txt'))).toBe(true);
    expect(existsSync(join(dir, 'build'))).toBe(false);
    expect(existsSync(join(dir, 'ran-guard'))).toBe(true);
  });

  it('--no-config ignores the config file', async () => {
    const dir = helloProject();
    writeFiles(dir, { 'plugins/guard.ts': recorder('guard'), 'microkit.config.ts': 'export default {\n' });
    const none = await cli(['check', 'hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '--no-config'], { cwd: dir });
    expect(none.stderr).toBe('');
    expect(none.code).toBe(0);
    // Without it, the broken config is an error (and --config still means the kernel config).
    const broken = await cli(['check', 'hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd: dir });
    expect(broken.code).toBe(1);
    const boards = await cli(['boards', '--no-config'], { cwd: dir });
    expect(boards.code).toBe(0);
  });
});
