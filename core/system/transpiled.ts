/**
 * Call sites in a TypeScript config that was transpiled on the fly: the
 * config loader (cosmiconfig) writes `microkit.config.mjs` beside
 * `microkit.config.ts`, runs it and deletes it, so stack frames name a file
 * that is gone, at shifted lines. We transpile the source again, the same
 * way and with a source map, check that the output is the file that ran,
 * and map the position back to the TypeScript the user wrote.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';

let typescript: typeof TypeScript | undefined;

/** TypeScript is large: loaded on first use, not with every command. */
function tsApi(): typeof TypeScript {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof TypeScript;
  return typescript;
}

interface Mapped {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Per generated file: its lines' segments [generated column, source line, source column], 0-based; undefined when it is not ours to map. */
const cache = new Map<string, { source: string; lines: number[][][] } | undefined>();

const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=[^\n]*\s*$/;

function loaderOptions(dir: string): Record<string, unknown> {
  const ts = tsApi();
  const path = ts.findConfigFile(dir, (f) => ts.sys.fileExists(f));
  const config = path === undefined ? {} : ((ts.readConfigFile(path, (p) => ts.sys.readFile(p)).config ?? {}) as { compilerOptions?: object });
  return {
    ...config,
    compilerOptions: {
      ...config.compilerOptions,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      noEmit: false,
      sourceMap: true,
      inlineSourceMap: false,
    },
  };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source map v3 `mappings`, decoded to [generated column, source line, source column] per generated line. */
function decodeMappings(mappings: string): number[][][] {
  const lines: number[][][] = [];
  let srcLine = 0;
  let srcCol = 0;
  let srcIdx = 0;
  for (const lineText of mappings.split(';')) {
    const segments: number[][] = [];
    let genCol = 0;
    for (const seg of lineText.split(',')) {
      if (seg === '') continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += values[0];
      if (values.length >= 4) {
        srcIdx += values[1];
        srcLine += values[2];
        srcCol += values[3];
        segments.push([genCol, srcLine, srcCol]);
      }
    }
    lines.push(segments);
  }
  void srcIdx;
  return lines;
}

function mapsFor(generated: string): { source: string; lines: number[][][] } | undefined {
  if (cache.has(generated)) return cache.get(generated);
  let result: { source: string; lines: number[][][] } | undefined;
  const stem = generated.replace(/\.mjs$/, '');
  const source = generated.endsWith('.mjs') ? [`${stem}.ts`, `${stem}.mts`].find((p) => existsSync(p)) : undefined;
  if (source !== undefined) {
    try {
      const ran = readFileSync(generated, 'utf8');
      const out = tsApi().transpileModule(readFileSync(source, 'utf8'), { ...loaderOptions(dirname(source)), fileName: source });
      const strip = (t: string) => t.replace(SOURCE_MAP_COMMENT, '\n').trimEnd();
      if (out.sourceMapText !== undefined && strip(out.outputText) === strip(ran)) {
        result = { source, lines: decodeMappings((JSON.parse(out.sourceMapText) as { mappings: string }).mappings) };
      }
    } catch {
      result = undefined;
    }
  }
  cache.set(generated, result);
  return result;
}

/** The TypeScript position of a 1-based position in a transpiled config, when it is one. */
export function originalPosition(generated: string, line: number, column: number): Mapped | undefined {
  const maps = mapsFor(generated);
  const segments = maps?.lines[line - 1];
  if (maps === undefined || segments === undefined || segments.length === 0) return undefined;
  let best = segments[0];
  for (const s of segments) if (s[0] <= column - 1) best = s;
  return { file: maps.source, line: best[1] + 1, column: best[2] + 1 };
}
