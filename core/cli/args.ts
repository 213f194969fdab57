/**
 * The command line: upstream's flags and texts on a commander program, plus
 * our subcommands (one module each under `commands/`). Parsing is separate
 * from acting so tests can check arguments without building anything.
 */
import { Command, CommanderError } from 'commander';
import type { MicrokitError } from '../errors/microkit-error.js';
import type { CliInvocation } from './command.js';
import { buildInvocation, registerRootBuild } from './commands/build.js';
import { SUBCOMMANDS } from './commands/index.js';
import { argumentError } from './options.js';
import { versionText } from './version.js';

export { USAGE, argumentError, type CliBuildArgs } from './options.js';

function buildProgram(select: (invocation: CliInvocation) => void): Command {
  const program = new Command('microkit');
  program
    .usage('[-h] [OPTIONS] --board BOARD --config CONFIG [--search-path SEARCH_PATH ...] system')
    .description(
      'Build a seL4 Microkit system: capDL spec, report and boot image from a System Description File.\nWith no arguments, builds what microkit.config.ts describes.',
    )
    .argument('[system]', 'the System Description File (.system)')
    .allowExcessArguments(true)
    // Options after a subcommand belong to the subcommand (both have --board etc.).
    .enablePositionalOptions()
    .helpOption('-h, --help', 'show this help message and exit')
    .version(versionText(), '-V, --version', 'print the version and exit');
  registerRootBuild(program, select);
  for (const sub of SUBCOMMANDS) sub.register(program, select);
  return program;
}

/** Every command below `program`, depth first, so each gets the same output capture. */
function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap((c) => allCommands(c))];
}

/** Map commander's errors onto upstream's argument-error texts. */
function translate(e: CommanderError): MicrokitError {
  const flag = /'(?:-\w, )?(--[\w-]+)/.exec(e.message)?.[1];
  switch (e.code) {
    case 'commander.optionMissingArgument':
      return argumentError(`argument ${flag ?? '?'}: expected one parameter`);
    case 'commander.missingMandatoryOptionValue':
      // A required option not given at all (argparse's wording, as for --board and --config).
      return argumentError(`the following arguments are required: ${flag ?? '?'}`);
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

/** Parse argv (without node and script) into the invocation to run. */
export function parseCommandLine(argv: readonly string[]): CliInvocation {
  let chosen: CliInvocation | undefined;
  const program = buildProgram((invocation) => (chosen = invocation));
  let helpText = '';
  const capture = { writeOut: (s: string) => (helpText += s), writeErr: () => {}, outputError: () => {} };
  // argparse's titles, as upstream's help prints them (`usage: microkit ...` first).
  const help = { styleTitle: (title: string) => title.toLowerCase() };
  for (const cmd of allCommands(program)) cmd.exitOverride().configureOutput(capture).configureHelp(help);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return helpInvocation(helpText);
      throw translate(e);
    }
    throw e;
  }
  return chosen ?? buildInvocation('build', {});
}

function helpInvocation(text: string): CliInvocation {
  return {
    name: 'help',
    async run(env) {
      for (const line of text.trimEnd().split('\n')) env.stdout(line);
      return 0;
    },
  };
}
