/**
 * How a subcommand joins the CLI: it registers itself on the commander
 * program and, when chosen, hands back the invocation to run. Each
 * subcommand is one module under `commands/`, listed in `commands/index.ts`,
 * so adding one touches no other command.
 */
import type { Command } from 'commander';
import type { CliEnvironment } from './setup.js';

/** A parsed command line, ready to run; resolves to the exit code. */
export interface CliInvocation {
  /** The subcommand's name (`build` for the root command), for tests and traces. */
  readonly name: string;
  run(env: CliEnvironment): Promise<number>;
}

export interface CliSubcommand {
  readonly name: string;
  /** Add the subcommand (and its options) to `program`; call `select` from its action. */
  register(program: Command, select: (invocation: CliInvocation) => void): void;
}
