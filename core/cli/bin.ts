#!/usr/bin/env node
/**
 * The `microkit` executable: the CLI wired to the process and to the
 * built-in presets (the one place the core meets the board definitions).
 */
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { discardAllStaged, onStaging } from '../output.js';
import { runCli } from './main.js';

// Ctrl-C or a kill while outputs are staged: remove them, exit as the shell expects (128 + signal).
// Only while staging: otherwise the default action (end at once) is what the user wants.
const handlers = ([['SIGINT', 130], ['SIGTERM', 143]] as const).map(([signal, code]) => {
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
});
process.exitCode = code;
