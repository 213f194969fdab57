/** Shape checks of a loaded config: typos and wrong types caught early, with the file named. */
import { didYouMean } from '../util/suggest.js';
import { isSystemBuilder } from '../system/builder.js';
import type { MicrokitConfig } from './types.js';
import { configInvalid } from './errors.js';
import { locateKey } from './locate-key.js';

export const CONFIG_KEYS: readonly string[] = [
  'system',
  'board',
  'config',
  'sdk',
  'searchPaths',
  'outputs',
  'imageType',
  'overrideKernel',
  'plugins',
  'presets',
  'iommu',
];
const OUTPUT_KEYS: readonly string[] = ['image', 'report', 'capdlJson', 'viper', 'manifest'];
const STRING_KEYS = ['board', 'config', 'sdk', 'overrideKernel'];

function unknownKey(key: string, known: readonly string[], where = ''): string {
  const hint = didYouMean(key, known);
  return `unknown option '${where}${key}'${hint ? `; ${hint}` : ''} (known: ${known.join(', ')})`;
}

/**
 * `file` is the config file as shown to the user; `source` gives its text, read only when a
 * check fails, to point at the key at fault.
 */
export function validateConfig(raw: unknown, file: string, source: () => string | undefined = () => undefined): MicrokitConfig {
  const fail = (msg: string, key?: string) => {
    const text = key === undefined ? undefined : source();
    return configInvalid(file, msg, key === undefined || text === undefined ? undefined : locateKey(text, key, file));
  };
  const c = (raw && typeof raw === 'object' && 'default' in raw && Object.keys(raw).length === 1 ? (raw as { default: unknown }).default : raw) as Record<
    string,
    unknown
  >;
  if (!c || typeof c !== 'object' || Array.isArray(c)) throw fail('the config must be an object (export default defineConfig({...}))');
  for (const k of Object.keys(c)) if (!CONFIG_KEYS.includes(k)) throw fail(unknownKey(k, CONFIG_KEYS), k);
  for (const k of STRING_KEYS) if (c[k] !== undefined && typeof c[k] !== 'string') throw fail(`'${k}' must be a string`, k);
  if (c.system === '') throw fail("'system' must be a file name or a system made with system() from 'microkit-ts/system'", 'system');
  if (c.system !== undefined && typeof c.system !== 'string' && !isSystemBuilder(c.system)) {
    throw fail("'system' must be a file name or a system made with system() from 'microkit-ts/system'", 'system');
  }
  if (c.searchPaths !== undefined && (!Array.isArray(c.searchPaths) || c.searchPaths.some((p) => typeof p !== 'string'))) {
    throw fail("'searchPaths' must be an array of strings", 'searchPaths');
  }
  if (c.outputs !== undefined) {
    if (!c.outputs || typeof c.outputs !== 'object' || Array.isArray(c.outputs))
      throw fail("'outputs' must be an object { image, report, capdlJson, viper, manifest }");
    for (const [k, v] of Object.entries(c.outputs)) {
      if (!OUTPUT_KEYS.includes(k)) throw fail(unknownKey(k, OUTPUT_KEYS, 'outputs.'), k);
      if (v !== false && (typeof v !== 'string' || v === '')) throw fail(`'outputs.${k}' must be a path or false`, k);
    }
  }
  if (c.imageType !== undefined && !['binary', 'elf', 'uimage'].includes(c.imageType as string)) {
    throw fail("'imageType' must be 'binary', 'elf' or 'uimage'", 'imageType');
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
