/**
 * `could not load config 'FILE': MESSAGE`, located where the loader (jiti's
 * Babel parser, Node's module loader, JSON.parse) or the stack says the
 * problem is.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { MicrokitError } from '../errors/microkit-error.js';
import type { SourceLocation } from '../sdf/location.js';
import { configLoadFailed } from './errors.js';

/** The tool's own modules: never the place a config failed, even when they are on the stack. */
const TOOL_CORE = fileURLToPath(new URL('../', import.meta.url));

/** The file as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}

function asPath(fileOrUrl: string): string {
  return fileOrUrl.startsWith('file://') ? fileURLToPath(fileOrUrl) : fileOrUrl;
}

/**
 * Where in which file the error happened, from the forms loaders use:
 * jiti's `ParseError: … \n /abs/file.ts:2:14`, or the first stack frame in
 * a file `accept`s. Frames from the tool itself end the search: what lies
 * beyond them is the caller, not the config.
 */
export function errorLocation(e: unknown, accept: (path: string) => boolean): { path: string; line: number; column: number } | undefined {
  if (!(e instanceof Error)) return undefined;
  // Babel (inside jiti) counts columns from 0; stack frames count from 1.
  const zeroBased = e.message.startsWith('ParseError');
  const text = `${e.message}\n${e.stack ?? ''}`;
  for (const m of text.matchAll(/(?<=^|[\s(])((?:file:\/\/)?\/[^\s():]+):(\d+)(?::(\d+))?/gm)) {
    const path = asPath(m[1]!);
    if (path.startsWith(TOOL_CORE)) return undefined;
    if (accept(path)) return { path, line: Number(m[2]), column: m[3] === undefined ? 1 : Number(m[3]) + (zeroBased ? 1 : 0) };
  }
  return undefined;
}

/** The loader's own message, without the location and stack it may carry. */
function loaderMessage(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  // parse-json colours its code frames whenever picocolors thinks it may (e.g. a `CI` variable is set).
  const text = stripVTControlCharacters(e.message);
  const first = text.split('\n')[0]!.trim();
  // jiti wraps Babel's error as `ParseError: <reason>`; cosmiconfig/parse-json prefix `JSON Error in <file>:`.
  // cosmiconfig's JSON loader puts `JSON Error in FILE:` on a line of its own.
  // A malformed package.json (read by cosmiconfig itself) has code frames between the two: the reason is the first line that is not one.
  const reason = /^JSON Error in .*:$/.test(first)
    ? (text
        .split('\n')
        .slice(1)
        .map((l) => l.trim())
        .find((l) => l !== '' && !/^(>|\d+ \||\|)/.test(l)) ?? first)
    : first;
  return reason.replace(/^(?:ParseError|SyntaxError):\s*/, '').replace(/\s+$/, '') || e.name;
}

export function configLoadError(file: string, e: unknown, cwd: string): MicrokitError {
  const shown = displayPath(file, cwd);
  const isUserFile = (p: string) => !p.includes('/node_modules/') && existsSync(p);
  const at = errorLocation(e, (p) => p === file) ?? errorLocation(e, isUserFile);
  const location: SourceLocation | undefined = at && { file: displayPath(at.path, cwd), line: at.line, column: at.column };
  const message = `microkit: error: could not load config '${shown}': ${loaderMessage(e)}`;
  return configLoadFailed(message, location, e);
}
