/**
 * The `microkit` command: parse the command line, run the chosen command,
 * print errors as upstream does (message on stderr, exit 1, never a stack
 * trace). Environment and output are injected so tests run it in-process.
 */
import { isMicrokitError } from '../errors/microkit-error.js';
import { isErrno, osReason } from '../util/fs-error.js';
import { parseCommandLine } from './args.js';
import type { CliEnvironment } from './setup.js';

export type { CliEnvironment } from './setup.js';

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  try {
    return await parseCommandLine(argv).run(env);
  } catch (e) {
    return report(e, env);
  }
}

function report(e: unknown, env: CliEnvironment): number {
  if (isMicrokitError(e)) {
    if (e.stdoutPrefix) env.stdout(e.stdoutPrefix);
    env.stderr(e.message);
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
  env.stderr(`microkit: internal error: ${detail}`);
  if (env.env.MICROKIT_DEBUG && e instanceof Error && e.stack) env.stderr(e.stack);
  env.stderr('This is a bug in the tool; please report it with the input that caused it.');
  return 1;
}
