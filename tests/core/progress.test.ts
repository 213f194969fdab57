/** The progress line: when it is drawn and erased, and that it never touches stdout. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../core/cli/main.js';
import { ProgressMeter, type ProgressOptions } from '../../core/progress.js';
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { HAS_SHARED, REPO, SHARED_SDK } from '../support/paths.js';

const ERASE = '\r\x1b[2K';

function meterWithClock(options: Partial<ProgressOptions> = {}) {
  let t = 0;
  const writes: string[] = [];
  const meter = new ProgressMeter({ write: (s) => writes.push(s), now: () => t, ...options });
  return { meter, writes, at: (ms: number) => (t = ms) };
}

describe('ProgressMeter', () => {
  it('draws nothing during the first second', () => {
    const { meter, writes, at } = meterWithClock();
    meter.stage('parse');
    at(999);
    meter.objects(65536);
    meter.clear();
    expect(writes).toEqual([]);
  });

  it('then draws stage, objects, bytes and time on one line, redrawn at most every interval', () => {
    const { meter, writes, at } = meterWithClock();
    at(1000);
    meter.stage('allocate: core/system');
    expect(writes).toEqual([`${ERASE}microkit: allocate: core/system · 1.0 s`]);
    at(1050);
    meter.objects(131072);
    expect(writes).toHaveLength(1);
    at(1200);
    meter.bytes(3 * 2 ** 20);
    expect(writes[1]).toBe(`${ERASE}microkit: allocate: core/system · 131,072 objects · 3.0 MiB written · 1.2 s`);
    // A new stage is shown at once.
    at(1210);
    meter.stage('emit: report');
    expect(writes[2]).toContain('emit: report');
  });

  it('erases the line only when one is shown, and cuts it to the terminal width', () => {
    const { meter, writes, at } = meterWithClock({ columns: 20 });
    at(5000);
    meter.stage('emit: capdl-json');
    expect(writes[0]).toBe(`${ERASE}${'microkit: emit: capdl-json'.slice(0, 19)}`);
    meter.clear();
    meter.clear();
    expect(writes.slice(1)).toEqual([ERASE]);
  });
});

describe.skipIf(!HAS_SHARED)('the CLI with a progress line', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const hello = join(REPO, 'examples/hello');

  async function run(extra: string[], progress: boolean, command: string[] = []) {
    const dir = mkdtempSync(join(tmpdir(), 'mk-progress-'));
    dirs.push(dir);
    const drawn: string[] = [];
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      [
        ...command,
        join(hello, 'hello.system'),
        '--board',
        'qemu_virt_aarch64',
        '--config',
        'debug',
        '--search-path',
        hello,
        // check writes nothing, so it takes no output options.
        ...(command[0] === 'check' ? [] : ['-o', join(dir, 'loader.img'), '-r', join(dir, 'report.txt')]),
        ...extra,
      ],
      {
        cwd: dir,
        env: { MICROKIT_SDK: SHARED_SDK },
        stdout: (l) => (stdout += `${l}\n`),
        stderr: (l) => (stderr += `${l}\n`),
        presets: presetRegistry(),
        genericPreset: (arch) => genericPresetFor(arch).name,
        // No delay, so even hello shows it.
        progress: progress ? { write: (s) => drawn.push(s), delayMs: 0, intervalMs: 0 } : undefined,
      },
    );
    return { code, stdout, stderr, drawn };
  }

  it('shows the stages on the progress writer, erases the line at the end, and leaves stdout as without it', async () => {
    const plain = await run([], false);
    const withLine = await run([], true);
    expect(withLine.code).toBe(0);
    expect(withLine.stdout).toBe(plain.stdout);
    expect(withLine.stderr).toBe(plain.stderr);
    const text = withLine.drawn.join('');
    expect(text).toContain('microkit: allocate: core/system');
    expect(text).toContain('microkit: allocate: final sort');
    expect(text).toContain('microkit: allocate: boot emulation');
    expect(text).toContain('microkit: emit: report');
    expect(text).toMatch(/MiB written/);
    expect(withLine.drawn.at(-1)).toBe(ERASE);
  });

  it('draws nothing with --quiet, or for check', async () => {
    expect((await run(['--quiet'], true)).drawn).toEqual([]);
    const check = await run([], true, ['check']);
    expect(check.code).toBe(0);
    expect(check.drawn).toEqual([]);
  });
});
