/**
 * Stack traces for `MICROKIT_DEBUG`, readable although the tool runs from one
 * minified bundle (scripts/bundle.mjs): a frame in the bundle is mapped
 * through the bundle's source map (`core.cjs.map`, written beside it) to the
 * TypeScript source line it came from (`core/…/x.ts`: the repository's path;
 * an installed package ships dist/ only, as Node's own --enable-source-maps
 * would show it). Node 20 maps no `vm.Script` frames itself, and the launcher
 * runs the bundle as one (code-cache.ts).
 *
 * Only read when a stack is printed: the map is ~0.5 MB of JSON, never touched
 * by a run that succeeds or fails without MICROKIT_DEBUG.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This module's file: the bundle when bundled, else its own (which has no map beside it). */
const SELF = fileURLToPath(import.meta.url);

let cached: { file: string; map: SourceMap | undefined } | undefined;

function sourceMapOf(file: string): SourceMap | undefined {
  if (cached?.file === file) return cached.map;
  let map: SourceMap | undefined;
  try {
    map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : undefined;
  } catch {
    // A damaged map must not hide the stack it was asked to improve.
    map = undefined;
  }
  cached = { file, map };
  return map;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `stack` with each frame in `bundle` (default: the file this code runs from)
 * shown at its source module, line and column. Such a frame's function name is
 * the minified one, so it is dropped (`at FILE:LINE:COL`) rather than shown
 * wrongly. Frames elsewhere (a plugin's, Node's) and a stack with no map
 * beside the bundle are returned unchanged.
 */
export function sourceMappedStack(stack: string, bundle: string = SELF): string {
  if (!stack.includes(bundle)) return stack;
  const map = sourceMapOf(bundle);
  if (map === undefined) return stack;
  const at = (line: string, column: string): string | undefined => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
    return `${resolve(dirname(bundle), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  };
  const file = escapeRegExp(bundle);
  // `at NAME (FILE:L:C)`, `at async NAME (FILE:L:C)`, `at new NAME (…)`, `at FILE:L:C`: the name goes.
  const frame = new RegExp(`^(\\s+at )(?:(async )?[^\\n]*? \\()?${file}:(\\d+):(\\d+)\\)?$`, 'gm');
  // Anywhere else (`eval at create (FILE:L:C)` inside a frame of generated code): the location alone.
  const location = new RegExp(`${file}:(\\d+):(\\d+)`, 'g');
  return stack
    .replace(frame, (whole, prefix: string, async: string | undefined, line: string, column: string) => {
      const source = at(line, column);
      return source === undefined ? whole : `${prefix}${async ?? ''}${source}`;
    })
    .replace(location, (whole, line: string, column: string) => at(line, column) ?? whole);
}
