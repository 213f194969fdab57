/** The build options shared by the root command and `check`, and upstream's argument-error form. */
import { type Command, Option } from 'commander';
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
  /** No progress line on stderr (ours; upstream has none). */
  readonly quiet?: boolean;
}

/** `microkit: error: <msg>`, optionally after the usage line on stdout (as upstream). */
export function argumentError(message: string, withUsage = false): MicrokitError {
  return new MicrokitError('CLI_ARGUMENTS', `microkit: error: ${message}`, withUsage ? { stdoutPrefix: USAGE } : {});
}

export function addBuildOptions(cmd: Command): Command {
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
    .option('--config-file <file>', 'use this microkit.config file instead of searching for one')
    .option('--quiet', 'no progress line on stderr for long builds (shown only when stderr is a terminal)');
}

