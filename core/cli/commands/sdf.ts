/**
 * `microkit sdf`: the SDF of a system: of the config's `system:` made in
 * TypeScript, or (`--from FILE`) of an existing SDF, normalised. The system
 * is parsed and validated first (as `microkit check`), then written from
 * the model in a stable layout (core/sdf/write).
 */
import type { Command } from 'commander';
import { writeOutputFile } from '../output-file.js';
import { writeSdfLines } from '../../sdf/write/system.js';
import type { CliSubcommand } from '../command.js';
import { argumentError, type CliBuildArgs } from '../options.js';
import { build } from './build.js';

interface SdfArgs {
  readonly from?: string;
  readonly output?: string;
  readonly board?: string;
  readonly config?: string;
  readonly searchPath?: readonly string[];
  readonly kernelConfig?: string;
  readonly configFile?: string;
}

export const sdfCommand: CliSubcommand = {
  name: 'sdf',
  register(program, select) {
    program
      .command('sdf')
      .description("write a system as SDF: the config's TypeScript system, or --from FILE normalised (validated first, as check)")
      .option('--from <system>', "an SDF file to normalise instead of the config's system")
      .option('-o, --output <file>', 'write the SDF here (default: standard output)')
      .option('--board <board>', 'target board (an SDK board, or a preset)')
      .option('--config <config>', 'kernel configuration: debug, release, ...')
      .option('--search-path <search_path...>', 'directories to look up prefill files in')
      .option('--kernel-config <file>', "kernel facts as JSON over the board's")
      .option('--config-file <file>', 'use this microkit.config file instead of searching for one')
      .allowExcessArguments(false)
      .action((opts: SdfArgs, cmd: Command) => {
        if (cmd.args.length > 0) throw argumentError(`unrecognized argument '${cmd.args[0]}'`, true);
        select({
          name: 'sdf',
          async run(env) {
            const args: CliBuildArgs = { ...opts, system: opts.from };
            // With the SDF on stdout, the check's own lines (warnings) go to stderr so the output stays a clean document.
            const { result, ctx } = await build('check', args, opts.output === undefined ? { ...env, stdout: env.stderr } : env);
            const lines = writeSdfLines(result.system, ctx.pipeline.sdf, ctx.arch);
            if (opts.output === undefined) {
              for (const line of lines) env.stdout(line);
              return 0;
            }
            // The config's TypeScript system: `-o microkit.config.ts` replaced the config with its SDF. (An SDF
            // normalised in place, `--from x.system -o x.system`, is allowed: it is read whole before the write.)
            const sources =
              opts.from === undefined ? [{ given: opts.output, path: ctx.options.systemPath, role: 'the config file the system comes from' }] : [];
            writeOutputFile(opts.output, env.cwd, sources, (emit) => {
              for (const line of lines) emit(`${line}\n`);
            });
            return 0;
          },
        });
      });
  },
};
