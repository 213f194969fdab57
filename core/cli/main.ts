/**
 * The `microkit` command: parse the command line, run the chosen command,
 * print errors as upstream does (message on stderr, exit 1, never a stack
 * trace), followed by our code frames and help (core/cli/diagnostics.ts).
 * Environment and output are injected so tests run it in-process.
 */
import { errorsOf } from '../diagnostics/sink.js';
import { isMicrokitError } from '../errors/microkit-error.js';
import { isErrno, osReason } from '../util/fs-error.js';
import { parseCommandLine } from './args.js';
import { diagnosticOutputOptions, internalErrorDiagnostic, printDiagnostics, scanDiagnosticFlags } from './diagnostics.js';
import type { CliEnvironment } from './setup.js';
import { sourceMappedStack } from './debug-stack.js';

export type { CliEnvironment } from './setup.js';

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const after: string[] = [];
  const run = { ...env, stderrAfter: (line: string) => after.push(line) };
  try {
    return await parseCommandLine(argv).run(run);
  } catch (e) {
    return report(e, argv, env);
  } finally {
    for (const line of after) env.stderr(line);
  }
}

function report(e: unknown, argv: readonly string[], env: CliEnvironment): number {
  const opts = diagnosticOutputOptions(scanDiagnosticFlags(argv), env);
  if (isMicrokitError(e)) {
    printDiagnostics(errorsOf(e), [], opts, env);
    return 1;
  }
  // A filesystem or process failure nobody wrapped is still the user's to fix, not a bug.
  if (isErrno(e)) {
    const what = e.path ? `${e.syscall ?? 'access'} '${e.path}'` : (e.syscall ?? 'complete the operation');
    env.stderr(`microkit: error: could not ${what}: ${osReason(e)}`);
    return 1;
  }
  // A bug in the tool: say so plainly; the stack only on request.
  const detail = e instanceof Error ? e.message : String(e);
  if (opts.format === 'json') {
    env.stderr(JSON.stringify([internalErrorDiagnostic(detail)]));
    return 1;
  }
  env.stderr(`microkit: internal error: ${detail}`);
  if (env.env.MICROKIT_DEBUG && e instanceof Error && e.stack) env.stderr(sourceMappedStack(e.stack));
  env.stderr('This is a bug in the tool; please report it with the input that caused it.');
  return 1;
}
