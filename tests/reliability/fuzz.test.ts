/**
 * Property-based fuzzing (fast-check) of everything a user can hand the
 * tool: SDF text (random, and mutations of the conformance systems), program
 * images, prefill files and output paths. Properties: the outcome is a
 * result or a MicrokitError (exit 0 or 1), never a stack trace or an
 * "internal error"; nothing is written by a failed build; an existing output
 * is replaced whole or left alone. A sample also runs through the real
 * executable with a per-run timeout (no hang).
 *
 * Seeded, so CI runs are reproducible; FUZZ_SEED=<n> explores other inputs
 * and FUZZ_SCALE=<k> multiplies the run counts. Budget: well under 2 minutes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { loadProgramImage } from '../../core/program/images.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { syntheticSdk } from '../support/build.js';
import { cli, type CliRun } from '../support/cli.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';
import { HAS_SHARED, REPO, SHARED } from '../support/paths.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const BOARDS = ['qemu_virt_aarch64', 'qemu_virt_riscv64', 'x86_64_generic_vtx'] as const;

/** What no user-facing message may contain. */
const CRASH = /internal error|^\s+at .*:\d+:\d+\)?$|TypeError|ReferenceError|RangeError|\[object |\bNaN\b|\.partial-\d+/m;

async function outcomeOfCheck(text: string, board: string): Promise<'ok' | string> {
  try {
    await checkSystem(text, { file: 'f.system', kernel: presetKernel(board), plugins: presetPlugins(board) });
    return 'ok';
  } catch (e) {
    if (!isMicrokitError(e)) throw new Error(`not a MicrokitError: ${(e as Error)?.stack ?? String(e)}\n--- input ---\n${text.slice(0, 4000)}`);
    const msg = (e as Error).message;
    if (CRASH.test(msg) || msg.trim() === '') throw new Error(`bad message: ${msg}\n--- input ---\n${text.slice(0, 4000)}`);
    return msg;
  }
}

function cleanRun(run: CliRun): void {
  expect([0, 1], run.stderr).toContain(run.code);
  expect(run.stderr + run.stdout).not.toMatch(CRASH);
}

// --- mutations of real systems -------------------------------------------------

interface Example {
  readonly name: string;
  readonly text: string;
  /** Folders the CLI searches (stub images, the system's own folder). */
  readonly searchPaths: readonly string[];
}

function examples(board: string): Example[] {
  const golden = join(SHARED, 'conformance/examples/golden', board, 'debug');
  if (!existsSync(golden)) return [];
  return readdirSync(golden).flatMap((name) => {
    const args = JSON.parse(readFileSync(join(golden, name, 'args.json'), 'utf8')) as { system: string; search_paths: string[] };
    if (readFileSync(join(golden, name, 'exit_code'), 'utf8').trim() !== '0') return [];
    const base = join(SHARED, 'conformance/examples');
    return [{ name, text: readFileSync(join(base, args.system), 'utf8'), searchPaths: args.search_paths.map((p) => join(base, p)) }];
  });
}

const NUMBERS = [
  '0',
  '-1',
  '0x',
  '0x_',
  '1_000',
  '0X10',
  ' 5',
  '+7',
  '1e3',
  'zz',
  '🙂',
  '',
  '٣',
  '０x10',
  '0x800000000000',
  '0x1000000000000',
  '0x10000000000000',
  '0x1fffffffffffff',
  '0x20000000000000',
  '0x20000000000001',
  '0x8000000000000000',
  '0xffffffffffffffff',
  '0x10000000000000000',
  '18446744073709551615',
  '18446744073709551616',
  '99999999999999999999999',
];
const TEXT_BITS = [
  '\u0000',
  '\u0001',
  '\ufffe',
  '\ud800',
  '&',
  '<',
  '>',
  '"',
  "'",
  ']]>',
  '<!--',
  '&#0;',
  '&#x110000;',
  '&bogus;',
  'é',
  '\u{1F600}',
  '\r\n',
  '\t',
];
const ELEMENTS = [
  'protection_domain',
  'memory_region',
  'channel',
  'end',
  'map',
  'irq',
  'setvar',
  'virtual_machine',
  'vcpu',
  'domains',
  'io_address_space',
  'iomap',
  'x',
];

type Mutation = (text: string) => string;

const attributeSites = (text: string) => [...text.matchAll(/\s([a-z_]+)="([^"]*)"/g)];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(
    (k): Mutation =>
      (t) => {
        const a = attributeSites(t);
        if (a.length === 0) return t;
        const m = a[k % a.length];
        return t.slice(0, m.index) + t.slice(m.index! + m[0].length);
      },
  ),
  fc.nat().map(
    (k): Mutation =>
      (t) => {
        const a = attributeSites(t);
        if (a.length === 0) return t;
        const m = a[k % a.length];
        return t.slice(0, m.index! + m[0].length) + m[0] + t.slice(m.index! + m[0].length);
      },
  ),
  fc.tuple(fc.nat(), fc.constantFrom(...NUMBERS, ...TEXT_BITS)).map(
    ([k, v]): Mutation =>
      (t) => {
        const a = attributeSites(t);
        if (a.length === 0) return t;
        const m = a[k % a.length];
        const start = m.index! + m[0].indexOf('"') + 1;
        return t.slice(0, start) + v + t.slice(start + m[2].length);
      },
  ),
  fc.double({ min: 0, max: 1, noNaN: true }).map(
    (f): Mutation =>
      (t) =>
        t.slice(0, Math.floor(f * t.length)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...TEXT_BITS)).map(
    ([f, s]): Mutation =>
      (t) => {
        const at = Math.floor(f * t.length);
        return t.slice(0, at) + s + t.slice(at);
      },
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...ELEMENTS), fc.constantFrom(...NUMBERS)).map(
    ([f, tag, v]): Mutation =>
      (t) => {
        const at = t.indexOf('>', Math.floor(f * t.length));
        return at < 0 ? t : `${t.slice(0, at + 1)}<${tag} name="n" id="${v}" size="${v}" mr="n" vaddr="${v}"/>${t.slice(at + 1)}`;
      },
  ),
  fc.integer({ min: 1, max: 2000 }).map(
    (depth): Mutation =>
      (t) => {
        const at = t.lastIndexOf('</system>');
        return at < 0
          ? t
          : `${t.slice(0, at)}${'<protection_domain name="d" priority="1">'.repeat(depth)}${'</protection_domain>'.repeat(depth)}${t.slice(at)}`;
      },
  ),
  fc.string({ unit: 'binary', maxLength: 8 }).map(
    (s): Mutation =>
      (t) =>
        t.replace(/name="([^"]*)"/, `name="$1${s.replace(/["<&]/g, '')}"`),
  ),
);

describe('fuzz: SDF text', () => {
  it('random text and bytes: a system or a clean error', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => new TextDecoder().decode(b)),
      fc.string({ maxLength: 200 }).map((s) => `<system>${s}</system>`),
      fc
        .array(
          fc.constantFrom(
            '<system>',
            '</system>',
            '<protection_domain name="p">',
            '</protection_domain>',
            '<program_image path="a"/>',
            ...TEXT_BITS,
            ' x="1"',
            '<',
            '>',
          ),
          { maxLength: 40 },
        )
        .map((xs) => xs.join('')),
    );
    await fc.assert(
      fc.asyncProperty(text, fc.constantFrom(...BOARDS), async (t, board) => {
        await outcomeOfCheck(t, board);
      }),
      { seed: SEED, numRuns: runs(400) },
    );
  }, 120_000);

  it.skipIf(!HAS_SHARED)(
    'mutated conformance systems: a system or a clean error',
    async () => {
      const pool = BOARDS.flatMap((b) => examples(b === 'x86_64_generic_vtx' ? 'x86_64_generic' : b).map((e) => ({ ...e, board: b })));
      expect(pool.length).toBeGreaterThan(10);
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (k, ms) => {
          const ex = pool[k % pool.length];
          await outcomeOfCheck(
            ms.reduce((t, m) => m(t), ex.text),
            ex.board,
          );
        }),
        { seed: SEED, numRuns: runs(600) },
      );
    },
    120_000,
  );
});

describe.skipIf(!HAS_SHARED)('fuzz: full builds of mutated systems', () => {
  for (const [board, n] of [
    ['qemu_virt_aarch64', 40],
    ['qemu_virt_riscv64', 20],
    ['x86_64_generic', 20],
  ] as const)
    it(`${board}: exit 0 or 1, no crash, and no output file after a failure`, async () => {
      const pool = examples(board);
      const sdk = syntheticSdk(board);
      await fc.assert(
        fc.asyncProperty(fc.nat(), fc.array(mutation, { maxLength: 2 }), async (k, ms) => {
          const ex = pool[k % pool.length];
          const dir = mkdtempSync(join(tmpdir(), 'mk-fuzz-'));
          try {
            writeFileSync(
              join(dir, 'f.system'),
              ms.reduce((t, m) => m(t), ex.text),
            );
            const sp = ex.searchPaths.flatMap((p) => ['--search-path', p]);
            const run = await cli(
              ['f.system', '--board', board, '--config', 'debug', ...sp, '-o', 'out/loader.img', '-r', 'out/report.txt', '--capdl-json', 'out/capdl.json'],
              {
                cwd: dir,
                env: { MICROKIT_SDK: sdk },
              },
            );
            cleanRun(run);
            const out = existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')) : [];
            // x86 builds also copy the kernels next to the image, as upstream does.
            const extra = board.startsWith('x86') ? ['sel4.elf', 'sel4_32.elf'] : [];
            if (run.code === 0) expect(out.sort()).toEqual(['capdl.json', 'loader.img', 'report.txt', ...extra].sort());
            else expect(out).toEqual([]);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        { seed: SEED, numRuns: runs(n) },
      );
    }, 120_000);
});

describe('fuzz: program images and prefill files', () => {
  const files = (bytes: Uint8Array) => ({ resolve: (p: string) => p, read: () => bytes });
  for (const arch of ['aarch64', 'riscv64', 'x86_64'] as const) {
    it(`${arch}: corrupted ELFs load or give a clean error naming the file`, () => {
      const good = stubProgramImage({ arch, extraWordSymbols: ['x'] });
      const corrupt = fc.oneof(
        fc.nat({ max: good.length }).map((n) => good.slice(0, n)),
        fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }).map((flips) => {
          const b = good.slice();
          for (const [at, v] of flips) b[at] = v;
          return b;
        }),
        fc.tuple(fc.nat({ max: 63 }), fc.constantFrom(0, 0xff, 0x7f, 0x80)).map(([at, v]) => {
          // The header fields: counts, sizes and offsets at their extremes.
          const b = good.slice();
          for (let i = at; i < Math.min(64, at + 8); i++) b[i] = v;
          return b;
        }),
        fc.uint8Array({ maxLength: 256 }),
      );
      fc.assert(
        fc.property(corrupt, (bytes) => {
          try {
            loadProgramImage('pd', 'img.elf', undefined, { ...files(bytes), read: () => bytes, resolve: () => '/fuzz/img.elf' }, { arch });
          } catch (e) {
            if (!isMicrokitError(e)) throw new Error(`not a MicrokitError: ${(e as Error)?.stack ?? String(e)}`);
            expect((e as Error).message).toContain('/fuzz/img.elf');
            expect((e as Error).message).not.toMatch(CRASH);
          }
        }),
        { seed: SEED, numRuns: runs(400) },
      );
    });
  }

  it('any prefill file: a system or a clean error', async () => {
    const board = 'qemu_virt_aarch64';
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 9000 }), fc.constantFrom('0x1000', '0x2000', '0x200000'), async (bytes, size) => {
        const text = `<system><memory_region name="m" size="${size}" prefill_path="fill.bin"/><protection_domain name="p"><program_image path="p.elf"/><map mr="m" vaddr="0x400000"/></protection_domain></system>`;
        try {
          await checkSystem(text, { file: 'f.system', kernel: presetKernel(board), plugins: presetPlugins(board), files: files(bytes) });
        } catch (e) {
          if (!isMicrokitError(e)) throw e;
          expect((e as Error).message).not.toMatch(CRASH);
        }
      }),
      { seed: SEED, numRuns: runs(100) },
    );
  });
});

describe('fuzz: output paths', () => {
  it('odd, unwritable and colliding output paths: exit 0 or 1, outputs whole or untouched', async () => {
    const board = 'qemu_virt_aarch64';
    const sdk = syntheticSdk(board);
    const segment = fc.constantFrom('out', 'afile', 'adir', 'é', '\u{1F600}', ' ', '.', '..', 'x'.repeat(300), 'a:b', '-', 'loader.img', 'exists.img');
    const ref = mkdtempSync(join(tmpdir(), 'mk-outref-'));
    writeFileSync(join(ref, 'hello.system'), '<system><protection_domain name="hello"><program_image path="hello.elf"/></protection_domain></system>');
    writeFileSync(join(ref, 'hello.elf'), stubProgramImage({ arch: 'aarch64' }));
    expect(
      (await cli(['hello.system', '--board', board, '--config', 'debug', '-o', 'l.img', '-r', 'r.txt'], { cwd: ref, env: { MICROKIT_SDK: sdk } })).code,
    ).toBe(0);
    const reference = { image: readFileSync(join(ref, 'l.img')), report: readFileSync(join(ref, 'r.txt'), 'utf8') };
    const path = fc.oneof(
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((xs) => xs.join('/')),
      fc.constantFrom('/proc/nope/x.img', '/proc/self/status', '/dev/null', '/', '', 'afile/x.img', 'adir'),
    );
    await fc.assert(
      fc.asyncProperty(path, path, async (image, report) => {
        const dir = mkdtempSync(join(tmpdir(), 'mk-outfuzz-'));
        try {
          writeFileSync(join(dir, 'hello.system'), '<system><protection_domain name="hello"><program_image path="hello.elf"/></protection_domain></system>');
          writeFileSync(join(dir, 'hello.elf'), stubProgramImage({ arch: 'aarch64' }));
          writeFileSync(join(dir, 'afile'), 'a file');
          mkdirSync(join(dir, 'adir'));
          writeFileSync(join(dir, 'exists.img'), 'previous');
          const run = await cli(['hello.system', '--board', board, '--config', 'debug', '-o', image, '-r', report], { cwd: dir, env: { MICROKIT_SDK: sdk } });
          cleanRun(run);
          for (const [name, before] of [
            ['afile', 'a file'],
            ['exists.img', 'previous'],
          ] as const) {
            const now = readFileSync(join(dir, name));
            const [toImage, toReport] = [image, report].map((p) => p !== '' && resolve(dir, p) === join(dir, name));
            if (run.code === 1 || (!toImage && !toReport)) expect(now.toString(), name).toBe(before);
            // Replaced whole: exactly what a clean build writes.
            else if (toImage && !toReport) expect(Buffer.compare(now, reference.image), name).toBe(0);
            else if (toReport && !toImage) expect(now.toString(), name).toBe(reference.report);
          }
          const leftovers = spawnSync('find', [dir, '-name', '*.partial-*'], { encoding: 'utf8' }).stdout.trim();
          expect(leftovers).toBe('');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: SEED, numRuns: runs(80) },
    );
  }, 120_000);
});

describe.skipIf(!HAS_SHARED)('fuzz: the real executable, with a per-run timeout', () => {
  it('mutated systems never hang or crash the process', () => {
    const board = 'qemu_virt_aarch64';
    const pool = examples(board);
    const bin = join(REPO, 'dist/core/cli/bin.js');
    const dir = mkdtempSync(join(tmpdir(), 'mk-procfuzz-'));
    const samples = fc.sample(fc.tuple(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 })), { seed: SEED, numRuns: runs(12) });
    for (const [k, ms] of samples) {
      const ex = pool[k % pool.length];
      const text = ms.reduce((t, m) => m(t), ex.text);
      writeFileSync(join(dir, 'f.system'), text);
      const r = spawnSync(process.execPath, [bin, 'check', 'f.system', '--board', board, '--config', 'debug'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      expect(r.signal, `hung or killed on:\n${text.slice(0, 2000)}`).toBeNull();
      expect([0, 1]).toContain(r.status);
      expect(r.stderr).not.toMatch(CRASH);
    }
  }, 120_000);
});
