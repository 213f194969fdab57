/**
 * Loads a TypeScript config (`.ts`, `.mts`, `.cts`) with jiti, which
 * transpiles the file and every TypeScript module it imports, ESM or CJS
 * (`./plugins/guard.js` finds `guard.ts`). Imported only for TypeScript
 * configs: jiti brings Babel, which costs a few hundred milliseconds.
 */
import { createJiti } from 'jiti';
import { fileURLToPath } from 'node:url';
import { bundleDir } from '../util/bundle.js';

const BUNDLE = bundleDir(import.meta.url);

/**
 * Module of this package: in the bundled CLI (dist/bundle/, its public entry points beside it) the
 * bundle's entry, so a config's plugins share the CLI's modules; else from `core/config/` (the same
 * layout in the sources and in `dist/`).
 */
const own = (path: string, bundleEntry: string) => (BUNDLE !== undefined ? BUNDLE + bundleEntry : fileURLToPath(new URL(path, import.meta.url)));

/**
 * `microkit-ts` in a config is the tool that loads it: a global `microkit`
 * runs a config without a local install, and plugins meet the very core
 * (classes, hooks) that runs them.
 */
const ALIASES = {
  'microkit-ts/plugins': own('../../plugins/index.js', 'plugins.js'),
  'microkit-ts/presets': own('../../presets/index.js', 'presets.js'),
  'microkit-ts/model': own('../sdf/model.js', 'model.js'),
  'microkit-ts/system': own('../system/index.js', 'system.js'),
  'microkit-ts/inspect': own('../inspect/index.js', 'inspect.js'),
  'microkit-ts/graph': own('../graph/index.js', 'graph.js'),
  'microkit-ts': own('../index.js', 'index.js'),
};

export async function importTypeScript(file: string): Promise<unknown> {
  // No module cache: a process (a test, a watcher) that loads the config twice sees the file as it is now.
  // Source maps, so that stack frames (call sites of the system API) name the TypeScript the user wrote.
  process.setSourceMapsEnabled(true);
  const jiti = createJiti(file, { moduleCache: false, interopDefault: true, alias: ALIASES, sourceMaps: true });
  let module: unknown;
  try {
    module = await jiti.import(file);
  } catch (e) {
    if (isJitiNullDefault(e)) return null;
    throw e;
  }
  return configExport(module);
}

/**
 * jiti's interop proxy (kept: a config's `import x from './y.cjs'` relies on
 * it) reads properties of a null default export when its promise is resolved:
 * `export default null` fails inside jiti with this TypeError.
 */
function isJitiNullDefault(e: unknown): boolean {
  if (!(e instanceof TypeError) || e.message !== "Cannot read properties of null (reading 'then')") return false;
  const top = e.stack?.split('\n').find((l) => /^\s+at /.test(l));
  return top !== undefined && /[\\/]jiti[\\/]/.test(top);
}

/**
 * The config a module loaded by jiti gives: its default export; for a module
 * written with ES exports but no default (jiti marks those `__esModule` on
 * the module itself, under the proxy that claims it for every module),
 * nothing, which the loader reports; for CommonJS, `module.exports`, or
 * nothing when that is empty.
 */
export function configExport(module: unknown): unknown {
  if (typeof module !== 'object' || module === null) return module;
  if (Object.hasOwn(module, 'default')) return (module as { default?: unknown }).default;
  if (Object.getOwnPropertyDescriptor(module, '__esModule')?.value === true) return undefined;
  return Object.keys(module).length === 0 ? undefined : (module as { default?: unknown }).default;
}
