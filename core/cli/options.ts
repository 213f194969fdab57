/** The build options shared by the root command and `check`, and upstream's argument-error form. */
import { Command, Option } from 'commander';
import type { MicrokitError } from '../errors/microkit-error.js';
import { cliArgumentsError } from './errors.js';

export const USAGE = 'usage: microkit [-h] [OPTIONS] --board BOARD --config CONFIG [--search-path SEARCH_PATH ...] system';

/** Options of a build or check, as given on the command line (paths as typed). */
export interface CliBuildArgs {
  readonly system?: string;
  readonly output?: string;
  readonly report?: string;
  readonly board?: string;
  readonly config?: string;
  readonly searchPath?: readonly string[];
  readonly imageType?: string;
  readonly capdlJson?: string;
  readonly viperOutput?: string;
  readonly manifest?: string;
  readonly overrideKernel?: string;
  readonly kernelConfig?: string;
  readonly configFile?: string;
  /** `--no-config`: use no config file. */
  readonly noConfig?: boolean;
  readonly format?: string;
  readonly color?: string;
  readonly maxErrors?: string;
  readonly denyWarnings?: boolean;
  /** Rebuild whenever an input changes (core/watch). */
  readonly watch?: boolean;
  /** No progress line on stderr (ours; upstream has none). */
  readonly quiet?: boolean;
}

/** `microkit: error: <msg>`, optionally after the usage line on stdout (as upstream). */
export function argumentError(message: string, withUsage = false): MicrokitError {
  return cliArgumentsError(message, withUsage ? USAGE : undefined);
}

/** `--no-config`, a flag of its own: commander would otherwise read it as the negation of `--config <config>`. */
export function noConfigOption(): Option {
  const option = new Option('--no-config', 'use no microkit.config file, even if one is found');
  option.negate = false;
  return option;
}

/** `--config-file` and `--no-config`: every command that reads the config file has both. */
export function addConfigFileOptions(cmd: Command): Command {
  return cmd.option('--config-file <file>', 'use this microkit.config file instead of searching for one').addOption(noConfigOption());
}

/** Each `--search-path` value, appended (the preset `[]` of a bare `--search-path` adds none). */
function collectSearchPath(value: string | readonly string[], previous: readonly string[] | undefined): readonly string[] {
  const list = Array.isArray(previous) ? previous : [];
  return typeof value === 'string' ? [...list, value] : list;
}

/** What both a build and a check read: board, kernel config, search paths, config file. */
export function addInputOptions(cmd: Command): Command {
  cmd
    .option('--board <board>', 'target board (an SDK board, or a preset without an SDK)')
    .option('--config <config>', 'kernel configuration: debug, release, benchmark, smp-debug, ...')
    // Zero or more, as upstream's (`--search-path` alone is an empty list: only the working directory).
    .addOption(
      new Option('--search-path [search_path...]', 'directories to look up program images and prefill files in').preset([]).argParser(collectSearchPath),
    )
    .option('--kernel-config <file>', "kernel facts as JSON (upstream Config field names), over the board's");
  return addDiagnosticOptions(addConfigFileOptions(cmd)).option(
    '--watch',
    'rebuild whenever the SDF, the config (and what it imports) or a program image changes; Ctrl-C ends',
  );
}

/** How diagnostics are printed (docs/diagnostics.md): every command that reads an SDF has these. */
export function addDiagnosticOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', 'diagnostics as human text or JSON on stderr (default: human)').choices(['human', 'json']))
    .addOption(new Option('--color <when>', 'colour in diagnostics (default: auto, none with NO_COLOR)').choices(['auto', 'always', 'never']))
    .option('--max-errors <n>', 'print at most N errors (default: 20)', (v: string) => {
      if (!/^[1-9]\d*$/.test(v)) throw argumentError(`argument --max-errors: invalid value '${v}' (a positive number)`);
      return v;
    })
    .option('--deny-warnings', 'treat warnings as errors');
}

/** Upstream's build command line: the inputs plus what a build writes. */
export function addBuildOptions(cmd: Command): Command {
  cmd.option('-o, --output <output>', 'boot image to write (default: loader.img)').option('-r, --report <report>', 'report to write (default: report.txt)');
  addInputOptions(cmd);
  return cmd
    .addOption(new Option('--image-type <type>', 'image format: binary, elf or uimage (default: per board)'))
    .option('--capdl-json <capdl_spec>', 'also write the capDL spec as JSON')
    .option('--viper-output <directory_path>', 'write Viper views, one file per PD')
    .option('--manifest <file>', 'also write the system manifest (JSON, docs/manifest.md)')
    .option('--override-kernel <kernel>', "use this kernel ELF instead of the SDK's (for debugging)")
    .option('--quiet', 'no progress line on stderr for long builds (shown only when stderr is a terminal)');
}

/**
 * The command line of one build with these arguments (what `--watch` runs for
 * each rebuild), derived from the options the command itself defines, so an
 * option added to the command is forwarded without being listed here again.
 */
export function buildArgv(mode: 'build' | 'check', args: CliBuildArgs): string[] {
  const cmd = new Command();
  if (mode === 'build') addBuildOptions(cmd);
  else addInputOptions(cmd);
  const values = args as Readonly<Record<string, unknown>>;
  const out: string[] = mode === 'check' ? ['check'] : [];
  for (const option of cmd.options) {
    // --watch is what runs the rebuilds; each rebuild is a plain build.
    if (option.long === undefined || option.long === '--watch') continue;
    const value = values[option.attributeName()];
    if (value === undefined || value === false) continue;
    if (option.isBoolean()) out.push(option.long);
    else if (Array.isArray(value)) out.push(option.long, ...value.map(String));
    else out.push(option.long, String(value));
  }
  // The system last: after the variadic --search-path it would be taken as a search path.
  if (args.system !== undefined) out.push('--', args.system);
  return out;
}
