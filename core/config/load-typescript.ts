/**
 * Loads a TypeScript config (`.ts`, `.mts`, `.cts`) with jiti, which
 * transpiles the file and every TypeScript module it imports, ESM or CJS
 * (`./plugins/guard.js` finds `guard.ts`). Imported only for TypeScript
 * configs: jiti brings Babel, which costs a few hundred milliseconds.
 */
import { createJiti } from 'jiti';

export async function importTypeScript(file: string): Promise<unknown> {
  // No module cache: a process (a test, a watcher) that loads the config twice sees the file as it is now.
  const jiti = createJiti(file, { moduleCache: false, interopDefault: true });
  return jiti.import(file, { default: true });
}
