/**
 * Filesystem and process failures: every one is `microkit: error: …` (or
 * upstream's line) naming the user's path and the OS reason, exit 1, no
 * hang, no temporary names, no output after a failure, an existing output
 * untouched; stale staged files of dead processes are removed; SIGINT and
 * SIGTERM remove staged files and exit 130 / 143.
 */
import { BOARD, HELLO, build, expectCleanFailure, workspace } from './workspace.js';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { syntheticSdk } from '../support/build.js';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';

function partials(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.includes('.partial-')) : [];
}

/** An AArch64 stub program image whose last PT_LOAD segment's p_memsz is `memsz(old)`. */
function withLastSegmentMemsz(memsz: (old: bigint) => bigint): Uint8Array {
  const bytes = stubProgramImage({ arch: 'aarch64' });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phoff = Number(dv.getBigUint64(32, true));
  const loads = Array.from({ length: dv.getUint16(56, true) }, (_, i) => phoff + i * 56).filter((o) => dv.getUint32(o, true) === 1);
  const at = loads[loads.length - 1]! + 40;
  dv.setBigUint64(at, memsz(dv.getBigUint64(at, true)), true);
  return bytes;
}

describe('filesystem errors are clean', () => {
  it.skipIf(!existsSync('/proc/self'))('an output under /proc fails at once instead of looping in mkdir', async () => {
    const run = await build(workspace(), '-o', '/proc/nope/loader.img');
    expectCleanFailure(run, /^microkit: error: could not write '\/proc\/nope\/loader\.img': /);
  });

  it('an output whose parent is a file', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'afile'), 'x');
    expectCleanFailure(
      await build(dir, '-o', 'afile/loader.img'),
      /^microkit: error: could not write 'afile\/loader\.img': a component of the path is not a directory$/,
    );
  });

  it('an output that is a directory', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'loader.img'));
    expectCleanFailure(await build(dir, '-o', 'loader.img', '-r', 'report.txt'), /^microkit: error: could not write 'loader\.img': is a directory$/);
    expect(existsSync(join(dir, 'report.txt'))).toBe(false);
    expect(partials(dir)).toEqual([]);
  });

  it('an output named with a trailing separator is a directory, not a file without it', async () => {
    const dir = workspace();
    expectCleanFailure(await build(dir, '-o', 'out/', '-r', 'report.txt'), /^microkit: error: could not write 'out\/': is a directory$/);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(existsSync(join(dir, 'report.txt'))).toBe(false);
  });

  it('a failed build leaves an existing output as it was', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'loader.img'), 'previous image');
    mkdirSync(join(dir, 'report.txt'));
    expectCleanFailure(await build(dir, '-o', 'loader.img', '-r', 'report.txt'), /^microkit: error: could not write 'report\.txt': is a directory$/);
    expect(readFileSync(join(dir, 'loader.img'), 'utf8')).toBe('previous image');
    expect(partials(dir)).toEqual([]);
  });

  it("an empty system path does not exist (upstream's wording), rather than being the working directory", async () => {
    const run = await cli(['', '--board', BOARD, '--config', 'debug'], { cwd: workspace(), env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
    expectCleanFailure(run, /^microkit: error: system description file '' does not exist$/);
  });

  it('a system path that is a directory is not said to be missing', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'sys'));
    const run = await cli(['sys', '--board', BOARD, '--config', 'debug'], { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
    expectCleanFailure(run, /^microkit: error: could not read system description file 'sys': is a directory$/);
  });

  // Upstream's first lines (its build printed them for the same layout): the file named as its search found it.
  it('a program image that is a directory', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'imgs', 'hello.elf'), { recursive: true });
    expectCleanFailure(
      await build(dir, '--search-path', 'imgs'),
      "ERROR: failed to parse ELF 'imgs/hello.elf' for PD 'hello': failed to read ELF: Is a directory (os error 21)",
    );
    writeFileSync(join(dir, 'hello.system'), HELLO.replace('hello.elf', ''));
    expectCleanFailure(
      await build(dir, '--search-path', 'imgs/'),
      "ERROR: failed to parse ELF 'imgs/' for PD 'hello': failed to read ELF: Is a directory (os error 21)",
    );
  });

  it('a bad program image found through a search path is named through it, as given', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'imgs'));
    writeFileSync(join(dir, 'imgs', 'bad.elf'), 'not an ELF at all');
    writeFileSync(join(dir, 'hello.system'), HELLO.replace('hello.elf', './bad.elf'));
    expectCleanFailure(await build(dir, '--search-path', 'imgs'), "ERROR: failed to parse ELF 'imgs/./bad.elf' for PD 'hello': magic check failed");
    // The working directory is searched last, as an absolute path.
    writeFileSync(join(dir, 'bad.elf'), 'not an ELF either');
    expectCleanFailure(await build(dir), `ERROR: failed to parse ELF '${dir}/./bad.elf' for PD 'hello': magic check failed`);
  });

  it('sdk synth --out an existing file', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'afile'), 'x');
    const run = await cli(['sdk', 'synth', '--board', BOARD, '--out', 'afile'], { cwd: dir });
    expectCleanFailure(run, /^microkit: error: could not write the synthetic SDK to 'afile': /);
  });
});

describe('outputs that are not regular files', () => {
  // Through a symlink in a temporary directory, never /dev/null itself: if an output were staged and
  // renamed onto it, the rename would replace the link, not the device (as root it would replace /dev/null).
  it.skipIf(!existsSync('/dev/null'))('a device (a link to /dev/null) is written as a stream: the link and the device stay', async () => {
    const dir = workspace();
    symlinkSync('/dev/null', join(dir, 'report.txt'));
    const run = await build(dir, '-o', 'loader.img', '-r', 'report.txt');
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(join(dir, 'report.txt')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'report.txt'))).toBe('/dev/null');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(partials(dir)).toEqual([]);
    expect(existsSync(join(dir, 'loader.img'))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('a FIFO gets the whole report, read by another process', async () => {
    const dir = workspace();
    const fifo = join(dir, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.on('data', (d: Buffer) => (received += d.toString('utf8')));
    const closed = new Promise<void>((done) => reader.on('close', () => done()));
    const run = await build(dir, '-o', 'loader.img', '-r', 'report.fifo');
    await closed;
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(received).toMatch(/^# Initial Task \(CapDL Initialiser\) Details/m);
    expect(partials(dir)).toEqual([]);
  });

  it('a symlink to a file: the file gets the output, the link stays', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'report.txt'), 'old');
    symlinkSync(join(dir, 'real', 'report.txt'), join(dir, 'report.txt'));
    const run = await build(dir, '-o', 'loader.img', '-r', 'report.txt');
    expect(run.code, run.stderr).toBe(0);
    expect(lstatSync(join(dir, 'report.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'report.txt'), 'utf8')).toMatch(/Initial Task/);
    expect(partials(dir)).toEqual([]);
    expect(partials(join(dir, 'real'))).toEqual([]);
  });
});

describe('standard output that cannot be written', () => {
  const bin = join(REPO, 'dist/bundle/microkit.cjs');

  it.skipIf(!existsSync('/dev/full'))('a full device: one line on stderr, exit 1, no stack', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [bin, 'boards', '--long'], { cwd: workspace(), stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stderr).toBe('microkit: error: could not write to standard output: no space left on device\n');
    } finally {
      closeSync(full);
    }
  });

  it('a reader that went away: exit 141 (as SIGPIPE would), nothing on stderr', async () => {
    const child = spawn(process.execPath, [bin, 'boards', '--long'], { cwd: workspace(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    expect(stderr).toBe('');
    expect(code).toBe(141);
  });
});

describe('program images', () => {
  it("a missing image keeps upstream's first line, then names the <program_image> and the directories searched", async () => {
    const dir = workspace(HELLO.replace('hello.elf', 'nothere.elf'));
    const run = await build(dir, '--search-path', 'imgs');
    expectCleanFailure(run, /^Error: "unable to find program image: 'nothere\.elf'"$/);
    const lines = run.stderr.split('\n');
    expect(lines[1]).toBe(`  searched: ${join(dir, 'imgs')}, ${dir}`);
    expect(lines[2]).toBe('  --> hello.system:1:41 error[PROGRAM_IMAGE_MISSING]');
  });

  it('an ELF of another architecture is refused, naming the file and the machines', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'hello.elf'), stubProgramImage({ arch: 'x86_64' }));
    const run = await build(dir);
    expectCleanFailure(run, /^ERROR: program image '.*hello\.elf' for PD 'hello' is an ELF for x86-64 \(e_machine 62\), but the board is AArch64$/);
  });

  it("a 32-bit or big-endian ELF keeps upstream's messages", async () => {
    for (const [at, value, reason] of [
      [4, 1, "ELF '.*hello\\.elf': unsupported word size: '32'"],
      [5, 2, 'incorrect endianness, only little endian architectures are supported'],
    ] as const) {
      const dir = workspace();
      const bytes = stubProgramImage({ arch: 'aarch64' });
      bytes[at] = value;
      writeFileSync(join(dir, 'hello.elf'), bytes);
      expectCleanFailure(await build(dir), new RegExp(`^ERROR: failed to parse ELF '.*hello\\.elf' for PD 'hello': ${reason}$`));
    }
  });

  it("a segment claiming 4 GiB of memory is upstream's allocation error (it was an internal error copying the segment)", async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'hello.elf'),
      withLastSegmentMemsz((memsz) => memsz + (1n << 32n)),
    );
    // The first line as upstream's build printed it for hello.elf with the same change.
    expectCleanFailure(
      await build(dir),
      /^ERROR: cannot allocate memory for the initialiser, contiguous physical memory region of size 4\.\d\d GiB not found$/,
    );
  });

  it('a segment claiming 2^40 bytes is refused before its frames are built (it ran until killed; upstream aborts)', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'hello.elf'),
      withLastSegmentMemsz(() => 1n << 40n),
    );
    expectCleanFailure(
      await build(dir),
      /^ERROR: program image '.*hello\.elf' for PD 'hello': loadable segment \d of 0x10000000000 bytes is larger than all of the board's RAM \(0x[0-9a-f]+ bytes\)$/,
    );
  });

  it('a truncated or corrupt ELF is a clean error naming the file', async () => {
    const good = stubProgramImage({ arch: 'aarch64' });
    const cuts = [0, 3, 16, 63, 64, 100, good.length >> 1, good.length - 1];
    for (const n of cuts) {
      const dir = workspace();
      writeFileSync(join(dir, 'hello.elf'), good.subarray(0, n));
      const run = await build(dir);
      expectCleanFailure(run, /^ERROR: failed to parse ELF '.*hello\.elf' for PD 'hello': /);
    }
  });
});

describe('staged files', () => {
  it("stale partial files of dead processes are removed by the next build; a live process's are kept", async () => {
    const dir = workspace();
    // A pid far above pid_max cannot be running.
    writeFileSync(join(dir, 'loader.img.partial-2147483646'), 'left by a kill -9');
    writeFileSync(join(dir, `loader.img.partial-${process.ppid}`), 'another build, still running');
    writeFileSync(join(dir, 'loader.img.partial-x'), 'not ours');
    const run = await build(dir, '-o', 'loader.img', '-r', 'report.txt');
    expect(run.code, run.stderr).toBe(0);
    expect(partials(dir).sort()).toEqual([`loader.img.partial-${process.ppid}`, 'loader.img.partial-x']);
  });

  /** Runs the real executable with a plugin that stalls in `hook` (and says so with a marker file), then sends `signal`. */
  async function interrupt(
    hook: 'emit' | 'configure',
    signal: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; dir: string; stderr: string; stagedBefore: number }> {
    const dir = workspace();
    writeFileSync(
      join(dir, 'microkit.config.mjs'),
      `import { writeFileSync } from 'node:fs';
export default {
  system: 'hello.system', board: '${BOARD}', config: 'debug', sdk: ${JSON.stringify(syntheticSdk(BOARD))},
  outputs: { image: 'out/loader.img', report: 'out/report.txt' },
  plugins: [{ name: 'stall', apply(p) { p.hooks.${hook}.tapPromise('stall', () => { writeFileSync('stalled', ''); return new Promise(() => setInterval(() => {}, 1000)); }); } }],
};
`,
    );
    const child = spawn(process.execPath, [join(REPO, 'dist/core/cli/bin.js')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (c, s) => done([c, s])));
    while (!existsSync(join(dir, 'stalled'))) {
      const early = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 20))]);
      if (early) throw new Error(`the build ended before stalling: ${stderr}`);
    }
    const stagedBefore = partials(join(dir, 'out')).length;
    child.kill(signal);
    const [code, sig] = await exited;
    return { code, signal: sig, dir, stderr, stagedBefore };
  }

  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal} during emit removes staged outputs and exits ${code}`, async () => {
      const r = await interrupt('emit', signal);
      expect(r.stagedBefore).toBeGreaterThan(0);
      expect(r.code).toBe(code);
      expect(partials(join(r.dir, 'out'))).toEqual([]);
      expect(existsSync(join(r.dir, 'out', 'loader.img'))).toBe(false);
      expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
    }, 60_000);
  }

  it('a signal before anything is staged ends the process at once (the default action)', async () => {
    const r = await interrupt('configure', 'SIGTERM');
    expect(r.signal).toBe('SIGTERM');
    expect(existsSync(join(r.dir, 'out'))).toBe(false);
  }, 60_000);
});

describe('inputs that never end', () => {
  it.skipIf(!existsSync('/dev/zero'))('a device as the system or a program image is refused, not read forever', async () => {
    const dir = workspace();
    const sys = await cli(['/dev/zero', '--board', BOARD, '--config', 'debug'], { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
    expectCleanFailure(sys, /^microkit: error: could not read system description file '\/dev\/zero': not a regular file$/);
    writeFileSync(join(dir, 'dev.system'), HELLO.replace('hello.elf', '/dev/zero'));
    const img = await cli(['dev.system', '--board', BOARD, '--config', 'debug'], { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
    expectCleanFailure(img, /^microkit: error: could not read program image for PD 'hello' from '\/dev\/zero': not a regular file$/);
  });
});

describe('text inputs', () => {
  it('a system file that is not UTF-8 is refused (replacement characters would hide the corruption)', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'bad.system'),
      Buffer.concat([Buffer.from('<system><memory_region name="'), Buffer.from([0xff, 0xfe]), Buffer.from('" size="0x1000"/></system>')]),
    );
    const run = await cli(['bad.system', '--board', BOARD, '--config', 'debug'], { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
    expectCleanFailure(run, /^microkit: error: could not read system description file 'bad\.system': stream did not contain valid UTF-8$/);
  });

  it('a UTF-8 byte order mark is fine', async () => {
    const dir = workspace(`\ufeff${HELLO}`);
    const run = await build(dir, '-o', 'l.img', '-r', 'r.txt');
    expect(run.code, run.stderr).toBe(0);
  });
});
