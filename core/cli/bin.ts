#!/usr/bin/env node
/**
 * The `microkit` executable: the CLI wired to the process and to the
 * built-in presets (the one place the core meets the board definitions).
 */
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { discardAllStaged } from '../output.js';
import { runCli } from './main.js';

// Ctrl-C or a kill during a build: remove what was staged, exit as the shell expects (128 + signal).
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    discardAllStaged();
    process.exit(code);
  });
}

const code = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  presets: presetRegistry(),
  genericPreset: (arch) => genericPresetFor(arch).name,
});
process.exitCode = code;
