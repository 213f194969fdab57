/**
 * Where the user called the API: the first stack frame outside this
 * directory. Errors for what a call described are located there, as SDF
 * errors are located at the element (`file:line:col`).
 */
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '../sdf/location.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
/** Built code's frames may be source-mapped back to the TypeScript sources (dist/core/system → core/system). */
const SOURCE_DIR = HERE.replace(`${sep}dist${sep}core${sep}`, `${sep}core${sep}`);

/** `at fn (file:line:col)` or `at file:line:col`; file may be a file:// URL and may contain spaces. */
const FRAME = /^at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

export function callSite(cwd: string = process.cwd()): SourceLocation {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  // The user's frame is the second (after the API method); a few more for wrappers of their own.
  Error.stackTraceLimit = 10;
  Error.captureStackTrace(holder, callSite);
  Error.stackTraceLimit = limit;
  for (const frame of (holder.stack ?? '').split('\n').slice(1)) {
    const m = FRAME.exec(frame.trim());
    if (m === null) continue;
    const path = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (path.startsWith(HERE) || path.startsWith(SOURCE_DIR) || path.startsWith('node:') || !path.includes(sep)) continue;
    const line = Number(m[2]);
    const column = Number(m[3]);
    return { file: displayPath(path, cwd), line, column };
  }
  return { file: '<unknown>', line: 0, column: 0 };
}

/** Relative to the working directory when inside it, as a user would name the file. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
