/**
 * What a plain build loads (issue 13, small builds): the bundled CLI leaves
 * out what the build does not use. cosmiconfig (and its YAML and JSON
 * parsers) loads only when a config file could exist; child_process (which
 * commander, the watch loop and `microkit run` import) only when something
 * spawns. Checked by the modules a real process loaded, not by its time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mayFindConfig } from '../../core/config/load.js';
import { helloProject, writeFiles } from '../support/project.js';
import { HAS_SHARED, REPO, SHARED_SDK } from '../support/paths.js';

const BIN = join(REPO, 'dist/bundle/microkit.cjs');
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Preloaded into the CLI's process: on exit, writes the built-ins and CommonJS files it loaded. */
const RECORDER = `
const { writeFileSync } = require('node:fs');
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  writeFileSync(process.env.RECORD_TO, JSON.stringify({ builtins, files: Object.keys(require.cache) }));
});
`;

interface Loaded {
  readonly code: number | null;
  readonly stderr: string;
  readonly builtins: string[];
  readonly files: string[];
}

/** Run the bundled CLI in `dir` (also its home directory, so the config search stays inside it). */
function runRecorded(dir: string, args: string[]): Loaded {
  const recorder = join(dir, 'recorder.cjs');
  const record = join(dir, 'loaded.json');
  writeFileSync(recorder, RECORDER);
  const run = spawnSync(process.execPath, ['--require', recorder, BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'no-xdg'), MICROKIT_SDK: SHARED_SDK, RECORD_TO: record },
  });
  return { code: run.status, stderr: run.stderr, ...JSON.parse(readFileSync(record, 'utf8')) };
}

const HELLO_ARGS = ['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '-o', 'loader.img', '-r', 'report.txt'];
const usesCosmiconfig = (l: Loaded) => l.files.some((f) => f.includes(`${'/'}cosmiconfig${'/'}`));

function project(): string {
  const dir = helloProject('mk-startup-');
  scratch.push(dir);
  return dir;
}

describe.skipIf(!existsSync(BIN) || !HAS_SHARED)('modules a plain build loads', () => {
  it('no config file anywhere: the build runs without cosmiconfig or child_process', () => {
    const dir = project();
    const loaded = runRecorded(dir, HELLO_ARGS);
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    expect(existsSync(join(dir, 'loader.img'))).toBe(true);
    expect(usesCosmiconfig(loaded)).toBe(false);
    expect(loaded.builtins).not.toContain('child_process');
    // The code frame library loads with the first code frame, and the whole CLI is the one CommonJS bundle.
    expect(loaded.files.some((f) => f.includes('code-frame'))).toBe(false);
    expect(loaded.files.filter((f) => f.includes(`${'/'}dist${'/'}`)).map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['microkit.cjs', 'core.cjs']);
  });

  it('a located error loads the code frame library and prints its frame', () => {
    const dir = project();
    writeFiles(dir, { 'bad.system': '<?xml version="1.0"?>\n<system>\n  <protection_domain name="a" priority="300" />\n</system>\n' });
    const loaded = runRecorded(dir, ['check', 'bad.system', '--board', 'qemu_virt_aarch64', '--config', 'debug']);
    expect(loaded.code).toBe(1);
    expect(loaded.stderr).toMatch(/^ {2}> 3 \| {3}<protection_domain name="a" priority="300" \/>$/m);
    expect(loaded.files.some((f) => f.includes('code-frame'))).toBe(true);
  });

  it('--no-config: no cosmiconfig either', () => {
    const dir = project();
    writeFiles(dir, { 'microkit.config.json': '{ "board": "qemu_virt_riscv64" }' });
    const loaded = runRecorded(dir, [...HELLO_ARGS, '--no-config']);
    expect(loaded.code).toBe(0);
    expect(usesCosmiconfig(loaded)).toBe(false);
  });

  it('a config file: cosmiconfig finds and loads it', () => {
    const dir = project();
    writeFiles(dir, { 'microkit.config.json': '{ "system": "hello.system", "board": "qemu_virt_aarch64", "config": "debug" }' });
    const loaded = runRecorded(dir, ['check']);
    expect(loaded.stderr).toBe('microkit: using config microkit.config.json\n');
    expect(loaded.code).toBe(0);
    expect(usesCosmiconfig(loaded)).toBe(true);
  });
});

describe('mayFindConfig: whether a config search needs cosmiconfig', () => {
  /** Run `check` with `dir` as the home directory and no global config directory. */
  function withHome<T>(dir: string, check: () => T): T {
    const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
    process.env.HOME = dir;
    process.env.XDG_CONFIG_HOME = join(dir, 'no-xdg');
    try {
      return check();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  const tmpProject = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-mayfind-'));
    scratch.push(dir);
    return dir;
  };

  it('false only when none of the places cosmiconfig reads could give a config', () => {
    const dir = tmpProject();
    expect(withHome(dir, () => mayFindConfig(join(dir)))).toBe(false);
    writeFiles(dir, { 'package.json': '{ "name": "x", "scripts": {} }' });
    expect(withHome(dir, () => mayFindConfig(dir))).toBe(false);
  });

  it('true for a config file, a package.json with a microkit key, or one that is not a JSON object', () => {
    for (const [file, content] of [
      ['microkit.config.ts', 'export default {};'],
      ['microkit.config.json', ''],
      ['package.json', '{ "microkit": { "board": "x" } }'],
      ['package.json', '{ "name": '],
      ['package.json', '[]'],
    ]) {
      const dir = tmpProject();
      writeFiles(dir, { [file]: content });
      expect(
        withHome(dir, () => mayFindConfig(dir)),
        `${file}: ${content}`,
      ).toBe(true);
    }
  });

  it('true for a config in a directory above, up to the home directory', () => {
    const home = tmpProject();
    writeFiles(home, { 'microkit.config.js': 'export default {};', 'a/b/.keep': '' });
    expect(withHome(home, () => mayFindConfig(join(home, 'a', 'b')))).toBe(true);
  });

  it('true when the global config directory exists', () => {
    const home = tmpProject();
    writeFiles(home, { 'no-xdg/microkit/config.json': '{}' });
    expect(withHome(home, () => mayFindConfig(home))).toBe(true);
  });
});
