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
  /** Rebuild whenever an input changes (core/watch). */
  readonly watch?: boolean;
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
    .option('--watch', 'rebuild whenever the SDF, the config (and what it imports) or a program image changes; Ctrl-C ends');
}


/** The command line of one build with these arguments (what `--watch` runs for each rebuild). */
export function buildArgv(mode: 'build' | 'check', args: CliBuildArgs): string[] {
  const out: string[] = mode === 'check' ? ['check'] : [];
  const opt = (flag: string, v: string | undefined) => {
    if (v !== undefined) out.push(flag, v);
  };
  opt('-o', args.output);
  opt('-r', args.report);
  opt('--board', args.board);
  opt('--config', args.config);
  if (args.searchPath !== undefined) out.push('--search-path', ...args.searchPath);
  opt('--image-type', args.imageType);
  opt('--capdl-json', args.capdlJson);
  opt('--viper-output', args.viperOutput);
  opt('--override-kernel', args.overrideKernel);
  opt('--kernel-config', args.kernelConfig);
  opt('--config-file', args.configFile);
  // The system last: after the variadic --search-path it would be taken as a search path.
  if (args.system !== undefined) out.push('--', args.system);
  return out;
}
