/**
 * Finding and loading the config file: cosmiconfig searches (working
 * directory upwards, also a `microkit` key in package.json); our loaders
 * load, so that every failure is `could not load config 'FILE': …` with the
 * place, and TypeScript imports of TypeScript files work (jiti, lazily).
 * cosmiconfig itself loads only when a file it could read exists
 * (`mayFindConfig`): most builds have no config, and loading it and its
 * YAML and JSON parsers costs a small build ~10 % of its time.
 */
import type { Loader } from 'cosmiconfig';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { configLoadError, displayPath } from './load-error.js';
import { validateConfig } from './validate.js';
import type { MicrokitConfig } from './types.js';
import { importEsm } from '../util/import-esm.js';
import { isErrno, osReason } from '../util/fs-error.js';
import { isMicrokitError } from '../errors/microkit-error.js';

export { displayPath } from './load-error.js';

export interface LoadedConfig {
  readonly config: MicrokitConfig;
  /** The file it came from. */
  readonly filepath: string;
  /** Its directory: the base of the relative paths in it. */
  readonly dir: string;
}

/** Which config a command uses: `--config-file`, `--no-config`, else a search from `cwd`. */
export interface ConfigRequest {
  readonly cwd: string;
  readonly configFile?: string;
  /** `--no-config`: use none, even if one is found or named. */
  readonly noConfig?: boolean;
}

const MODULE_NAME = 'microkit';

const SEARCH_PLACES = [
  'package.json',
  `${MODULE_NAME}.config.ts`,
  `${MODULE_NAME}.config.mts`,
  `${MODULE_NAME}.config.cts`,
  `${MODULE_NAME}.config.js`,
  `${MODULE_NAME}.config.mjs`,
  `${MODULE_NAME}.config.cjs`,
  `${MODULE_NAME}.config.json`,
];

/** A loader failure, carried out of cosmiconfig with the file it was loading. */
class ConfigFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: unknown,
  ) {
    super(`could not load ${file}`);
  }
}

const isJson = (file: string) => file.endsWith('.json') || !/\.[cm]?[jt]s$/.test(file);

/** Why a config file gave nothing: an empty file (named with --config-file), a module without a default export. */
const noConfigIn = (file: string) => (isJson(file) ? 'the file is empty' : 'the file exports no config (export default defineConfig({...}))');

function guarded(load: (file: string, content: string) => unknown): Loader {
  return async (file, content) => {
    let config: unknown;
    try {
      config = await load(file, content);
    } catch (e) {
      throw new ConfigFileError(file, e);
    }
    // cosmiconfig takes undefined and null for "no config here" and would search on to a parent directory's
    // config (or use none) in silence: a config file without `export default` is a mistake to report.
    // A package.json is loaded here as a whole, for cosmiconfig to look for its `microkit` key (in null, it crashed).
    if (basename(file) === 'package.json') {
      if (config === null) throw new ConfigFileError(file, 'the file holds null, not an object');
      return config;
    }
    if (config === undefined) throw new ConfigFileError(file, noConfigIn(file));
    if (config === null) throw new ConfigFileError(file, `${isJson(file) ? 'the file holds' : 'its default export is'} null, not a config object`);
    return config;
  };
}

const loadTypeScript = guarded(async (file) => (await import('./load-typescript.js')).importTypeScript(file));

/**
 * Native import, with the file's modification time in the URL so a process
 * that loads a changed config sees the change. No fallback to require():
 * its errors would hide the real one.
 */
const loadJavaScript = guarded(async (file) => {
  const url = pathToFileURL(file);
  url.searchParams.set('mtime', String(statSync(file).mtimeMs));
  try {
    return ((await importEsm(url.href)) as { default?: unknown }).default;
  } catch (e) {
    // Node's SyntaxError for a module has no line in its message or stack; jiti's parser gives one.
    throw (await parseErrorOf(file)) ?? e;
  }
});

/** jiti's located parse error for `file`, if it has one. */
async function parseErrorOf(file: string): Promise<unknown> {
  try {
    await (await import('./load-typescript.js')).importTypeScript(file);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('ParseError')) return e;
  }
  return undefined;
}

const loadJson = guarded(async (file, content) => (await import('cosmiconfig')).defaultLoaders['.json'](file, content));

const LOADERS = {
  '.ts': loadTypeScript,
  '.mts': loadTypeScript,
  '.cts': loadTypeScript,
  '.js': loadJavaScript,
  '.mjs': loadJavaScript,
  '.cjs': loadJavaScript,
  '.json': loadJson,
  noExt: loadJson,
};

function loaded(result: { config: unknown; filepath: string }, cwd: string): LoadedConfig {
  const source = () => {
    try {
      return readFileSync(result.filepath, 'utf8');
    } catch {
      return undefined;
    }
  };
  let config: MicrokitConfig;
  try {
    config = validateConfig(result.config, displayPath(result.filepath, cwd), source);
  } catch (e) {
    // Anything but our own verdict came from the config's code (a getter that throws).
    if (isMicrokitError(e)) throw e;
    throw configLoadError(result.filepath, e, cwd);
  }
  return { config, filepath: result.filepath, dir: dirname(result.filepath) };
}

function rethrow(e: unknown, cwd: string): never {
  // The system API's own errors (a wrong argument, at the call) are already located: as when the system is written.
  if (e instanceof ConfigFileError && isMicrokitError(e.reason) && e.reason.code === 'SYSTEM_API') throw e.reason;
  if (e instanceof ConfigFileError) throw configLoadError(e.file, e.reason, cwd);
  // cosmiconfig reads package.json itself (no loader of ours): a malformed one fails the search with its own message.
  const json = e instanceof Error ? /^JSON Error in (.+?):\s*$/m.exec(e.message) : null;
  if (json !== null) throw configLoadError(json[1]!, e, cwd);
  throw e;
}

/** Places cosmiconfig reads for its own options ("meta config"), in the process's working directory. */
const META_PLACES = [
  'package.yaml',
  '.config/config.json',
  '.config/config.yaml',
  '.config/config.yml',
  '.config/config.js',
  '.config/config.ts',
  '.config/config.cjs',
  '.config/config.mjs',
];

/** Whether `file` is a package.json that cosmiconfig would take `key` from, or fail on: anything but JSON of an object without `key`. */
function packageJsonMayHave(file: string, key: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return existsSync(file);
  }
  try {
    const json: unknown = JSON.parse(text);
    return typeof json !== 'object' || json === null || Array.isArray(json) || Object.hasOwn(json, key);
  } catch {
    return true;
  }
}

/** The directories cosmiconfig's 'global' search visits: `cwd` upwards to the home directory (else the root). */
function searchDirs(cwd: string): string[] {
  const stop = resolve(homedir());
  const dirs = [cwd];
  for (let dir = cwd; dir !== stop; ) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dirs.push(parent);
    dir = parent;
  }
  return dirs;
}

/** The global config directory cosmiconfig also searches (env-paths' `config` for the name, suffix ''). */
function globalConfigDir(): string {
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Preferences', MODULE_NAME);
  if (process.platform === 'win32') return join(process.env.APPDATA || join(home, 'AppData', 'Roaming'), MODULE_NAME, 'Config');
  return join(process.env.XDG_CONFIG_HOME || join(home, '.config'), MODULE_NAME);
}

/**
 * Whether a search from `cwd` could find a config, by checking for every
 * file cosmiconfig would read: false means the search finds nothing, so it
 * need not load. Conservative: any such file (also cosmiconfig's own
 * options, or the global config directory) means "search".
 */
export function mayFindConfig(cwd: string): boolean {
  const meta = process.cwd();
  if (packageJsonMayHave(join(meta, 'package.json'), 'cosmiconfig') || META_PLACES.some((place) => existsSync(join(meta, place)))) return true;
  if (existsSync(globalConfigDir())) return true;
  for (const dir of searchDirs(resolve(cwd))) {
    if (packageJsonMayHave(join(dir, 'package.json'), MODULE_NAME)) return true;
    if (SEARCH_PLACES.some((place) => place !== 'package.json' && existsSync(join(dir, place)))) return true;
  }
  return false;
}

/** Search from `cwd` upwards (stopping at the home directory, cosmiconfig's default). */
export async function findConfig(cwd: string): Promise<LoadedConfig | undefined> {
  if (!mayFindConfig(cwd)) return undefined;
  const { cosmiconfig } = await import('cosmiconfig');
  let result: Awaited<ReturnType<ReturnType<typeof cosmiconfig>['search']>>;
  try {
    // Made inside the try: cosmiconfig reads its own options from package.json here (a malformed one throws).
    const explorer = cosmiconfig(MODULE_NAME, { searchPlaces: SEARCH_PLACES, searchStrategy: 'global', loaders: LOADERS, cache: false });
    result = await explorer.search(cwd);
  } catch (e) {
    rethrow(e, cwd);
  }
  if (!result || result.isEmpty) return undefined;
  return loaded(result, cwd);
}

/** Load a given file (`--config-file`). */
export async function loadConfigFile(path: string, cwd = dirname(path)): Promise<LoadedConfig> {
  // Only a regular file: a directory has no text, and a device such as /dev/zero would be read until memory ends.
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (e) {
    throw configLoadError(path, isErrno(e) && e.code === 'ENOENT' ? 'no such file' : osReason(e), cwd);
  }
  if (!stat.isFile()) throw configLoadError(path, stat.isDirectory() ? 'is a directory' : 'not a regular file', cwd);
  const { cosmiconfig } = await import('cosmiconfig');
  let result: Awaited<ReturnType<ReturnType<typeof cosmiconfig>['load']>>;
  try {
    const explorer = cosmiconfig(MODULE_NAME, { searchPlaces: SEARCH_PLACES, loaders: LOADERS, cache: false });
    result = await explorer.load(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw configLoadError(path, 'no such file', cwd);
    if (isErrno(e)) throw configLoadError(path, osReason(e), cwd);
    rethrow(e, cwd);
  }
  if (!result || result.isEmpty) throw configLoadError(path, noConfigIn(path), cwd);
  return loaded(result, cwd);
}

/** The config a command uses, or none. */
export async function resolveConfig(request: ConfigRequest): Promise<LoadedConfig | undefined> {
  if (request.noConfig) return undefined;
  // An empty name is no file; resolved, it would be the working directory.
  if (request.configFile === '') throw configLoadError('', 'no such file', request.cwd);
  if (request.configFile !== undefined) return loadConfigFile(resolve(request.cwd, request.configFile), request.cwd);
  return findConfig(request.cwd);
}
