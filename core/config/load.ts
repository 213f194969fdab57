/** Finding and loading the config file (cosmiconfig). */
import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import { dirname } from 'node:path';
import { MicrokitError } from '../errors/microkit-error.js';
import { isSystemBuilder } from '../system/builder.js';
import type { MicrokitConfig } from './types.js';

export interface LoadedConfig {
  readonly config: MicrokitConfig;
  /** The file it came from. */
  readonly filepath: string;
  /** Its directory: the base of the relative paths in it. */
  readonly dir: string;
}

const MODULE_NAME = 'microkit';

const SEARCH_PLACES = [
  'package.json',
  `${MODULE_NAME}.config.ts`,
  `${MODULE_NAME}.config.mts`,
  `${MODULE_NAME}.config.js`,
  `${MODULE_NAME}.config.mjs`,
  `${MODULE_NAME}.config.cjs`,
  `${MODULE_NAME}.config.json`,
];

/** cosmiconfig 9 has no `.mts` loader; TypeScript modules load the same way. */
const LOADERS = { '.mts': defaultLoaders['.ts'] };

function configError(where: string, e: unknown): MicrokitError {
  const detail = e instanceof Error ? e.message.split('\n')[0] : String(e);
  return new MicrokitError('CONFIG_LOAD', `microkit: error: could not load config ${where}: ${detail}`, { cause: e });
}

/** Search from `cwd` upwards (stopping at the home directory, cosmiconfig's default). */
export async function findConfig(cwd: string): Promise<LoadedConfig | undefined> {
  const explorer = cosmiconfig(MODULE_NAME, { searchPlaces: SEARCH_PLACES, searchStrategy: 'global', loaders: LOADERS });
  let result;
  try {
    result = await explorer.search(cwd);
  } catch (e) {
    throw configError(`from '${cwd}'`, e);
  }
  if (!result || result.isEmpty) return undefined;
  return { config: validateConfig(result.config, result.filepath), filepath: result.filepath, dir: dirname(result.filepath) };
}

/** Load a given file (`--config-file`). */
export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  const explorer = cosmiconfig(MODULE_NAME, { searchPlaces: SEARCH_PLACES, loaders: LOADERS });
  let result;
  try {
    result = await explorer.load(path);
  } catch (e) {
    throw configError(`'${path}'`, e);
  }
  if (!result) throw configError(`'${path}'`, 'empty');
  return { config: validateConfig(result.config, result.filepath), filepath: result.filepath, dir: dirname(result.filepath) };
}

const KEYS = new Set(['system', 'board', 'config', 'sdk', 'searchPaths', 'outputs', 'imageType', 'overrideKernel', 'plugins', 'presets', 'iommu']);
const STRING_KEYS = ['board', 'config', 'sdk', 'overrideKernel'];

/** Catch typos and wrong types early, with the file named. */
function validateConfig(raw: unknown, file: string): MicrokitConfig {
  const fail = (msg: string) => new MicrokitError('CONFIG_INVALID', `microkit: error: ${file}: ${msg}`);
  const c = (raw && typeof raw === 'object' && 'default' in raw && Object.keys(raw).length === 1 ? (raw as { default: unknown }).default : raw) as Record<
    string,
    unknown
  >;
  if (!c || typeof c !== 'object' || Array.isArray(c)) throw fail('the config must be an object (export default defineConfig({...}))');
  for (const k of Object.keys(c)) if (!KEYS.has(k)) throw fail(`unknown option '${k}' (known: ${[...KEYS].join(', ')})`);
  for (const k of STRING_KEYS) if (c[k] !== undefined && typeof c[k] !== 'string') throw fail(`'${k}' must be a string`);
  if (c.system !== undefined && typeof c.system !== 'string' && !isSystemBuilder(c.system)) {
    throw fail("'system' must be a file name or a system made with system() from 'microkit-ts/system'");
  }
  if (c.searchPaths !== undefined && (!Array.isArray(c.searchPaths) || c.searchPaths.some((p) => typeof p !== 'string'))) {
    throw fail("'searchPaths' must be an array of strings");
  }
  if (c.imageType !== undefined && !['binary', 'elf', 'uimage'].includes(c.imageType as string)) {
    throw fail("'imageType' must be 'binary', 'elf' or 'uimage'");
  }
  if (c.iommu !== undefined) {
    const levels = (c.iommu as { levels?: unknown }).levels;
    if (typeof c.iommu !== 'object' || c.iommu === null || Object.keys(c.iommu).some((k) => k !== 'levels')) {
      throw fail("'iommu' must be an object { levels }");
    }
    if (levels !== undefined && !['auto', 3, 4, 5, 6].includes(levels as never)) {
      throw fail(`'iommu.levels' must be 'auto', 3, 4, 5 or 6, not ${JSON.stringify(levels)}`);
    }
  }
  if (c.plugins !== undefined) {
    if (!Array.isArray(c.plugins)) throw fail("'plugins' must be an array of plugins");
    for (const p of c.plugins) {
      if (!p || typeof p.name !== 'string' || typeof p.apply !== 'function') throw fail('every plugin must have a name and an apply(pipeline) method');
    }
  }
  return c as MicrokitConfig;
}
