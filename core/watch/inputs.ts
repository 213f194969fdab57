/**
 * The files a build depends on: the config file and the modules it imports
 * (relative imports, followed through TypeScript's own import scanner), the
 * SDF, program images and prefill files (found as the build finds them).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';
import type { SdfFileAccess } from '../sdf/context.js';
import type { SystemDescription } from '../sdf/model.js';

let typescript: typeof TypeScript | undefined;

/** TypeScript is large: loaded on first use, not with every command. */
function tsApi(): typeof TypeScript {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof TypeScript;
  return typescript;
}

const EXTENSIONS = ['', '.ts', '.mts', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

/** `./x.js` in TypeScript sources names `./x.ts`: try the source extensions. */
function resolveImport(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  const stem = base.replace(/\.(m|c)?js$/, '');
  const candidates = [base, ...EXTENSIONS.slice(1).map((e) => stem + e), ...EXTENSIONS.slice(1).map((e) => base + e)];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile());
}

/** The config file and every local module it imports, transitively. */
export function moduleGraph(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    if (file.endsWith('.json')) continue;
    for (const imp of tsApi().preProcessFile(text, true, true).importedFiles) {
      if (!imp.fileName.startsWith('.')) continue;
      const target = resolveImport(file, imp.fileName);
      if (target !== undefined) todo.push(target);
    }
  }
  return [...seen];
}

/** Program images and prefill files, as the search path resolves them. */
export function systemInputs(system: SystemDescription, files: SdfFileAccess): string[] {
  const out: string[] = [];
  const add = (path: string | undefined) => {
    if (path === undefined) return;
    const found = files.resolve(path);
    if (found !== undefined) out.push(resolve(found));
  };
  for (const pd of system.protectionDomains) {
    add(pd.programImage);
    add(pd.programImageForSymbols);
  }
  for (const mr of system.memoryRegions) if (mr.prefill?.kind === 'file') add(mr.prefill.path);
  return out;
}
