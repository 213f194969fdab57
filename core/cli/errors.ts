/** The errors of the command line: one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';

/**
 * `microkit: error: <msg>`; `usage` goes first on stdout, as upstream prints it for some argument errors;
 * `notes` are lines of our own after upstream's (a suggestion).
 */
export function cliArgumentsError(message: string, usage?: string, notes: readonly string[] = []): MicrokitError {
  const text = [`microkit: error: ${message}`, ...notes].join('\n');
  return new MicrokitError('CLI_ARGUMENTS', text, usage === undefined ? {} : { stdoutPrefix: usage });
}

/** An argument error with lines of our own after upstream's first line (e.g. the known boards). */
export function cliArgumentsErrorWithLines(first: string, lines: readonly string[]): MicrokitError {
  return new MicrokitError('CLI_ARGUMENTS', [first, ...lines].join('\n'));
}

export function sdfMissing(file: string): MicrokitError {
  return new MicrokitError('SDF_MISSING', `microkit: error: system description file '${file}' does not exist`);
}

export function runError(message: string): MicrokitError {
  return new MicrokitError('RUN', `microkit: error: ${message}`);
}
