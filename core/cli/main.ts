/**
 * The `microkit` command: parse the command line, set up, run the pipeline,
 * print errors as upstream does (message on stderr, exit 1, never a stack
 * trace). Environment and output are injected so tests run it in-process.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BuildContext } from '../build-types.js';
import { runPipeline } from '../build.js';
import { MicrokitError, isMicrokitError } from '../errors/microkit-error.js';
import { StagedOutputs } from '../output.js';
import { Pipeline } from '../pipeline.js';
import { synthesizeSdk } from '../sdk/synthetic.js';
import { discoverSdk } from '../sdk/discover.js';
import { findConfig, loadConfigFile } from '../config/load.js';
import { parseCommandLine, type CliBuildArgs } from './args.js';
import { resolveBuildSetup, type CliEnvironment } from './setup.js';

export type { CliEnvironment } from './setup.js';

/** Run the CLI; resolves to the exit code. */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  try {
    const command = parseCommandLine(argv);
    switch (command.kind) {
      case 'help':
        for (const line of command.text.trimEnd().split('\n')) env.stdout(line);
        return 0;
      case 'build':
      case 'check':
        await build(command.kind, command.args, env);
        return 0;
      case 'boards':
        await listBoards(env, command.configFile);
        return 0;
      case 'synth': {
        const written = synthesizeSdk({ registry: env.presets, board: command.board, configs: command.configs, outDir: resolve(env.cwd, command.out) });
        env.stdout(`MICROKIT|SDK: synthetic SDK for '${command.board}' written to ${command.out} (${written.length} files; its ELFs are stubs, images built with it do not boot)`);
        return 0;
      }
    }
  } catch (e) {
    return report(e, env);
  }
}

function report(e: unknown, env: CliEnvironment): number {
  if (isMicrokitError(e)) {
    if (e.stdoutPrefix) env.stdout(e.stdoutPrefix);
    env.stderr(e.message);
    return 1;
  }
  // A bug in the tool: say so plainly; the stack only on request.
  const detail = e instanceof Error ? e.message : String(e);
  env.stderr(`microkit: internal error: ${detail}`);
  if (env.env.MICROKIT_DEBUG && e instanceof Error && e.stack) env.stderr(e.stack);
  env.stderr('This is a bug in the tool; please report it with the input that caused it.');
  return 1;
}

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
  const ctx: BuildContext & { outputs: StagedOutputs } = {
    options: setup.options,
    kernel: setup.kernel,
    arch: pipeline.arch(setup.kernel.arch),
    sdk: setup.sdk,
    pipeline,
    files: setup.files,
    log: { info: env.stdout, error: env.stderr },
    outputs,
  };
  await runPipeline({ file: setup.options.systemFile, path: setup.options.systemPath, text }, ctx);
}

async function listBoards(env: CliEnvironment, configFile?: string): Promise<void> {
  const loaded = configFile ? await loadConfigFile(resolve(env.cwd, configFile)) : await findConfig(env.cwd);
  for (const p of loaded?.config.presets ?? []) env.presets.add(p);
  env.stdout('Presets (usable without an SDK; `sdk: \'synthetic\'` builds stub-ELF images):');
  for (const name of env.presets.names()) {
    const p = env.presets.resolve(name);
    env.stdout(`  ${name.padEnd(28)} ${p.arch.padEnd(8)} ${Object.keys(p.configs).join(', ')}${p.description ? `  — ${p.description}` : ''}`);
    if (p.boot) env.stdout(`  ${''.padEnd(28)} boot: ${p.boot}`);
  }
  const sdkPath = env.env.MICROKIT_SDK || (loaded?.config.sdk && loaded.config.sdk !== 'synthetic' ? resolve(loaded.dir, loaded.config.sdk) : undefined);
  if (sdkPath) {
    const sdk = discoverSdk(resolve(env.cwd, sdkPath), Boolean(env.env.MICROKIT_SDK));
    env.stdout(`SDK boards (${sdk.root}):`);
    for (const b of sdk.boards) env.stdout(`  ${b.name.padEnd(28)} ${b.configs.join(', ')}`);
  }
}
