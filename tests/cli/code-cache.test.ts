/**
 * The bundled CLI's V8 code cache (core/cli/code-cache.ts, launcher.ts): made
 * by the first run, accepted by the next, a corrupt or foreign one rejected and
 * replaced, an unwritable place or concurrent runs never a failure, and the
 * outputs the same with and without it. Checked by what V8 and the files say,
 * not by time (the gain is measured by `npm run bench`, docs/performance.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheFile, KEPT_CACHES, loadCachedCommonJs } from '../../core/cli/code-cache.js';
import { HAS_SHARED, REPO, SHARED_SDK } from '../support/paths.js';
import { helloProject } from '../support/project.js';

const BIN = join(REPO, 'dist/bundle/microkit.cjs');
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

const HELLO_ARGS = ['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '-o', 'loader.img', '-r', 'report.txt'];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The bundled CLI in `dir` with its code cache under `cache`, reporting what became of it. */
function run(dir: string, cache: string, args: string[] = HELLO_ARGS, extraEnv: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, 'no-xdg'),
      XDG_CACHE_HOME: cache,
      MICROKIT_SDK: SHARED_SDK,
      MICROKIT_CODE_CACHE: 'report',
      ...extraEnv,
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheFiles = (cache: string) => (existsSync(join(cache, 'microkit-ts')) ? readdirSync(join(cache, 'microkit-ts')) : []);

describe('codeCacheDir', () => {
  it('XDG_CACHE_HOME, else ~/.cache; MICROKIT_CODE_CACHE_DIR first; none when off or without a home', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/h' })).toBe(join('/x/cache', 'microkit-ts'));
    expect(codeCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/h' })).toBe(join('/h', '.cache', 'microkit-ts'));
    expect(codeCacheDir({ HOME: '/h' })).toBe(join('/h', '.cache', 'microkit-ts'));
    expect(codeCacheDir({ MICROKIT_CODE_CACHE_DIR: '/d', HOME: '/h' })).toBe('/d');
    expect(codeCacheDir({ MICROKIT_CODE_CACHE: 'off', HOME: '/h' })).toBeUndefined();
    expect(codeCacheDir({})).toBeUndefined();
  });

  it("names the file by the source's CRC-32 and length, its path, this Node and Node's options", () => {
    const source = Buffer.from('exports.v = 1;');
    const file = codeCacheFile('/d', source, '/a/core.cjs', []);
    expect(file).toMatch(new RegExp(`^/d/${crc32(source).toString(16).padStart(8, '0')}-14-p[0-9a-f]{8}-node${process.version}-${process.arch}\\.v8cache$`));
    expect(codeCacheFile('/d', Buffer.from('exports.v = 2;'), '/a/core.cjs', [])).not.toBe(file);
    // The same bundle installed elsewhere: V8 would give its stack frames the first install's file name.
    expect(codeCacheFile('/d', source, '/b/core.cjs', [])).not.toBe(file);
    expect(codeCacheFile('/d', source, '/a/core.cjs', [])).toBe(file);
    const withFlag = codeCacheFile('/d', source, '/a/core.cjs', ['--max-old-space-size=4096']);
    expect(withFlag).not.toBe(file);
    expect(codeCacheFile('/d', source, '/a/core.cjs', ['--max-old-space-size=4096'])).toBe(withFlag);
    expect(codeCacheFile('/d', source, '/a/core.cjs', ['--max-old-space-size=8192'])).not.toBe(withFlag);
  });
});

describe('loadCachedCommonJs', () => {
  it('registers the module as require would, so require() gets the same exports', () => {
    const dir = tmp('mk-cjs-');
    const file = join(dir, 'm.cjs');
    writeFileSync(file, 'exports.made = {}; exports.file = __filename; exports.self = () => require(__filename);');
    const cache = join(dir, 'c');
    const first = loadCachedCommonJs(file, cache);
    const exports = first.exports as { made: object; file: string; self: () => unknown };
    expect(exports.file).toBe(file);
    expect(exports.self()).toBe(exports);
    expect(first.status).toBe('none');
    expect(first.save(1)).toBe(true);
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('accepts its own cache, rejects a corrupt one, keeps one that covers as much, replaces one that covers less', () => {
    const dir = tmp('mk-cjs-');
    const file = join(dir, 'm.cjs');
    writeFileSync(file, 'exports.f = function f(x) { return x + 1; }; exports.f(1);');
    const cache = join(dir, 'c');
    expect(loadCachedCommonJs(file, cache).save(1)).toBe(true);
    const cacheFile = join(cache, readdirSync(cache)[0]);
    const second = loadCachedCommonJs(file, cache);
    expect(second.status).toBe('accepted');
    expect(second.save(1)).toBe(false);
    expect(second.save(2)).toBe(true);
    expect(loadCachedCommonJs(file, cache).save(2)).toBe(false);
    // Our header, V8's bytes garbled (V8 would not notice: no checksum in release builds): the CRC rejects them.
    const bytes = readFileSync(cacheFile);
    bytes.fill(0x5a, bytes.length - 16);
    writeFileSync(cacheFile, bytes);
    const corrupt = loadCachedCommonJs(file, cache);
    expect(corrupt.status).toBe('rejected');
    expect(corrupt.save(1)).toBe(true);
    expect(loadCachedCommonJs(file, cache).status).toBe('accepted');
    // Not ours at all.
    writeFileSync(cacheFile, 'not a cache');
    expect(loadCachedCommonJs(file, cache).status).toBe('rejected');
  });

  it('a changed source never reads the old cache, even of the same length (V8 checks only the length)', () => {
    const dir = tmp('mk-cjs-');
    const file = join(dir, 'm.cjs');
    const cache = join(dir, 'c');
    writeFileSync(file, 'exports.v = 1;');
    loadCachedCommonJs(file, cache).save(1);
    // V8 alone would accept the old cache and run the old code: the file name must change with the content.
    const [old] = readdirSync(cache);
    const wrapped = (body: string) => `(function (exports, require, module, __filename, __dirname) {${body}\n})`;
    const stale = new Script(wrapped('exports.v = 2;'), { filename: file, cachedData: readFileSync(join(cache, old)).subarray(8) });
    expect(stale.cachedDataRejected).toBe(false);
    writeFileSync(file, 'exports.v = 2;');
    const changed = loadCachedCommonJs(file, cache);
    expect(changed.status).toBe('none');
    expect((changed.exports as { v: number }).v).toBe(2);
  });

  it('keeps the newest caches of a directory, and drops temporary files of writes that died long ago', () => {
    const dir = tmp('mk-cjs-');
    const file = join(dir, 'm.cjs');
    writeFileSync(file, 'exports.ok = true;');
    const caches = join(dir, 'caches');
    mkdirSync(caches);
    const old = Date.now() / 1000 - 7200;
    for (let i = 0; i < KEPT_CACHES + 2; i++) {
      writeFileSync(join(caches, `old${i}.v8cache`), '');
      utimesSync(join(caches, `old${i}.v8cache`), old + i, old + i);
    }
    writeFileSync(join(caches, 'dead.v8cache.1.tmp'), '');
    utimesSync(join(caches, 'dead.v8cache.1.tmp'), old, old);
    writeFileSync(join(caches, 'live.v8cache.2.tmp'), '');
    writeFileSync(join(caches, 'other-file'), '');
    expect(loadCachedCommonJs(file, caches).save(2)).toBe(true);
    const left = readdirSync(caches).sort();
    expect(left.filter((f) => f.endsWith('.v8cache'))).toHaveLength(KEPT_CACHES);
    expect(left.some((f) => f.endsWith('.v8cache') && !f.startsWith('old'))).toBe(true);
    expect(left).toContain(`old${KEPT_CACHES + 1}.v8cache`);
    expect(left).not.toContain('old0.v8cache');
    expect(left).not.toContain('dead.v8cache.1.tmp');
    expect(left).toContain('live.v8cache.2.tmp');
    expect(left).toContain('other-file');
  });

  it('an unwritable cache place is no failure', () => {
    const dir = tmp('mk-cjs-');
    const file = join(dir, 'm.cjs');
    writeFileSync(file, 'exports.ok = true;');
    writeFileSync(join(dir, 'blocker'), '');
    const loaded = loadCachedCommonJs(file, join(dir, 'blocker', 'sub'));
    expect((loaded.exports as { ok: boolean }).ok).toBe(true);
    expect(loaded.save(2)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['blocker', 'm.cjs']);
  });

  // Node's recursive mkdir loops forever there (EEXIST/ENOENT); every run of the CLI hung.
  it.skipIf(!existsSync('/proc/self'))('a cache place under /proc fails at once instead of looping', () => {
    const dir = tmp('mk-cjs-');
    const file = join(dir, 'm.cjs');
    writeFileSync(file, 'exports.ok = true;');
    const loaded = loadCachedCommonJs(file, '/proc/microkit-no-such-dir/sub');
    expect(loaded.save(2)).toBe(false);
  });
});

describe.skipIf(!existsSync(BIN) || !HAS_SHARED)('the bundled CLI with its code cache', () => {
  it('the first run writes the cache, the next accepts it, and the outputs are the same as without one', () => {
    const dir = helloProject('mk-cc-');
    scratch.push(dir);
    const cache = join(dir, 'cache');
    const first = run(dir, cache);
    expect(first.stderr).toBe('microkit: code cache none, written\n');
    expect(first.code).toBe(0);
    expect(cacheFiles(cache)).toHaveLength(1);
    const image = readFileSync(join(dir, 'loader.img'));
    const report = readFileSync(join(dir, 'report.txt'), 'utf8');
    const second = run(dir, cache);
    expect(second.stderr).toBe('microkit: code cache accepted\n');
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(join(dir, 'loader.img')).equals(image)).toBe(true);
    const off = run(dir, cache, HELLO_ARGS, { MICROKIT_CODE_CACHE: 'off' });
    expect(off.stderr).toBe('');
    expect(off.stdout).toBe(first.stdout);
    expect(readFileSync(join(dir, 'loader.img')).equals(image)).toBe(true);
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toBe(report);
  });

  it('a cache from --version is replaced by a check, that by a build, not the other way round', () => {
    const dir = helloProject('mk-cc-');
    scratch.push(dir);
    const cache = join(dir, 'cache');
    const check = ['check', 'hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'];
    expect(run(dir, cache, ['--version']).stderr).toBe('microkit: code cache none, written\n');
    expect(run(dir, cache, check).stderr).toBe('microkit: code cache accepted, written\n');
    expect(run(dir, cache).stderr).toBe('microkit: code cache accepted, written\n');
    expect(run(dir, cache, ['--version']).stderr).toBe('microkit: code cache accepted\n');
    expect(run(dir, cache, check).stderr).toBe('microkit: code cache accepted\n');
    expect(run(dir, cache).stderr).toBe('microkit: code cache accepted\n');
    // A failed build may have stopped anywhere: it replaces nothing.
    expect(run(dir, cache, ['missing.system', '--board', 'qemu_virt_aarch64', '--config', 'debug']).stderr).toMatch(/microkit: code cache accepted\n$/);
  });

  it('an install without its bundle says so in one line, without a stack', () => {
    const dir = tmp('mk-cc-');
    copyFileSync(BIN, join(dir, 'microkit.cjs'));
    const r = spawnSync(process.execPath, [join(dir, 'microkit.cjs'), '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^microkit: internal error: could not start: ENOENT: no such file or directory, open '.*core\.cjs'\n$/);
  });

  it('a run under other V8 flags keeps a cache of its own', () => {
    const dir = helloProject('mk-cc-');
    scratch.push(dir);
    const cache = join(dir, 'cache');
    run(dir, cache);
    const flagged = spawnSync(process.execPath, ['--stack-size=2000', BIN, ...HELLO_ARGS], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'no-xdg'), XDG_CACHE_HOME: cache, MICROKIT_SDK: SHARED_SDK, MICROKIT_CODE_CACHE: 'report' },
    });
    expect(flagged.stderr).toBe('microkit: code cache none, written\n');
    expect(cacheFiles(cache)).toHaveLength(2);
    expect(run(dir, cache).stderr).toBe('microkit: code cache accepted\n');
  });

  it('a corrupt cache is rejected and rewritten; the build is unaffected', () => {
    const dir = helloProject('mk-cc-');
    scratch.push(dir);
    const cache = join(dir, 'cache');
    run(dir, cache);
    const [name] = cacheFiles(cache);
    const file = join(cache, 'microkit-ts', name);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length >> 1));
    const corrupt = run(dir, cache);
    expect(corrupt.stderr).toBe('microkit: code cache rejected, written\n');
    expect(corrupt.code).toBe(0);
    expect(run(dir, cache).stderr).toBe('microkit: code cache accepted\n');
  });

  it('an unwritable cache directory changes nothing but the cache', () => {
    const dir = helloProject('mk-cc-');
    scratch.push(dir);
    writeFileSync(join(dir, 'not-a-dir'), '');
    const r = run(dir, join(dir, 'not-a-dir'));
    expect(r.stderr).toBe('microkit: code cache none\n');
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'loader.img'))).toBe(true);
  });

  it('concurrent first runs all succeed and leave one whole cache', async () => {
    const dir = helloProject('mk-cc-');
    scratch.push(dir);
    const cache = join(dir, 'cache');
    const runs = await Promise.all(
      [0, 1, 2, 3].map(
        (i) =>
          new Promise<number | null>((resolve) => {
            const child = spawn(
              process.execPath,
              [BIN, ...HELLO_ARGS.map((a) => (a === 'loader.img' ? `loader${i}.img` : a === 'report.txt' ? `report${i}.txt` : a))],
              {
                cwd: dir,
                env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'no-xdg'), XDG_CACHE_HOME: cache, MICROKIT_SDK: SHARED_SDK },
                stdio: 'ignore',
              },
            );
            child.on('exit', resolve);
          }),
      ),
    );
    expect(runs).toEqual([0, 0, 0, 0]);
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(run(dir, cache).stderr).toBe('microkit: code cache accepted\n');
  });
});
