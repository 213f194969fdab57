/**
 * `microkit graph SYSTEM [-o out.svg|out.html]`: the system drawn by
 * Graphviz. Its code (and Graphviz's WebAssembly) is loaded only when the
 * command runs.
 */
import type { Command } from 'commander';
import type { GraphArgs } from '../../graph/cli.js';
import type { CliSubcommand } from '../command.js';
import { argumentError } from '../options.js';

export const graphCommand: CliSubcommand = {
  name: 'graph',
  register(program, select) {
    program
      .command('graph')
      .description('draw a system: PDs, channels, shared regions, IRQs, I/O ports, IOMMU devices, VMs (SVG, or self-contained HTML with details on hover)')
      .argument('[system]', "the System Description File (default: the config file's)")
      .option('--board <board>', 'target board (an SDK board or a preset)')
      .option('--config <config>', 'kernel configuration (default: debug)')
      .option('--search-path <search_path...>', 'directories to look up prefill files in')
      .option('--kernel-config <file>', "kernel facts as JSON (upstream Config field names), over the board's")
      .option('--config-file <file>', 'use this microkit.config file instead of searching for one')
      .option('-o, --output <file>', 'write to this file (.svg or .html); default: SVG on stdout')
      .option('--format <format>', 'svg, html or dot (default: from the output file name, else svg)')
      .allowExcessArguments(true)
      .action((system: string | undefined, opts: GraphArgs, cmd: Command) => {
        if (cmd.args.length > 1) throw argumentError(`unrecognized argument '${cmd.args[1]}'`, true);
        select({
          name: 'graph',
          async run(env) {
            const { runGraph } = await import('../../graph/cli.js');
            return runGraph(system, opts, env);
          },
        });
      });
  },
};
