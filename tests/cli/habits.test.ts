/** Command-line habits: --version, help of each subcommand listing only its options, missing subcommands and options. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';
import { helloProject } from '../support/project.js';

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** The long options a help text lists. */
const optionsOf = (help: string) => [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1]);

describe('CLI habits', () => {
  it('--version and -V print the version', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await cli([flag], { cwd: helloProject() });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`microkit-ts ${VERSION} (drop-in for microkit 2.3.0-dev)\n`);
    }
  });

  it('check --help lists only what check reads', async () => {
    const run = await cli(['check', '--help'], { cwd: helloProject() });
    expect(run.code).toBe(0);
    expect(optionsOf(run.stdout)).toEqual([
      '--board',
      '--config',
      '--search-path',
      '--kernel-config',
      '--config-file',
      '--no-config',
      '--format',
      '--color',
      '--max-errors',
      '--deny-warnings',
      '--watch',
      '--help',
    ]);
  });

  it('the build command line lists its outputs and --no-config', async () => {
    const run = await cli(['--help'], { cwd: helloProject() });
    expect(optionsOf(run.stdout)).toEqual(
      expect.arrayContaining(['--output', '--report', '--capdl-json', '--viper-output', '--image-type', '--override-kernel', '--no-config', '--version']),
    );
  });

  it('microkit sdk alone prints its help and fails', async () => {
    const run = await cli(['sdk'], { cwd: helloProject() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^usage: microkit sdk/);
    expect(run.stderr).toMatch(/^ {2}synth /m);
  });

  it('sdk synth without --out says it is required', async () => {
    const run = await cli(['sdk', 'synth', '--board', 'qemu_virt_aarch64'], { cwd: helloProject() });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('microkit: error: the following arguments are required: --out\n');
    const empty = await cli(['sdk', 'synth', '--board', 'qemu_virt_aarch64', '--out'], { cwd: helloProject() });
    expect(empty.stderr).toBe('microkit: error: argument --out: expected one parameter\n');
  });

  it('check refuses output options it would ignore', async () => {
    const run = await cli(['check', 'hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '-o', 'x.img'], { cwd: helloProject() });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("microkit: error: unrecognized argument '-o'\n");
  });
});
