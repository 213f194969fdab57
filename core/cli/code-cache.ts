/**
 * Runs the bundled CLI (one CommonJS file, scripts/bundle.mjs) with a V8 code
 * cache: Node 20 has no compile cache for modules, but a `vm.Script` takes the
 * cache V8 made of it in an earlier run (`createCachedData` after the run, so
 * it holds the functions that ran). A small build then neither parses the
 * bundle nor compiles the functions it runs (issue 13, docs/performance.md).
 *
 * The cache is an output like any other, never a reason to fail: reading or
 * writing it may fail silently; V8 rejects a cache that does not match (another
 * Node, other V8 flags, a corrupt file) and it is written anew; a file is
 * written under a temporary name and renamed, so concurrent runs never see half
 * of one. Its name holds the CRC-32 and length of the source and the Node
 * version, so an update of either never reads the old one (V8 itself checks
 * only the source's length).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Module, createRequire } from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';
import { crc32 } from 'node:zlib';

/**
 * How much of the tool the run used, stored with the cache: 1 printed help, a version or
 * the boards, 2 checked a system (parse and validate), 3 built one. A run replaces a cache made
 * by one that covered less (which lacks the functions it ran), never the other way round.
 */
export type CacheCoverage = 1 | 2 | 3;

/** What became of the cache in this run: read and accepted by V8, rejected, none to read, or caching switched off. */
export type CacheStatus = 'accepted' | 'rejected' | 'none' | 'off';

export interface CachedBundle {
  /** The bundle's `module.exports`. */
  readonly exports: unknown;
  readonly status: CacheStatus;
  /** Writes the cache when there was none, V8 rejected it, or it covered less; true when written. Never throws. */
  save(coverage: CacheCoverage): boolean;
}

/**
 * `MK`, format 2, the coverage and the CRC-32 of V8's bytes: the header before them. V8 checks a
 * cache's version, flags, source length and size, but in release builds not its checksum: a damaged
 * file would be deserialised as it is, so the CRC rejects it first.
 */
const MAGIC = [0x4d, 0x4b, 0x02] as const;
const HEADER = MAGIC.length + 5;

/**
 * The directory of code caches: `$MICROKIT_CODE_CACHE_DIR`, else `microkit-ts`
 * in `$XDG_CACHE_HOME`, `%LOCALAPPDATA%` or `~/.cache`; undefined (no cache)
 * when `MICROKIT_CODE_CACHE=off` or none of them is set.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  if (env.MICROKIT_CODE_CACHE === 'off') return undefined;
  if (env.MICROKIT_CODE_CACHE_DIR) return env.MICROKIT_CODE_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'microkit-ts');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'microkit-ts');
  return env.HOME ? join(env.HOME, '.cache', 'microkit-ts') : undefined;
}

/**
 * The cache file of one source (by its CRC-32 and length) at one place (its path: V8 keeps the file
 * name a cache was made under, and stack traces would name another install's copy) under one Node
 * (version, architecture, and the options it was started with: V8 rejects a cache made under other V8
 * flags, so runs with and without, say, `--max-old-space-size` keep one each instead of replacing
 * each other's).
 */
export function codeCacheFile(dir: string, source: Uint8Array, sourcePath: string, nodeOptions: readonly string[] = nodeStartOptions()): string {
  const options = nodeOptions.join(' ');
  const flags = options === '' ? '' : `-o${fnv1a(options)}`;
  const key = `${crc32(source).toString(16).padStart(8, '0')}-${source.length}-p${fnv1a(sourcePath)}`;
  return join(dir, `${key}-node${process.version}-${process.arch}${flags}.v8cache`);
}

function nodeStartOptions(): string[] {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].filter((o) => o !== '');
}

/** A short hash of a string (FNV-1a, 32 bits, hex): enough to tell option sets apart in a file name. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A stored cache: its coverage and V8's bytes, or undefined when absent, unreadable or not ours. */
function readCache(file: string): { coverage: number; data: Buffer } | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const data = bytes.subarray(HEADER);
  if (bytes.length <= HEADER || MAGIC.some((b, i) => bytes[i] !== b) || bytes.readUInt32LE(MAGIC.length + 1) !== crc32(data)) {
    return { coverage: 0, data: Buffer.alloc(0) };
  }
  return { coverage: bytes[MAGIC.length], data };
}

function writeCache(file: string, coverage: CacheCoverage, data: Buffer): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    makeDirectory(dirname(file));
    const header = Buffer.from([...MAGIC, coverage, 0, 0, 0, 0]);
    header.writeUInt32LE(crc32(data), MAGIC.length + 1);
    writeFileSync(temp, Buffer.concat([header, data]));
    renameSync(temp, file);
    prune(dirname(file));
    return true;
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the directory is not there or not one: nothing was written
    }
    return false;
  }
}

/**
 * `mkdir -p` that ends: Node's recursive mkdir spins forever under /proc
 * (EEXIST/ENOENT ping-pong), so MICROKIT_CODE_CACHE_DIR=/proc/x hung every run.
 * Each level is tried once. (core/util/fs-error.ts has the same walk; the
 * launcher's half of this file imports nothing of the tool.)
 */
function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || dirname(dir) === dir) throw e;
    makeDirectory(dirname(dir));
    mkdirSync(dir);
  }
}

/** Caches kept per directory: each update of the tool or of Node adds one; the least recently written go. */
export const KEPT_CACHES = 8;

/** Leave the newest KEPT_CACHES caches (and no temporary file of a write that died an hour ago). Best effort. */
function prune(dir: string): void {
  try {
    const now = Date.now();
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.v8cache') || f.endsWith('.tmp'))
      .map((f) => ({ f, mtime: statSync(join(dir, f)).mtimeMs }));
    const stale = files.filter(({ f, mtime }) => f.endsWith('.tmp') && now - mtime > 3_600_000);
    const caches = files.filter(({ f }) => f.endsWith('.v8cache')).sort((a, b) => b.mtime - a.mtime);
    for (const { f } of [...stale, ...caches.slice(KEPT_CACHES)]) rmSync(join(dir, f), { force: true });
  } catch {
    // another run pruned it first, or the directory is not ours to tidy
  }
}

/**
 * Load a CommonJS file as `require` would (registered in `require.cache`, so a
 * later `require` of it, e.g. by the public ES entry points that a config file
 * imports, gets these very exports), compiled with its code cache in `cacheDir`
 * (none when undefined).
 */
export function loadCachedCommonJs(file: string, cacheDir: string | undefined): CachedBundle {
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  const cacheFile = cacheDir === undefined ? undefined : codeCacheFile(cacheDir, bytes, file);
  const stored = cacheFile === undefined ? undefined : readCache(cacheFile);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: stored !== undefined && stored.data.length > 0 ? stored.data : undefined,
  });
  const require = createRequire(file);
  const module = new Module(file);
  module.filename = file;
  require.cache[file] = module;
  try {
    (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  module.loaded = true;
  const status: CacheStatus = cacheFile === undefined ? 'off' : stored === undefined ? 'none' : script.cachedDataRejected === false ? 'accepted' : 'rejected';
  return {
    exports: module.exports,
    status,
    save(coverage) {
      if (cacheFile === undefined || (status === 'accepted' && stored !== undefined && stored.coverage >= coverage)) return false;
      let data: Buffer;
      try {
        data = script.createCachedData();
      } catch {
        return false;
      }
      return writeCache(cacheFile, coverage, data);
    },
  };
}
