/**
 * The `microkit` command: parse the command line, run the chosen command,
 * print errors as upstream does (message on stderr, exit 1, never a stack
 * trace). Environment and output are injected so tests run it in-process.
 */
import { isMicrokitError, type MicrokitError } from '../errors/microkit-error.js';
import { formatLocation } from '../sdf/location.js';
import { parseCommandLine } from './args.js';
import type { CliEnvironment } from './setup.js';

export type { CliEnvironment } from './setup.js';

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  const after: string[] = [];
  const run = { ...env, stderrAfter: (line: string) => after.push(line) };
  try {
    return await parseCommandLine(argv).run(run);
  } catch (e) {
    return report(e, env);
  } finally {
    for (const line of after) env.stderr(line);
  }
}

function report(e: unknown, env: CliEnvironment): number {
  if (isMicrokitError(e)) {
    if (e.stdoutPrefix) env.stdout(e.stdoutPrefix);
    env.stderr(e.message);
    const where = pluginErrorLocation(e);
    if (where) env.stderr(`  --> ${where}`);
    if (env.env.MICROKIT_DEBUG && e.cause instanceof Error && e.cause.stack) env.stderr(e.cause.stack);
    return 1;
  }
  // A bug in the tool: say so plainly; the stack only on request.
  const detail = e instanceof Error ? e.message : String(e);
  env.stderr(`microkit: internal error: ${detail}`);
  if (env.env.MICROKIT_DEBUG && e instanceof Error && e.stack) env.stderr(e.stack);
  env.stderr('This is a bug in the tool; please report it with the input that caused it.');
  return 1;
}

/** A plugin's error with a location its message does not mention (the core's errors show theirs). */
function pluginErrorLocation(e: MicrokitError): string | undefined {
  if (e.plugin === undefined || !e.location) return undefined;
  return e.message.includes(`${e.location.file}:`) ? undefined : formatLocation(e.location);
}
