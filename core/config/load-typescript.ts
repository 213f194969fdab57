/**
 * Loads a TypeScript config (`.ts`, `.mts`, `.cts`) with jiti, which
 * transpiles the file and every TypeScript module it imports, ESM or CJS
 * (`./plugins/guard.js` finds `guard.ts`). Imported only for TypeScript
 * configs: jiti brings Babel, which costs a few hundred milliseconds.
 */
import { createJiti } from 'jiti';
import { fileURLToPath } from 'node:url';

/** Module of this package, from `core/config/` (the same layout in the sources and in `dist/`). */
const own = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `microkit-ts` in a config is the tool that loads it: a global `microkit`
 * runs a config without a local install, and plugins meet the very core
 * (classes, hooks) that runs them.
 */
const ALIASES = {
  'microkit-ts/plugins': own('../../plugins/index.js'),
  'microkit-ts/presets': own('../../presets/index.js'),
  'microkit-ts/model': own('../sdf/model.js'),
  'microkit-ts/system': own('../system/index.js'),
  'microkit-ts/inspect': own('../inspect/index.js'),
  'microkit-ts/graph': own('../graph/index.js'),
  'microkit-ts': own('../index.js'),
};

export async function importTypeScript(file: string): Promise<unknown> {
  // No module cache: a process (a test, a watcher) that loads the config twice sees the file as it is now.
  // Source maps, so that stack frames (call sites of the system API) name the TypeScript the user wrote.
  process.setSourceMapsEnabled(true);
  const jiti = createJiti(file, { moduleCache: false, interopDefault: true, alias: ALIASES, sourceMaps: true });
  return jiti.import(file, { default: true });
}
