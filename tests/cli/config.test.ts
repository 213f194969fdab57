/** Config discovery (cosmiconfig), its precedence under command-line flags, and its validation. */
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveBuildSetup } from '../../core/cli/setup.js';
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { cli } from '../support/cli.js';

function env(cwd: string, vars: Record<string, string> = {}) {
  return {
    cwd,
    env: vars,
    stdout: () => {},
    stderr: () => {},
    presets: presetRegistry(),
    genericPreset: (a: 'aarch64' | 'riscv64' | 'x86_64') => genericPresetFor(a).name,
  };
}

function project(config: string, file = 'microkit.config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'mk-cfg-'));
  mkdirSync(join(dir, 'sys'));
  writeFileSync(join(dir, 'sys', 'a.system'), '<system><protection_domain name="a"><program_image path="a.elf"/></protection_domain></system>');
  writeFileSync(join(dir, file), config);
  return dir;
}

describe('config discovery', () => {
  it('finds microkit.config.json from a subdirectory and resolves paths against the file', async () => {
    const dir = project(JSON.stringify({ system: 'sys/a.system', board: 'qemu_virt_riscv64', config: 'release', searchPaths: ['sys'] }));
    const sub = join(dir, 'sys');
    const setup = await resolveBuildSetup('check', {}, env(sub));
    expect(setup.options.systemPath).toBe(join(dir, 'sys', 'a.system'));
    expect(setup.options.board).toBe('qemu_virt_riscv64');
    expect(setup.options.config).toBe('release');
    expect(setup.kernel.arch).toBe('riscv64');
    expect(setup.options.searchPaths).toEqual([sub, sub]);
    // Outputs the file does not name default to upstream's names in the working directory.
    expect(setup.options.outputs).toEqual({ image: join(sub, 'loader.img'), report: join(sub, 'report.txt'), capdlJson: undefined, viperDir: undefined });
  });

  it('finds a microkit key in package.json and a microkit.config.mjs', async () => {
    const pkg = project(JSON.stringify({ name: 'x', microkit: { system: 'sys/a.system', board: 'x86_64_generic', config: 'debug' } }), 'package.json');
    expect((await resolveBuildSetup('check', {}, env(pkg))).kernel.arch).toBe('x86_64');
    const mjs = project("export default { system: 'sys/a.system', board: 'qemu_virt_aarch64_el1', config: 'debug' };", 'microkit.config.mjs');
    const setup = await resolveBuildSetup('check', {}, env(mjs));
    expect(setup.kernel.hypervisor).toBe(false);
  });

  it('command-line flags override the file', async () => {
    const dir = project(
      JSON.stringify({ system: 'sys/a.system', board: 'qemu_virt_riscv64', config: 'release', outputs: { report: 'out/r.txt', capdlJson: 'out/c.json' } }),
    );
    const setup = await resolveBuildSetup('check', { board: 'x86_64_generic', config: 'debug', report: 'mine.txt' }, env(dir));
    expect(setup.options.board).toBe('x86_64_generic');
    expect(setup.options.config).toBe('debug');
    expect(setup.options.outputs.report).toBe(join(dir, 'mine.txt'));
    expect(setup.options.outputs.capdlJson).toBe(join(dir, 'out', 'c.json'));
  });

  it("MICROKIT_SDK wins over the file's sdk, and the file's sdk is relative to it", async () => {
    const dir = project(JSON.stringify({ system: 'sys/a.system', board: 'qemu_virt_aarch64', config: 'debug', sdk: 'no-such-sdk' }));
    await expect(resolveBuildSetup('check', {}, env(dir))).rejects.toThrow(`The SDK directory '${join(dir, 'no-such-sdk')}' does not exist`);
    await expect(resolveBuildSetup('check', {}, env(dir, { MICROKIT_SDK: join(dir, 'env-sdk') }))).rejects.toThrow(
      `The MICROKIT_SDK directory '${join(dir, 'env-sdk')}' does not exist`,
    );
  });

  it('rejects unknown options and wrong types, naming the file', async () => {
    const typo = project(JSON.stringify({ sytem: 'a.system' }));
    await expect(resolveBuildSetup('check', {}, env(typo))).rejects.toThrow(/microkit\.config\.json: unknown option 'sytem'/);
    const wrong = project(JSON.stringify({ board: 3 }));
    await expect(resolveBuildSetup('check', {}, env(wrong))).rejects.toThrow("'board' must be a string");
  });

  it('a config with sdk: synthetic builds a synthetic SDK on demand', async () => {
    const dir = project(JSON.stringify({ system: 'sys/a.system', board: 'qemu_virt_riscv64', config: 'debug', sdk: 'synthetic' }));
    const setup = await resolveBuildSetup('build', {}, env(dir));
    expect(setup.sdk?.synthetic).toBe(true);
    expect(existsSync(join(setup.sdk!.dir, 'elf', 'loader.elf'))).toBe(true);
    expect(readFileSync(join(setup.sdk!.root, 'SYNTHETIC'), 'utf8')).toMatch(/not boot/);
  });

  it('the CLI with no arguments uses the config file', async () => {
    const dir = project(JSON.stringify({ system: 'sys/a.system', board: 'qemu_virt_riscv64', config: 'debug' }));
    const run = await cli(['check'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
  });
});
