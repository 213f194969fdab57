/**
 * The root command (upstream's build) and `check` (parse and validate only):
 * both resolve a setup from command line, config and environment, then run
 * the pipeline.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { BuildContext } from '../../build-types.js';
import { runPipeline } from '../../build.js';
import { MicrokitError } from '../../errors/microkit-error.js';
import { StagedOutputs } from '../../output.js';
import { Pipeline } from '../../pipeline.js';
import { ProgressMeter, setProgressMeter } from '../../progress.js';
import { addBuildOptions, argumentError, type CliBuildArgs } from '../options.js';
import type { CliInvocation, CliSubcommand } from '../command.js';
import { resolveBuildSetup, type CliEnvironment } from '../setup.js';

export function buildInvocation(mode: 'build' | 'check', args: CliBuildArgs): CliInvocation & { readonly args: CliBuildArgs } {
  return {
    name: mode,
    args,
    async run(env) {
      await build(mode, args, env);
      return 0;
    },
  };
}

/** The root command's options and action (upstream's command line). */
export function registerRootBuild(program: Command, select: (invocation: CliInvocation) => void): void {
  addBuildOptions(program).action((system: string | undefined, opts: CliBuildArgs, cmd: Command) => {
    if (cmd.args.length > 1) throw argumentError(`unrecognized argument '${cmd.args[1]}'`, true);
    select(buildInvocation('build', { ...opts, system }));
  });
}

export const checkCommand: CliSubcommand = {
  name: 'check',
  register(program, select) {
    addBuildOptions(
      program
        .command('check')
        .description('parse and validate a System Description File only (no SDK needed)')
        .argument('[system]', 'the System Description File')
        .allowExcessArguments(true),
    ).action((system: string | undefined, opts: CliBuildArgs, cmd: Command) => {
      if (cmd.args.length > 1) throw argumentError(`unrecognized argument '${cmd.args[1]}'`, true);
      select(buildInvocation('check', { ...opts, system }));
    });
  },
};

async function build(mode: 'build' | 'check', args: CliBuildArgs, env: CliEnvironment): Promise<void> {
  const setup = await resolveBuildSetup(mode, args, env);
  let text: string;
  try {
    text = readFileSync(setup.options.systemPath, 'utf8');
  } catch {
    throw new MicrokitError('SDF_MISSING', `microkit: error: system description file '${setup.options.systemFile}' does not exist`);
  }
  if (setup.sdk?.synthetic && mode === 'build') {
    env.stdout(`WARNING: building against a synthetic SDK (${setup.sdk.root}): its kernel, monitor and loader are stubs, so the image will not boot`);
  }
  const pipeline = new Pipeline().use(...setup.plugins);
  const outputs = new StagedOutputs();
  const meter = mode === 'build' && env.progress && !args.quiet ? new ProgressMeter(env.progress) : undefined;
  // Other output erases the progress line first; the next report draws it again.
  const before = (print: (line: string) => void) => (meter ? (line: string) => (meter.clear(), print(line)) : print);
  const ctx: BuildContext & { outputs: StagedOutputs } = {
    options: setup.options,
    kernel: setup.kernel,
    arch: pipeline.arch(setup.kernel.arch),
    sdk: setup.sdk,
    pipeline,
    files: setup.files,
    log: { info: before(env.stdout), error: before(env.stderr) },
    outputs,
  };
  setProgressMeter(meter);
  try {
    await runPipeline({ file: setup.options.systemFile, path: setup.options.systemPath, text }, ctx);
  } finally {
    setProgressMeter(undefined);
    meter?.clear();
  }
}
