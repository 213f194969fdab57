/**
 * `--watch`: a change to the SDF and to a program image each trigger one
 * rebuild with a summary line; outputs are replaced whole; a failing build
 * leaves the last outputs and keeps watching; Ctrl-C ends it cleanly.
 * Builds run in child processes of dist/ (npm test builds it first). Waits
 * are bounded: a test fails rather than hangs.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../core/cli/main.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { syntheticSdk } from '../support/build.js';
import { REPO } from '../support/paths.js';

const HAS_DIST = existsSync(join(REPO, 'dist/core/cli/bin.js'));
const BOARD = 'qemu_virt_aarch64';
const WAIT_MS = 60_000;

const sdf = (extra = '') => `<system>
    <memory_region name="buf" size="0x1000" />
${extra}    <protection_domain name="hello" priority="1">
        <program_image path="hello.elf" />
        <map mr="buf" vaddr="0x2000000" perms="rw" />
    </protection_domain>
</system>
`;

/** Resolves when `pred` holds, polling; rejects after WAIT_MS. */
async function until(pred: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!pred()) {
    if (Date.now() - start > WAIT_MS) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mk-watch-'));
  writeFileSync(join(dir, 'hello.system'), sdf());
  writeFileSync(join(dir, 'hello.elf'), stubProgramImage({ arch: 'aarch64', extraWordSymbols: [] }));
  const args = [
    'hello.system',
    '--board',
    BOARD,
    '--config',
    'debug',
    '--search-path',
    dir,
    '-o',
    'out/loader.img',
    '-r',
    'out/report.txt',
    '--capdl-json',
    'out/capdl.json',
  ];
  return { dir, args };
}

describe.skipIf(!HAS_DIST)('microkit --watch', () => {
  it(
    'rebuilds once per change of the SDF and of a program image; a failing build keeps the outputs and keeps watching',
    async () => {
      const { dir, args } = setup();
      const out: string[] = [];
      const err: string[] = [];
      const controller = new AbortController();
      const running = runCli(['--watch', ...args], {
        cwd: dir,
        env: { MICROKIT_SDK: syntheticSdk(BOARD) },
        stdout: (l) => out.push(l),
        stderr: (l) => err.push(l),
        presets: presetRegistry(),
        genericPreset: (arch) => genericPresetFor(arch).name,
        signal: controller.signal,
      });
      const summaries = () => out.filter((l) => l.startsWith('MICROKIT|WATCH:'));
      const capdl = () => readFileSync(join(dir, 'out/capdl.json'), 'utf8');

      await until(() => summaries().length === 1, 'the first build');
      expect(summaries()[0]).toMatch(/^MICROKIT\|WATCH: built \(first build\): \d+ objects; watching \d+ files$/);
      const first = capdl();
      expect(first).not.toContain('mr_extra');

      // The SDF: a new region mapped into the PD.
      const withExtra = sdf('    <memory_region name="extra" size="0x2000" />\n');
      writeFileSync(
        join(dir, 'hello.system'),
        withExtra.replace('</protection_domain>', '    <map mr="extra" vaddr="0x3000000" perms="r" />\n    </protection_domain>'),
      );
      await until(() => summaries().length === 2, 'the rebuild after the SDF changed');
      expect(summaries()[1]).toMatch(/^MICROKIT\|WATCH: built \(changed: hello\.system\): objects \+\d+ -0, maps \+1 -0; watching \d+ files$/);
      const second = capdl();
      expect(second).not.toBe(first);
      expect(second).toContain('mr_extra');

      // The program image.
      writeFileSync(join(dir, 'hello.elf'), stubProgramImage({ arch: 'aarch64', extraWordSymbols: ['new_symbol'] }));
      await until(() => summaries().length === 3, 'the rebuild after the program image changed');
      expect(summaries()[2]).toMatch(/^MICROKIT\|WATCH: built \(changed: hello\.elf\): objects \+0 -0, maps \+0 -0; watching \d+ files$/);
      // The image's bytes are in the spec's frame fills.
      const third = capdl();
      expect(third).not.toBe(second);

      // A broken SDF: the build fails, the outputs stay as they were, the watch goes on.
      writeFileSync(join(dir, 'hello.system'), sdf().replace('size="0x1000"', 'size="0x1001"'));
      await until(() => summaries().length === 4, 'the failing build');
      expect(summaries()[3]).toMatch(/^MICROKIT\|WATCH: build failed \(changed: hello\.system\); watching \d+ files for changes$/);
      expect(err.join('\n')).toContain("Error: size is not a multiple of the page size on element 'memory_region'");
      expect(capdl()).toBe(third);
      expect(readdirSync(join(dir, 'out')).filter((f) => f.includes('.partial-'))).toEqual([]);

      // Fixed again: rebuilt, against the last good build.
      writeFileSync(join(dir, 'hello.system'), sdf());
      await until(() => summaries().length === 5, 'the rebuild after the fix');
      expect(summaries()[4]).toMatch(/^MICROKIT\|WATCH: built \(changed: hello\.system\): objects \+0 -\d+, maps \+0 -1; watching \d+ files$/);
      expect(capdl()).not.toContain('mr_extra');

      controller.abort();
      expect(await running).toBe(0);
      expect(out.at(-1)).toBe('MICROKIT|WATCH: stopped');
      // One summary per build: no extra rebuilds from the tool's own output files.
      expect(summaries()).toHaveLength(6);
    },
    5 * WAIT_MS,
  );

  it(
    'rebuilds when a module the config imports changes (the system in code, reloaded in a fresh process)',
    async () => {
      // Inside the repository, so the config's 'microkit-ts/system' resolves to this package.
      const base = join(REPO, '.microkit-cache');
      mkdirSync(base, { recursive: true });
      const dir = mkdtempSync(join(base, 'watch-config-'));
      writeFileSync(join(dir, 'hello.elf'), stubProgramImage({ arch: 'aarch64', extraWordSymbols: [] }));
      const systemModule = (size: string) =>
        `import { system } from 'microkit-ts/system';\nexport const sys = system();\nconst buf = sys.memoryRegion('buf', { size: ${size} });\n` +
        `sys.protectionDomain('hello', { programImage: 'hello.elf', priority: 1 }).map(buf, { vaddr: 0x2000000 });\n`;
      writeFileSync(join(dir, 'system.mjs'), systemModule('0x1000'));
      writeFileSync(
        join(dir, 'microkit.config.mjs'),
        `import { sys } from './system.mjs';\nexport default { system: sys, board: '${BOARD}', config: 'debug', searchPaths: ['.'], outputs: { capdlJson: 'out/capdl.json' } };\n`,
      );
      const out: string[] = [];
      const controller = new AbortController();
      const running = runCli(['--watch'], {
        cwd: dir,
        env: { MICROKIT_SDK: syntheticSdk(BOARD) },
        stdout: (l) => out.push(l),
        stderr: () => {},
        presets: presetRegistry(),
        genericPreset: (arch) => genericPresetFor(arch).name,
        signal: controller.signal,
      });
      const summaries = () => out.filter((l) => l.startsWith('MICROKIT|WATCH:'));
      try {
        await until(() => summaries().length === 1, 'the first build');
        expect(summaries()[0]).toMatch(/^MICROKIT\|WATCH: built \(first build\)/);
        const frames = () => (readFileSync(join(dir, 'out/capdl.json'), 'utf8').match(/"frame_mr_buf_/g) ?? []).length;
        expect(frames()).toBe(1);
        writeFileSync(join(dir, 'system.mjs'), systemModule('0x3000'));
        await until(() => summaries().length === 2, 'the rebuild after the imported module changed');
        expect(summaries()[1]).toMatch(/^MICROKIT\|WATCH: built \(changed: system\.mjs\): objects \+2 -0, maps \+0 -0; /);
        expect(frames()).toBe(3);
      } finally {
        controller.abort();
        await running;
        rmSync(dir, { recursive: true, force: true });
      }
    },
    3 * WAIT_MS,
  );

  it(
    'Ctrl-C (SIGINT) ends the watch with exit code 0',
    async () => {
      const { dir, args } = setup();
      const proc = spawn(process.execPath, [join(REPO, 'dist/core/cli/bin.js'), '--watch', ...args], {
        cwd: dir,
        env: { ...process.env, MICROKIT_SDK: syntheticSdk(BOARD) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      proc.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((done) => proc.on('close', (code) => done(code)));
      await until(() => stdout.includes('MICROKIT|WATCH: built'), 'the first build');
      proc.kill('SIGINT');
      const code = await Promise.race([exited, new Promise((_, fail) => setTimeout(() => fail(new Error('did not exit')), WAIT_MS))]);
      expect(code).toBe(0);
      expect(stdout.trimEnd().split('\n').at(-1)).toBe('MICROKIT|WATCH: stopped');
    },
    3 * WAIT_MS,
  );
});
