#!/usr/bin/env node
/**
 * The `microkit` executable: the CLI wired to the process and to the
 * built-in presets (the one place the core meets the board definitions).
 *
 * Start-up time matters for small builds: where Node has a module compile
 * cache (22.1+) it is switched on before the CLI's modules load, so the
 * rest is imported dynamically.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const [{ genericPresetFor, presetRegistry }, { runCli }, { discardAllStaged, onStaging }] = await Promise.all([
  import('../../presets/index.js'),
  import('./main.js'),
  import('../output.js'),
]);

// Ctrl-C or a kill while outputs are staged: remove them, exit as the shell expects (128 + signal).
// Only while staging: otherwise the default action (end at once) is what the user wants.
const handlers = (
  [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const
).map(([signal, code]) => {
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

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  stderrIsTTY: process.stderr.isTTY === true,
  presets: presetRegistry(),
  genericPreset: (arch) => genericPresetFor(arch).name,
  progress: process.stderr.isTTY ? { write: (text) => process.stderr.write(text), columns: process.stderr.columns } : undefined,
});
process.exitCode = code;
