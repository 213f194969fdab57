/**
 * The `microkit` process: the CLI wired to the process and to the built-in
 * presets (the one place the core meets the board definitions). Both
 * executables run it: `bin.ts` (the modules as tsc built them) and the
 * bundle's launcher (`launcher.ts`, through the code-cached CommonJS bundle).
 */
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { discardAllStaged, onStaging } from '../output.js';
import { runCli } from './main.js';
import { osReason } from '../util/fs-error.js';

// Ctrl-C or a kill while outputs are staged: remove them, exit as the shell expects (128 + signal).
// Only while staging: otherwise the default action (end at once) is what the user wants.
const SIGNAL_CODES = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;

/**
 * Standard output that cannot be written (a full disk, `> /dev/full`, a reader that went away): one
 * line on stderr and exit 1, never Node's unhandled-error stack. A closed pipe (`| head -1`) is the
 * reader's choice: nothing to say, exit 141 as a program killed by SIGPIPE would. Staged outputs go.
 */
function onStdoutError(e: NodeJS.ErrnoException): void {
  discardAllStaged();
  if (e.code === 'EPIPE') process.exit(141);
  process.stderr.write(`microkit: error: could not write to standard output: ${osReason(e)}\n`);
  process.exit(1);
}

/** Run the CLI on this process's arguments and streams; resolves to the exit code. */
export async function startCli(argv: readonly string[]): Promise<number> {
  process.stdout.on('error', onStdoutError);
  // Nowhere left to say anything.
  process.stderr.on('error', () => {
    discardAllStaged();
    process.exit(1);
  });
  const handlers = SIGNAL_CODES.map(([signal, code]) => {
    const handler = () => {
      discardAllStaged();
      process.exit(code);
    };
    return [signal, handler] as const;
  });
  onStaging((staging) => {
    for (const [signal, handler] of handlers) {
      if (staging) process.on(signal, handler);
      else process.off(signal, handler);
    }
  });
  // Node ends a process whose event loop is empty even while a promise is pending, with exit code 0 (a config's
  // `await new Promise(() => {})`, a plugin's promise tap that never settles): the command would seem to succeed
  // having done nothing. Once the command has finished this listener is gone.
  const unsettled = () => {
    discardAllStaged();
    process.stderr.write(
      'microkit: error: the command stopped before finishing: a promise it waited for never settles (a top-level await in the config file, or a plugin hook)\n',
    );
    process.exit(1);
  };
  process.on('beforeExit', unsettled);
  try {
    return await runCli(argv, {
      cwd: process.cwd(),
      env: process.env,
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
      stderrIsTTY: process.stderr.isTTY === true,
      presets: presetRegistry(),
      genericPreset: (arch) => genericPresetFor(arch).name,
      progress: process.stderr.isTTY ? { write: (text) => process.stderr.write(text), columns: process.stderr.columns } : undefined,
    });
  } finally {
    process.off('beforeExit', unsettled);
  }
}
