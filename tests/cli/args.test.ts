/** Upstream's argument errors, SDK discovery errors and the no-SDK paths, through the in-process CLI. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliBuildArgs, USAGE, parseCommandLine } from '../../core/cli/args.js';
import { cli, firstErrorLine } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mk-cli-'));
  writeFileSync(join(dir, 'hello.system'), '<system><protection_domain name="hello"><program_image path="hello.elf"/></protection_domain></system>');
  return dir;
}

/** The sub-directories of `dir` in the order readdir(3) gives them, as `ls -f` (unsorted) prints them: upstream's order. */
function configsAsListed(dir: string): string[] {
  const ls = spawnSync('ls', ['-f', dir], { encoding: 'utf8' });
  return ls.stdout.split('\n').filter((n) => n !== '' && n !== '.' && n !== '..' && statSync(join(dir, n)).isDirectory());
}

describe('argument errors (upstream texts)', () => {
  it('lists missing required arguments after the usage line', async () => {
    const run = await cli(['hello.system'], { cwd: workdir() });
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(USAGE);
    expect(run.stderr.trim()).toBe('microkit: error: the following arguments are required: --board, --config');
    const none = await cli(['--board', 'qemu_virt_aarch64'], { cwd: workdir() });
    expect(none.stderr.trim()).toBe('microkit: error: the following arguments are required: --config, system');
  });

  it("a misspelt subcommand before the system: upstream's error, then the subcommand meant", async () => {
    const run = await cli(['chek', 'hello.system'], { cwd: workdir() });
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(USAGE);
    expect(run.stderr.split('\n').slice(0, 2)).toEqual(["microkit: error: unrecognized argument 'hello.system'", "  did you mean 'check'?"]);
    // Two systems: no subcommand is near, so nothing is suggested.
    const two = await cli(['a.system', 'b.system'], { cwd: workdir() });
    expect(two.stderr.trim()).toBe("microkit: error: unrecognized argument 'b.system'");
  });

  it('rejects an unknown board, image type and config choice', async () => {
    const cwd = workdir();
    const board = await cli(['hello.system', '--board', 'nope', '--config', 'debug'], { cwd });
    // Upstream's line first; then the known boards (and a suggestion when one is close).
    expect(board.stderr.split('\n')[0]).toBe("microkit: error: argument --board: unknown parameter 'nope'");
    expect(board.stderr).toMatch(/^ {2}known boards: [a-z]/m);
    // Wrapped to 100 columns, continuation lines under the first name.
    const listed = board.stderr
      .split('\n')
      .slice(1)
      .filter((l) => l !== '');
    for (const line of listed) expect(line.length).toBeLessThanOrEqual(100);
    expect(listed.slice(1).every((l) => l.startsWith(' '.repeat('  known boards: '.length)))).toBe(true);
    expect(listed.join(' ').replace(/\s+/g, ' ')).toMatch(/qemu_virt_aarch64, qemu_virt_aarch64_el1, qemu_virt_riscv64/);
    expect(board.stderr).not.toMatch(/did you mean/);
    const typo = await cli(['hello.system', '--board', 'qemu_virt_riscv46', '--config', 'debug'], { cwd });
    expect(typo.stderr.split('\n')[1]).toBe("  did you mean 'qemu_virt_riscv64'?");
    expect((await cli(['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '--image-type', 'png'], { cwd })).stderr.trim()).toBe(
      "microkit: error: argument --image-type: unknown parameter 'png'",
    );
    expect((await cli(['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'fast'], { cwd })).stderr.trim()).toBe(
      "microkit: error: argument --config: invalid choice 'fast' (choose from: benchmark, debug, release, smp-benchmark, smp-debug, smp-release)",
    );
  });

  it('reports a flag without its parameter and extra arguments', async () => {
    const cwd = workdir();
    const missing = await cli(['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '-o'], { cwd });
    expect(missing.stderr.trim()).toBe('microkit: error: argument --output: expected one parameter');
    const extra = await cli(['hello.system', 'other.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd });
    expect(extra.code).toBe(1);
    expect(extra.stdout.trim()).toBe(USAGE);
    expect(extra.stderr.trim()).toBe("microkit: error: unrecognized argument 'other.system'");
    const unknown = await cli(['hello.system', '--frobnicate'], { cwd });
    expect(unknown.stderr.trim()).toBe("microkit: error: unrecognized argument '--frobnicate'");
  });

  it("--help lists upstream's flags and exits 0", async () => {
    const run = await cli(['--help'], { cwd: workdir() });
    expect(run.code).toBe(0);
    // Upstream's first line, and argparse's lower-case titles.
    expect(run.stdout.split('\n')[0]).toBe(USAGE);
    expect(run.stdout).toMatch(/^options:$/m);
    for (const flag of [
      '--output',
      '--report',
      '--board',
      '--config',
      '--search-path',
      '--image-type',
      '--capdl-json',
      '--viper-output',
      '--override-kernel',
    ]) {
      expect(run.stdout).toContain(flag);
    }
  });

  it('checks without an SDK using preset facts', async () => {
    const cwd = workdir();
    const ok = await cli(['check', 'hello.system', '--board', 'qemu_virt_riscv64', '--config', 'release'], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    writeFileSync(join(cwd, 'bad.system'), '<system><protection_domain name="hello" priority="300"><program_image path="x"/></protection_domain></system>');
    const bad = await cli(['check', 'bad.system', '--board', 'qemu_virt_riscv64', '--config', 'release'], { cwd });
    expect(bad.code).toBe(1);
    expect(firstErrorLine(bad)).toBe("Error: priority must be between 0 and 254 on element 'protection_domain': bad.system:1:9");
  });

  it('says when the system file does not exist, and that a build needs an SDK', async () => {
    const cwd = workdir();
    const missing = await cli(['check', 'nope.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd });
    expect(missing.stderr.trim()).toBe("microkit: error: system description file 'nope.system' does not exist");
    const build = await cli(['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd });
    expect(build.code).toBe(1);
    expect(build.stderr).toContain('microkit: error: building needs a Microkit SDK');
  });
});

describe('--search-path takes zero or more directories, as upstream', () => {
  it('alone at the end is an empty list (it was "expected one parameter"), and values accumulate', () => {
    const bare = parseCommandLine(['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '--search-path']) as { args?: CliBuildArgs };
    expect(bare.args?.searchPath).toEqual([]);
    const two = parseCommandLine(['hello.system', '--search-path', 'a', 'b', '--board', 'x', '--search-path', 'c', '--search-path']) as { args?: CliBuildArgs };
    expect(two.args?.searchPath).toEqual(['a', 'b', 'c']);
    expect(two.args?.system).toBe('hello.system');
  });
});

describe('SDK discovery errors (upstream texts)', () => {
  it('MICROKIT_SDK must exist and have a board directory', async () => {
    const cwd = workdir();
    const args = ['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'];
    const gone = await cli(args, { cwd, env: { MICROKIT_SDK: join(cwd, 'no-sdk') } });
    expect(gone.stderr.trim()).toBe(`microkit: error: The MICROKIT_SDK directory '${join(cwd, 'no-sdk')}' does not exist`);
    mkdirSync(join(cwd, 'sdk'));
    const noBoards = await cli(args, { cwd, env: { MICROKIT_SDK: join(cwd, 'sdk') } });
    expect(noBoards.stderr.trim()).toBe(`microkit: error: The SDK directory does not have a 'board' sub-directory at '${join(cwd, 'sdk', 'board')}'`);
  });

  it.skipIf(!HAS_SHARED)('boards and configs come from the SDK when there is one', async () => {
    const cwd = workdir();
    const unknown = await cli(['hello.system', '--board', 'maaxboard', '--config', 'debug'], { cwd, env: { MICROKIT_SDK: SHARED_SDK } });
    expect(unknown.stderr.split('\n')[0]).toBe("microkit: error: argument --board: unknown parameter 'maaxboard'");
    expect(unknown.stderr).toMatch(/known boards: .*x86_64_generic/);
    const config = await cli(['hello.system', '--board', 'x86_64_generic', '--config', 'smp-release'], { cwd, env: { MICROKIT_SDK: SHARED_SDK } });
    const listed = configsAsListed(join(SHARED_SDK, 'board', 'x86_64_generic'));
    expect(listed.slice().sort()).toEqual(['benchmark', 'debug', 'release', 'smp-debug']);
    expect(config.stderr.trim()).toBe(`microkit: error: argument --config: invalid choice 'smp-release' (choose from: ${listed.join(', ')})`);
  });

  it("lists a board's configs in the file system's order, as upstream does (it sorts only boards)", async () => {
    const cwd = workdir();
    const board = join(cwd, 'sdk', 'board', 'qemu_virt_aarch64');
    for (const c of ['zeta', 'alpha', 'mid', 'beta']) mkdirSync(join(board, c), { recursive: true });
    writeFileSync(join(board, 'not-a-config'), '');
    const run = await cli(['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'nope'], { cwd, env: { MICROKIT_SDK: join(cwd, 'sdk') } });
    expect(run.stderr.trim()).toBe(`microkit: error: argument --config: invalid choice 'nope' (choose from: ${configsAsListed(board).join(', ')})`);
  });

  it('a missing SDK file is named', async () => {
    const cwd = workdir();
    const dir = join(cwd, 'sdk', 'board', 'qemu_virt_aarch64', 'debug');
    mkdirSync(dir, { recursive: true });
    const run = await cli(['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd, env: { MICROKIT_SDK: join(cwd, 'sdk') } });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`microkit: error: board ELF directory '${join(dir, 'elf')}' does not exist`);
    const check = await cli(['check', 'hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'], { cwd, env: { MICROKIT_SDK: join(cwd, 'sdk') } });
    expect(check.stderr.trim()).toBe(`microkit: error: kernel configuration file '${join(dir, 'include/kernel/gen_config.json')}' does not exist`);
  });
});

describe('subcommands', () => {
  it("boards lists the presets with their configs, and the SDK's boards when there is one", async () => {
    const run = await cli(['boards'], { cwd: workdir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^qemu_virt_riscv64 +riscv64 +debug,release,benchmark,smp-\* +uimage +- +- +4$/m);
    expect(run.stdout).not.toContain('SDK boards');
    if (HAS_SHARED) {
      const withSdk = await cli(['boards'], { cwd: workdir(), env: { MICROKIT_SDK: SHARED_SDK } });
      expect(withSdk.stdout).toMatch(/^ {2}x86_64_generic_noiommu +benchmark, debug, release, smp-debug$/m);
    }
  });

  it('sdk synth writes a synthetic SDK', async () => {
    const cwd = workdir();
    const run = await cli(['sdk', 'synth', '--board', 'qemu_virt_riscv64', '--config', 'debug', '--out', 'sdk'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("synthetic SDK for 'qemu_virt_riscv64' written to sdk");
    const build = await cli(['hello.system', '--board', 'qemu_virt_riscv64', '--config', 'debug', '-o', 'out/img'], {
      cwd,
      env: { MICROKIT_SDK: join(cwd, 'sdk') },
    });
    // The SDK is real enough to build against (the stub program image is missing here).
    expect(build.stderr.split('\n')[0]).toBe('Error: "unable to find program image: \'hello.elf\'"');
    const bad = await cli(['sdk', 'synth', '--board', 'nope', '--out', 'x'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("unknown preset 'nope'");
  });
});

describe.skipIf(!HAS_SHARED)('presets over an SDK', () => {
  it("a preset that extends an SDK board builds from that board's directory with its own options", async () => {
    const cwd = workdir();
    const setupRun = await cli(['check', 'hello.system', '--board', 'qemu-x86', '--config', 'debug'], { cwd, env: { MICROKIT_SDK: SHARED_SDK } });
    expect(setupRun.code, setupRun.stderr).toBe(0);
    const config = await cli(['check', 'hello.system', '--board', 'qemu-x86', '--config', 'smp-release'], { cwd, env: { MICROKIT_SDK: SHARED_SDK } });
    const listed = configsAsListed(join(SHARED_SDK, 'board', 'x86_64_generic')).join(', ');
    expect(config.stderr.trim()).toBe(`microkit: error: argument --config: invalid choice 'smp-release' (choose from: ${listed})`);
  });
});
