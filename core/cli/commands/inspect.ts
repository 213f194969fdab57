/**
 * `microkit inspect IMAGE`: what a boot image will build. The reader is
 * loaded only when the command runs, so a plain build does not pay for it.
 */
import type { InspectArgs } from '../../inspect/cli.js';
import type { CliSubcommand } from '../command.js';

export const inspectCommand: CliSubcommand = {
  name: 'inspect',
  register(program, select) {
    program
      .command('inspect')
      .description('show what a boot image (binary, ELF, uImage or x86 boot module) will build; --json prints the capdl-image-dump/1 document')
      .argument('<image>', 'the boot image')
      .option('--sdk <dir>', 'Microkit SDK (default: MICROKIT_SDK); with --board and --config its ELFs sharpen the checks')
      .option('--board <board>', 'SDK board the image was built for')
      .option('--config <config>', 'SDK config the image was built for')
      .option('--arch <arch>', 'architecture of a raw binary image without an SDK: aarch64 or riscv64')
      .option('--json', 'print the canonical dump (shared/reference/image-dump-format.md) instead of the summary')
      .option('-o, --output <file>', 'write the output to a file instead of stdout')
      .action((image: string, opts: InspectArgs) => {
        select({
          name: 'inspect',
          async run(env) {
            const { runInspect } = await import('../../inspect/cli.js');
            return runInspect(image, opts, env);
          },
        });
      });
  },
};
