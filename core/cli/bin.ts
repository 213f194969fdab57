#!/usr/bin/env node
/**
 * The `microkit` executable: the CLI wired to the process and to the
 * built-in presets (the one place the core meets the board definitions).
 */
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { runCli } from './main.js';

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
