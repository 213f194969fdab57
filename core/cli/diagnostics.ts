/**
 * Printing diagnostics on the command line: `--format human|json`,
 * `--color auto|always|never`, `--max-errors N`. Human output keeps
 * upstream's first line first; JSON is one array on stderr (schema:
 * docs/diagnostics.schema.json). Exit codes do not depend on the format.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { toDiagnostic, type SourceLines } from '../diagnostics/from-error.js';
import { renderHuman } from '../diagnostics/render-human.js';
import type { Diagnostic, DiagnosticOutputOptions } from '../diagnostics/types.js';
import type { MicrokitError } from '../errors/microkit-error.js';
import type { CliEnvironment } from './setup.js';
import { sourceMappedStack } from './debug-stack.js';

export const DEFAULT_MAX_ERRORS = 20;
export const FORMATS = ['human', 'json'] as const;
export const COLOR_MODES = ['auto', 'always', 'never'] as const;

/** The diagnostic flags as typed (validated by commander's choices where the command line is parsed). */
export interface DiagnosticFlags {
  readonly format?: string;
  readonly color?: string;
  readonly maxErrors?: string;
}

/**
 * Read the diagnostic flags straight from argv, so an error in the command
 * line itself is printed in the format asked for.
 */
export function scanDiagnosticFlags(argv: readonly string[]): DiagnosticFlags {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(format|color|max-errors)(?:=(.*))?$/.exec(argv[i]);
    if (!m) continue;
    const value = m[2] ?? argv[i + 1];
    if (value !== undefined) flags[m[1] === 'max-errors' ? 'maxErrors' : m[1]] = value;
  }
  return flags;
}

export function diagnosticOutputOptions(flags: DiagnosticFlags, env: CliEnvironment): DiagnosticOutputOptions {
  const format = flags.format === 'json' ? 'json' : 'human';
  const noColor = env.env.NO_COLOR !== undefined && env.env.NO_COLOR !== '';
  const color = flags.color === 'always' ? true : flags.color === 'never' ? false : !noColor && env.stderrIsTTY === true;
  const n = flags.maxErrors !== undefined && /^\d+$/.test(flags.maxErrors) ? Number(flags.maxErrors) : DEFAULT_MAX_ERRORS;
  return { format, color, maxErrors: n > 0 ? n : DEFAULT_MAX_ERRORS };
}

/** Source lines read from disk relative to the working directory, each file once. */
export function sourceReader(cwd: string): SourceLines {
  const cache = new Map<string, readonly string[] | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      let lines: string[] | undefined;
      try {
        lines = readFileSync(resolve(cwd, file), 'utf8').split(/\r?\n/);
      } catch {
        lines = undefined;
      }
      cache.set(file, lines);
    }
    return cache.get(file);
  };
}

/**
 * Print the errors of a failed run (at most maxErrors, then `error: N
 * errors`) and the warnings recorded before it; or, with no errors, the
 * warnings of a successful run.
 */
export function printDiagnostics(
  errors: readonly MicrokitError[],
  warnings: readonly MicrokitError[],
  opts: DiagnosticOutputOptions,
  env: CliEnvironment,
): void {
  const source = sourceReader(env.cwd);
  const shown = errors.slice(0, opts.maxErrors);
  // Upstream prints usage on stdout before some argument errors; only the first error can be one.
  if (shown[0]?.stdoutPrefix) env.stdout(shown[0].stdoutPrefix);
  if (opts.format === 'json') {
    const all: Diagnostic[] = [...shown.map((e) => toDiagnostic(e, source, 'error')), ...warnings.map((w) => toDiagnostic(w, source, 'warning'))];
    env.stderr(JSON.stringify(all));
    return;
  }
  shown.forEach((e, i) => {
    if (i > 0) env.stderr('');
    for (const line of renderHuman(toDiagnostic(e, source, 'error'), source, opts.color)) env.stderr(line);
    // A plugin's failure: where in the plugin, only on request.
    if (env.env.MICROKIT_DEBUG && e.cause instanceof Error && e.cause.stack) env.stderr(sourceMappedStack(e.cause.stack));
  });
  if (errors.length > 1) {
    const more = errors.length > shown.length ? ` (the first ${shown.length} shown; --max-errors)` : '';
    env.stderr('');
    env.stderr(`error: ${errors.length} errors${more}`);
  }
  for (const w of warnings) {
    if (errors.length > 0 || w !== warnings[0]) env.stderr('');
    for (const line of renderHuman(toDiagnostic(w, source, 'warning'), source, opts.color)) env.stderr(line);
  }
}

/** A bug in the tool, as a diagnostic for `--format json`. */
export function internalErrorDiagnostic(detail: string): Diagnostic {
  return {
    code: 'INTERNAL_ERROR',
    severity: 'error',
    message: `microkit: internal error: ${detail}`,
    related: [],
    help: ['This is a bug in the tool; please report it with the input that caused it.'],
  };
}
