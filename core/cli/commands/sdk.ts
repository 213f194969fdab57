/** `microkit sdk …`: SDK tools (today: `sdk synth`, a synthetic SDK for a preset board). */
import { resolve } from 'node:path';
import { synthesizeSdk } from '../../sdk/synthetic.js';
import { fileAccessError } from '../../util/errors.js';
import { fileError, isErrno } from '../../util/fs-error.js';
import type { CliSubcommand } from '../command.js';
import { argumentError } from '../options.js';

export const sdkCommand: CliSubcommand = {
  name: 'sdk',
  register(program, select) {
    const sdk = program.command('sdk').description('Microkit SDK tools');
    // `microkit sdk` alone: which subcommands there are (a usage error, as commander treats a missing subcommand).
    sdk.action(() => {
      // `microkit sdk synht` printed the help alone, without saying what was wrong.
      const unknown = sdk.args[0];
      if (unknown !== undefined) throw argumentError(`unknown sdk command '${unknown}' (choose from: synth)`);
      const help = sdk.helpInformation();
      select({
        name: 'sdk',
        async run(env) {
          for (const line of help.trimEnd().split('\n')) env.stderr(line);
          return 1;
        },
      });
    });
    sdk
      .command('synth')
      .description('generate a synthetic SDK (stub ELFs, kernel facts from the preset) for a board; images built with it do not boot')
      .requiredOption('--board <board>', 'preset board')
      .option('--config <config...>', "configs to generate (default: all of the board's)")
      .requiredOption('--out <dir>', 'output directory')
      .action((opts: { board: string; config?: string[]; out: string }) => {
        select({
          name: 'sdk synth',
          async run(env) {
            let written: string[];
            // An empty name is no directory (mkdir("") is ENOENT); resolved, it would be the working directory.
            if (opts.out === '') throw fileAccessError('SDK_SYNTH_WRITE', 'write the synthetic SDK to', '', 'no such file or directory', undefined);
            try {
              written = synthesizeSdk({ registry: env.presets, board: opts.board, configs: opts.config, outDir: resolve(env.cwd, opts.out) });
            } catch (e) {
              if (isErrno(e)) throw fileError('SDK_SYNTH_WRITE', 'write the synthetic SDK to', opts.out, e);
              throw e;
            }
            env.stdout(
              `MICROKIT|SDK: synthetic SDK for '${opts.board}' written to ${opts.out} (${written.length} files; its ELFs are stubs, images built with it do not boot)`,
            );
            return 0;
          },
        });
      });
  },
};
