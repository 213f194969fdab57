/**
 * Hostile input at every edge of the CLI: each case is a clean, located
 * `microkit: error: …` and exit 1, never "internal error", a stack, a hang,
 * or a build that should not have happened.
 */
import { BOARD, HELLO, build, expectCleanFailure, workspace } from './workspace.js';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { syntheticSdk } from '../support/build.js';
import { cli, type CliRun } from '../support/cli.js';
import { REPO } from '../support/paths.js';

describe('--kernel-config values out of range or of the wrong shape', () => {
  const cases: [string, string][] = [
    ['{"word_size": 7}', "field 'word_size' must be 64"],
    ['{"word_size": 18446744073709551617}', "field 'word_size' must be 64"],
    ['{"num_cores": 0}', "field 'num_cores' must be between 1 and 65535"],
    ['{"cap_address_bits": 1e15}', "field 'cap_address_bits' must be between 1 and 64"],
    ['{"riscv_pt_levels": 99}', "field 'riscv_pt_levels' must be 'Sv39', 'Sv48', 3 or 4"],
    ['{"address_space_constants": null}', "field 'address_space_constants' must be a JSON object"],
    ['{"address_space_constants": 5}', "field 'address_space_constants' must be a JSON object"],
    ['{"address_space_constants": {"page_table_index_bits": 100}}', "field 'address_space_constants.page_table_index_bits' must be between 1 and 64"],
    ['{"object_sizes": null}', "field 'object_sizes' must be a JSON object"],
    ['{"object_sizes": {"tcb": 1000}}', "field 'object_sizes.tcb' must be between 0 and 64"],
    ['{"platform": 5}', "field 'platform' must be a JSON object"],
    ['{"platform": {"memory": [], "devices": 5}}', "field 'platform.devices' must be an array of {start, end} ranges"],
    ['{"platform": {"memory": [{"start": 1}], "devices": []}}', "field 'platform.memory[0].end' must be an integer"],
  ];
  for (const [json, problem] of cases) {
    it(json, async () => {
      const dir = workspace();
      writeFileSync(join(dir, 'kc.json'), json);
      expectCleanFailure(await build(dir, '--kernel-config', 'kc.json'), `microkit: error: kernel config 'kc.json': ${problem}`);
    });
  }

  it('values in range still build', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'kc.json'), '{"word_size": 64, "num_cores": 4, "address_space_constants": {"vspace_user_top": "0xffffffffff"}}');
    const run = await build(dir, '--kernel-config', 'kc.json');
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('an output on another output or on an input', () => {
  const cases: [string, string[], string][] = [
    ['-o and -r on one file', ['-o', 'same.img', '-r', './same.img'], "could not write './same.img': it is also the boot image (-o)"],
    ['--capdl-json on the image', ['--capdl-json', 'loader.img'], "could not write 'loader.img': it is also the boot image (-o)"],
    ['-o on the SDF', ['-o', 'hello.system'], "could not write 'hello.system': it is also the system description file"],
    ['-r on a program image', ['-r', 'hello.elf'], "could not write 'hello.elf': it is also an input of this build"],
    [
      '--manifest on the kernel config',
      ['--kernel-config', 'kc.json', '--manifest', 'kc.json'],
      "could not write 'kc.json': it is also the kernel config (--kernel-config)",
    ],
  ];
  for (const [name, args, problem] of cases) {
    it(name, async () => {
      const dir = workspace();
      writeFileSync(join(dir, 'kc.json'), '{}');
      const before = readdirSync(dir)
        .sort()
        .map((n) => [n, readFileSync(join(dir, n))]);
      expectCleanFailure(await build(dir, ...args), `microkit: error: ${problem}`);
      // Nothing written, nothing replaced.
      expect(
        readdirSync(dir)
          .sort()
          .map((n) => [n, readFileSync(join(dir, n))]),
      ).toEqual(before);
    });
  }

  it('a symlink to a program image is the program image', async () => {
    const dir = workspace();
    symlinkSync('hello.elf', join(dir, 'link.elf'));
    expectCleanFailure(await build(dir, '--capdl-json', 'link.elf'), "microkit: error: could not write 'link.elf': it is also an input of this build");
  });

  it('two outputs to one device are fine (streams, not files)', async () => {
    const dir = workspace();
    symlinkSync('/dev/null', join(dir, 'null'));
    const run = await build(dir, '-o', 'null', '-r', 'null');
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(join(dir, 'null')).isSymbolicLink()).toBe(true);
  });
});

describe('config code that misbehaves', () => {
  async function withConfig(code: string): Promise<CliRun> {
    const dir = workspace();
    writeFileSync(join(dir, 'microkit.config.mjs'), code);
    return build(dir);
  }

  it('a getter that throws is a config load error, located', async () => {
    const run = await withConfig('export default { get board() { throw new Error("getter boom"); } };\n');
    expectCleanFailure(run, "microkit: error: could not load config 'microkit.config.mjs': getter boom");
  });

  it("a plugin's apply that returns a (rejected) promise fails in hook 'apply'", async () => {
    const run = await withConfig('export default { plugins: [{ name: "p", apply() { return Promise.reject(new Error("async boom")); } }] };\n');
    expectCleanFailure(
      run,
      "microkit: error: plugin 'p' failed in hook 'apply': apply(pipeline) returned a promise; it must be synchronous (tap hooks with tapPromise for async work)",
    );
  });

  // Node ends a process with a pending promise and an empty event loop with exit code 0: only the real process shows it.
  for (const [name, code] of [
    ['a top-level await that never settles', 'await new Promise(() => {});\nexport default {};\n'],
    [
      'a promise tap that never settles',
      'export default { plugins: [{ name: "p", apply(p) { p.hooks.emit.tapPromise("p", () => new Promise(() => {})); } }] };\n',
    ],
  ]) {
    it(`${name}: exit 1, not 0 with nothing built`, () => {
      const dir = workspace();
      writeFileSync(join(dir, 'microkit.config.mjs'), code);
      const run = spawnSync(process.execPath, [join(REPO, 'dist/bundle/microkit.cjs'), 'hello.system', '--board', BOARD, '--config', 'debug'], {
        cwd: dir,
        env: { ...process.env, MICROKIT_SDK: syntheticSdk(BOARD) },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain('microkit: error: the command stopped before finishing: a promise it waited for never settles');
      expect(existsSync(join(dir, 'loader.img'))).toBe(false);
    });
  }
});

describe('empty names', () => {
  for (const option of ['-o', '-r', '--capdl-json', '--viper-output', '--manifest']) {
    it(`${option} '' is no file (it was the working directory, or wrote the Viper views into it)`, async () => {
      const dir = workspace();
      expectCleanFailure(await build(dir, option, ''), "microkit: error: could not write '': no such file or directory");
      expect(readdirSync(dir).sort()).toEqual(['hello.elf', 'hello.system']);
    });
  }

  it("--kernel-config '' does not exist", async () => {
    expectCleanFailure(await build(workspace(), '--kernel-config', ''), "microkit: error: kernel config '' does not exist");
  });

  it("--config-file '' does not exist", async () => {
    expectCleanFailure(await build(workspace(), '--config-file', ''), "microkit: error: could not load config '': no such file");
  });

  it("a config's outputs.image '' is not a path", async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'microkit.config.mjs'), "export default { outputs: { image: '' } };\n");
    const run = await build(dir);
    expectCleanFailure(run, "microkit: error: microkit.config.mjs: 'outputs.image' must be a path or false");
  });
});

describe("a config's TypeScript system with an argument of the wrong kind", () => {
  it('is the system API error at the call, not a config load error', async () => {
    const dir = workspace();
    const api = join(REPO, 'dist/bundle/system.js');
    writeFileSync(
      join(dir, 'microkit.config.ts'),
      `import { system } from '${api}';\nconst sys = system();\nsys.protectionDomain('hello', null);\nexport default { system: sys, board: '${BOARD}', config: 'debug' };\n`,
    );
    const run = await cli([], { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
    // In process the path is shown from the test's working directory, not the build's.
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/^Error: protectionDomain\(name, options\): the options must be an object @ \S*microkit\.config\.ts:3:5$/);
    expect(run.stderr).toContain('error[SYSTEM_API]');
  });
});

describe('sdk synth', () => {
  it("--out '' is no directory (it wrote the SDK into the working directory)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-edges-'));
    const run = await cli(['sdk', 'synth', '--board', BOARD, '--config', 'debug', '--out', ''], { cwd: dir });
    expectCleanFailure(run, "microkit: error: could not write the synthetic SDK to '': no such file or directory");
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('inspect -o', () => {
  async function built(): Promise<string> {
    const dir = workspace();
    const run = await build(dir);
    expect(run.code, run.stderr).toBe(0);
    return dir;
  }

  it('on the image itself is refused, the image untouched (it was replaced by its summary)', async () => {
    const dir = await built();
    const image = readFileSync(join(dir, 'loader.img'));
    symlinkSync('loader.img', join(dir, 'link.img'));
    for (const input of ['loader.img', 'link.img']) {
      const run = await cli(['inspect', input, '-o', 'loader.img'], { cwd: dir });
      expectCleanFailure(run, "microkit: error: could not write 'loader.img': it is also the image being inspected");
      expect(readFileSync(join(dir, 'loader.img')).equals(image)).toBe(true);
    }
  });

  it("'' and a trailing separator are no file; nothing is written", async () => {
    const dir = await built();
    expectCleanFailure(await cli(['inspect', 'loader.img', '-o', ''], { cwd: dir }), "microkit: error: could not write '': no such file or directory");
    expectCleanFailure(await cli(['inspect', 'loader.img', '-o', 'out/'], { cwd: dir }), "microkit: error: could not write 'out/': is a directory");
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expectCleanFailure(await cli(['inspect', ''], { cwd: dir }), "microkit: error: could not read image '': no such file or directory");
  });

  it('an unwritable place is the usual message (it was the errno code)', async () => {
    const dir = await built();
    expectCleanFailure(
      await cli(['inspect', 'loader.img', '-o', 'hello.elf/x'], { cwd: dir }),
      "microkit: error: could not write 'hello.elf/x': a component of the path is not a directory",
    );
  });

  it('a file output is still written, and a device through a symlink stays a device', async () => {
    const dir = await built();
    expect((await cli(['inspect', 'loader.img', '-o', 'sum.txt'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'sum.txt'), 'utf8')).toMatch(/^Image: loader\.img/);
    symlinkSync('/dev/null', join(dir, 'null'));
    expect((await cli(['inspect', 'loader.img', '--json', '-o', 'null'], { cwd: dir })).code).toBe(0);
    expect(lstatSync(join(dir, 'null')).isSymbolicLink()).toBe(true);
  });
});

describe('graph -o', () => {
  const graph = (dir: string, ...args: string[]) => cli(['graph', 'hello.system', '--board', BOARD, ...args], { cwd: dir });

  it('on the SDF is refused, the SDF untouched (it was replaced by the drawing)', async () => {
    const dir = workspace();
    expectCleanFailure(
      await graph(dir, '-o', 'hello.system', '--format', 'svg'),
      "microkit: error: could not write 'hello.system': it is also the system description file",
    );
    expect(readFileSync(join(dir, 'hello.system'), 'utf8')).toBe(HELLO);
  });

  it('a device through a symlink is written, not replaced by a renamed file', async () => {
    const dir = workspace();
    symlinkSync('/dev/null', join(dir, 'null'));
    const run = await graph(dir, '-o', 'null', '--format', 'svg');
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(join(dir, 'null')).isSymbolicLink()).toBe(true);
  });

  it("a directory, '' and an unwritable place are the usual messages (they were errno codes)", async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'd.svg'));
    expectCleanFailure(await graph(dir, '-o', 'd.svg'), "microkit: error: could not write 'd.svg': is a directory");
    expectCleanFailure(await graph(dir, '-o', ''), "microkit: error: could not write '': no such file or directory");
    expectCleanFailure(
      await graph(dir, '-o', 'hello.elf/x.svg'),
      "microkit: error: could not write 'hello.elf/x.svg': a component of the path is not a directory",
    );
    expect(readdirSync(dir).sort()).toEqual(['d.svg', 'hello.elf', 'hello.system']);
  });
});

describe('config files the search finds', () => {
  it('a malformed package.json is a config load error (it was an internal error)', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'package.json'), '{bad json');
    const run = await build(dir);
    expectCleanFailure(
      run,
      "microkit: error: could not load config 'package.json': Expected property name or '}' in JSON at position 1 while parsing '{bad json'",
    );
  });

  // picocolors (under cosmiconfig's parse-json) colours its code frame when a `CI` variable is set or colour is forced:
  // the reason must be found past the escapes (CI printed the frame's first line instead).
  for (const [name, env] of [
    ['colour forced', { FORCE_COLOR: '1', CI: 'true' }],
    ['colour off', { NO_COLOR: '1', CI: undefined, FORCE_COLOR: undefined }],
  ] as const) {
    it(`a malformed package.json gives the same reason with ${name}`, () => {
      const dir = workspace();
      writeFileSync(join(dir, 'package.json'), '{bad json');
      const run = spawnSync(process.execPath, [join(REPO, 'dist/bundle/microkit.cjs'), 'hello.system', '--board', BOARD, '--config', 'debug'], {
        cwd: dir,
        env: { ...process.env, ...env, MICROKIT_SDK: syntheticSdk(BOARD) },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expectCleanFailure(
        { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr },
        "microkit: error: could not load config 'package.json': Expected property name or '}' in JSON at position 1 while parsing '{bad json'",
      );
    });
  }

  it("a config's system '' is not a file name (it read the config's directory)", async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'microkit.config.json'), '{"system": ""}');
    const run = await cli(['--board', BOARD, '--config', 'debug'], { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
    expectCleanFailure(run, "microkit: error: microkit.config.json: 'system' must be a file name or a system made with system() from 'microkit-ts/system'");
  });
});

describe('sdf -o', () => {
  it('on the config whose TypeScript system it writes is refused, the config untouched (it was replaced by the SDF)', async () => {
    const dir = workspace();
    const config = `import { system } from '${join(REPO, 'dist/bundle/system.js')}';\nconst sys = system();\nsys.protectionDomain('hello', { programImage: 'hello.elf' });\nexport default { system: sys, board: '${BOARD}', config: 'debug' };\n`;
    writeFileSync(join(dir, 'microkit.config.ts'), config);
    const run = await cli(['sdf', '-o', 'microkit.config.ts'], { cwd: dir });
    expectCleanFailure(run, "microkit: error: could not write 'microkit.config.ts': it is also the config file the system comes from");
    expect(readFileSync(join(dir, 'microkit.config.ts'), 'utf8')).toBe(config);
  });

  it("'' and a trailing separator are no file", async () => {
    const dir = workspace();
    const sdf = (o: string) => cli(['sdf', '--from', 'hello.system', '--board', BOARD, '--config', 'debug', '-o', o], { cwd: dir });
    expectCleanFailure(await sdf(''), "microkit: error: could not write '': no such file or directory");
    expectCleanFailure(await sdf('out/'), "microkit: error: could not write 'out/': is a directory");
    expect(readdirSync(dir).sort()).toEqual(['hello.elf', 'hello.system']);
  });
});

describe('an SDK whose kernel files are JSON but not objects', () => {
  function brokenSdk(file: string, text: string): string {
    const root = mkdtempSync(join(tmpdir(), 'mk-edges-sdk-'));
    cpSync(syntheticSdk(BOARD), root, { recursive: true });
    writeFileSync(join(root, 'board', BOARD, 'debug', file), text);
    return root;
  }

  it('object_sizes.json null is an SDK error (it was an internal error)', async () => {
    const sdk = brokenSdk('object_sizes.json', 'null');
    const run = await cli(['hello.system', '--board', BOARD, '--config', 'debug'], { cwd: workspace(), env: { MICROKIT_SDK: sdk } });
    expectCleanFailure(
      run,
      `microkit: error: Unable to parse kernel object sizes file '${join(sdk, 'board', BOARD, 'debug', 'object_sizes.json')}': expected a JSON object`,
    );
    const inspect = await cli(['inspect', 'hello.elf', '--sdk', sdk, '--board', BOARD, '--config', 'debug'], { cwd: workspace() });
    expectCleanFailure(inspect, `microkit: error: cannot read '${join(sdk, 'board', BOARD, 'debug', 'object_sizes.json')}': expected a JSON object`);
  });

  it("platform_gen.json's memory not a list is an SDK error (it was an internal error)", async () => {
    const sdk = brokenSdk('platform_gen.json', '{"memory": 5, "devices": []}');
    const run = await cli(['hello.system', '--board', BOARD, '--config', 'debug'], { cwd: workspace(), env: { MICROKIT_SDK: sdk } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr.split('\n')[0]).toMatch(/JSON field 'memory' is not a list of \{start, end\} ranges$/);
    expect(run.stderr).not.toMatch(/internal error/);
  });
});
