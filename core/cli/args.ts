/**
 * The command line: upstream's flags and texts on a commander program, plus
 * our subcommands (check, boards, sdk synth). Parsing is separate from
 * acting so tests can check arguments without building anything.
 */
import { Command, CommanderError, Option } from 'commander';
import { MicrokitError } from '../errors/microkit-error.js';

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
  readonly overrideKernel?: string;
  readonly kernelConfig?: string;
  readonly configFile?: string;
}

export type CliCommand =
  | { readonly kind: 'build'; readonly args: CliBuildArgs }
  | { readonly kind: 'check'; readonly args: CliBuildArgs }
  | { readonly kind: 'boards'; readonly configFile?: string }
  | { readonly kind: 'synth'; readonly board: string; readonly configs?: readonly string[]; readonly out: string }
  | { readonly kind: 'help'; readonly text: string };

/** `microkit: error: <msg>`, optionally after the usage line on stdout (as upstream). */
export function argumentError(message: string, withUsage = false): MicrokitError {
  return new MicrokitError('CLI_ARGUMENTS', `microkit: error: ${message}`, withUsage ? { stdoutPrefix: USAGE } : {});
}

function addBuildOptions(cmd: Command): Command {
  return cmd
    .option('-o, --output <output>', 'boot image to write (default: loader.img)')
    .option('-r, --report <report>', 'report to write (default: report.txt)')
    .option('--board <board>', 'target board (an SDK board, or a preset without an SDK)')
    .option('--config <config>', 'kernel configuration: debug, release, benchmark, smp-debug, ...')
    .option('--search-path <search_path...>', 'directories to look up program images and prefill files in')
    .addOption(new Option('--image-type <type>', 'image format: binary, elf or uimage (default: per board)'))
    .option('--capdl-json <capdl_spec>', 'also write the capDL spec as JSON')
    .option('--viper-output <directory_path>', 'write Viper views, one file per PD')
    .option('--override-kernel <kernel>', 'use this kernel ELF instead of the SDK\'s (for debugging)')
    .option('--kernel-config <file>', 'kernel facts as JSON (upstream Config field names), over the board\'s')
    .option('--config-file <file>', 'use this microkit.config file instead of searching for one');
}

function buildProgram(result: { command?: CliCommand }): Command {
  const program = new Command('microkit');
  program
    .usage('[-h] [OPTIONS] --board BOARD --config CONFIG [--search-path SEARCH_PATH ...] system')
    .description('Build a seL4 Microkit system: capDL spec, report and boot image from a System Description File.\nWith no arguments, builds what microkit.config.ts describes.')
    .argument('[system]', 'the System Description File (.system)')
    .allowExcessArguments(true)
    // Options after a subcommand belong to the subcommand (both have --board etc.).
    .enablePositionalOptions()
    .helpOption('-h, --help', 'show this help message and exit');
  addBuildOptions(program).action((system: string | undefined, opts: CliBuildArgs, cmd: Command) => {
    if (cmd.args.length > 1) throw argumentError(`unrecognized argument '${cmd.args[1]}'`, true);
    result.command = { kind: 'build', args: { ...opts, system } };
  });

  addBuildOptions(
    program
      .command('check')
      .description('parse and validate a System Description File only (no SDK needed)')
      .argument('[system]', 'the System Description File')
      .allowExcessArguments(true),
  ).action((system: string | undefined, opts: CliBuildArgs, cmd: Command) => {
    if (cmd.args.length > 1) throw argumentError(`unrecognized argument '${cmd.args[1]}'`, true);
    result.command = { kind: 'check', args: { ...opts, system } };
  });

  program
    .command('boards')
    .description('list the boards (presets, and the SDK\'s when MICROKIT_SDK or the config names one) with their configs')
    .option('--config-file <file>', 'use this microkit.config file')
    .action((opts: { configFile?: string }) => {
      result.command = { kind: 'boards', configFile: opts.configFile };
    });

  const sdk = program.command('sdk').description('Microkit SDK tools');
  sdk
    .command('synth')
    .description('generate a synthetic SDK (stub ELFs, kernel facts from the preset) for a board; images built with it do not boot')
    .requiredOption('--board <board>', 'preset board')
    .option('--config <config...>', 'configs to generate (default: all of the board\'s)')
    .requiredOption('--out <dir>', 'output directory')
    .action((opts: { board: string; config?: string[]; out: string }) => {
      result.command = { kind: 'synth', board: opts.board, configs: opts.config, out: opts.out };
    });
  return program;
}

/** Map commander's errors onto upstream's argument-error texts. */
function translate(e: CommanderError): MicrokitError {
  const flag = /'(?:-\w, )?(--[\w-]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'commander.optionMissingArgument':
    case 'commander.missingMandatoryOptionValue':
      return argumentError(`argument ${flag ?? '?'}: expected one parameter`);
    case 'commander.unknownOption': {
      const opt = /unknown option '([^']+)'/.exec(e.message)?.[1] ?? '?';
      return argumentError(`unrecognized argument '${opt}'`, true);
    }
    case 'commander.unknownCommand':
    case 'commander.excessArguments':
      return argumentError(e.message.replace(/^error: /, ''), true);
    default:
      return argumentError(e.message.replace(/^error: /, ''));
  }
}

/** Parse argv (without node and script). */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  const result: { command?: CliCommand } = {};
  const program = buildProgram(result);
  let helpText = '';
  program.exitOverride();
  const capture = { writeOut: (s: string) => (helpText += s), writeErr: () => {}, outputError: () => {} };
  program.configureOutput(capture);
  for (const sub of program.commands) {
    sub.exitOverride().configureOutput(capture);
    for (const subsub of sub.commands) subsub.exitOverride().configureOutput(capture);
  }
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return { kind: 'help', text: helpText };
      throw translate(e);
    }
    throw e;
  }
  return result.command ?? { kind: 'build', args: {} };
}
