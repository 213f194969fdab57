/** The subcommands, in the order `--help` lists them. Add a command here and in its own module. */
import type { CliSubcommand } from '../command.js';
import { boardsCommand } from './boards.js';
import { checkCommand } from './build.js';
import { graphCommand } from './graph.js';
import { inspectCommand } from './inspect.js';
import { runCommand } from './run.js';
import { sdfCommand } from './sdf.js';
import { sdkCommand } from './sdk.js';

export const SUBCOMMANDS: readonly CliSubcommand[] = [checkCommand, boardsCommand, runCommand, sdkCommand, sdfCommand, inspectCommand, graphCommand];
