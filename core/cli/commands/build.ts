/**
 * The root command (upstream's build) and `check` (parse and validate only):
 * both resolve a setup from command line, config and environment, then run
 * the pipeline; `--watch` runs them again whenever an input changes.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { BuildContext, BuildResult } from '../../build-types.js';
import { runPipeline } from '../../build.js';
import { createPipeline } from '../../builtin.js';
import { DiagnosticSink, errorsOf } from '../../diagnostics/sink.js';
import { isMicrokitError } from '../../errors/microkit-error.js';
import { StagedOutputs } from '../../output.js';
import { ProgressMeter, setProgressMeter } from '../../progress.js';
import { bundleDir } from '../../util/bundle.js';
import { fileError, isErrno, readInputFile } from '../../util/fs-error.js';
import { moduleGraph, systemInputs } from '../../watch/inputs.js';
import { watchBuilds } from '../../watch/loop.js';
import { mapLines, objectNames, WATCH_MANIFEST_ENV, type WatchManifest } from '../../watch/manifest.js';
import type { CliInvocation, CliSubcommand } from '../command.js';
import { diagnosticOutputOptions, printDiagnostics } from '../diagnostics.js';
import { addBuildOptions, addInputOptions, argumentError, buildArgv, type CliBuildArgs, USAGE } from '../options.js';
import { didYouMean } from '../../util/suggest.js';
import { resolveBuildSetup, type CliEnvironment } from '../setup.js';
import { cliArgumentsError, sdfMissing } from '../errors.js';

export function buildInvocation(mode: 'build' | 'check', args: CliBuildArgs): CliInvocation & { readonly args: CliBuildArgs } {
  return {
    name: mode,
    args,
    async run(env) {
      if (args.watch) return watch(mode, args, env);
      return buildAndReport(mode, args, env);
    },
  };
}

/** The root command's options and action (upstream's command line). */
export function registerRootBuild(program: Command, select: (invocation: CliInvocation) => void): void {
  addBuildOptions(program).action((system: string | undefined, opts: CliBuildArgs, cmd: Command) => {
    if (cmd.args.length > 1) {
      // `microkit chek x.system`: the first word was meant as a subcommand, not as the system.
      const hint = didYouMean(
        cmd.args[0]!,
        cmd.commands.map((c) => c.name()),
      );
      throw cliArgumentsError(`unrecognized argument '${cmd.args[1]}'`, USAGE, hint === undefined ? [] : [`  ${hint}`]);
    }
    select(buildInvocation('build', { ...opts, system }));
  });
}

export const checkCommand: CliSubcommand = {
  name: 'check',
  register(program, select) {
    addInputOptions(
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

/** A build or check whose errors and warnings are printed as diagnostics; resolves to the exit code. */
async function buildAndReport(mode: 'build' | 'check', args: CliBuildArgs, env: CliEnvironment): Promise<number> {
  const diagnostics = new DiagnosticSink({ denyWarnings: args.denyWarnings === true });
  const output = diagnosticOutputOptions(args, env);
  try {
    await build(mode, args, env, diagnostics);
  } catch (e) {
    if (!isMicrokitError(e)) throw e;
    printDiagnostics(errorsOf(e), diagnostics.warnings, output, env);
    return 1;
  }
  if (diagnostics.warnings.length > 0 || output.format === 'json') printDiagnostics([], diagnostics.warnings, output, env);
  return 0;
}

/** A build or check as the CLI runs it; resolves to the result and the pipeline that made it (for `microkit sdf`). */
export async function build(
  mode: 'build' | 'check',
  args: CliBuildArgs,
  env: CliEnvironment,
  diagnostics = new DiagnosticSink({ denyWarnings: args.denyWarnings === true }),
): Promise<{ result: BuildResult; ctx: BuildContext }> {
  const manifest = env.env[WATCH_MANIFEST_ENV];
  const watched: WatchFacts = { inputs: [] };
  try {
    const out = await runBuild(mode, args, env, watched, diagnostics);
    watched.ok = true;
    return out;
  } finally {
    if (manifest) writeWatchManifest(manifest, watched);
  }
}

async function runBuild(
  mode: 'build' | 'check',
  args: CliBuildArgs,
  env: CliEnvironment,
  watched: WatchFacts,
  diagnostics: DiagnosticSink,
): Promise<{ result: BuildResult; ctx: BuildContext }> {
  const setup = await resolveBuildSetup(mode, args, env);
  const watching = Boolean(env.env[WATCH_MANIFEST_ENV]);
  if (watching && setup.configFile !== undefined) watched.inputs.push(...moduleGraph(setup.configFile));
  if (watching && setup.systemRoot === undefined) watched.inputs.push(setup.options.systemPath);
  const text = setup.systemRoot === undefined ? readSystemFile(setup.options) : '';
  if (setup.sdk?.synthetic && mode === 'build') {
    env.stdout(`WARNING: building against a synthetic SDK (${setup.sdk.root}): its kernel, monitor and loader are stubs, so the image will not boot`);
  }
  const pipeline = createPipeline(setup.plugins);
  // Name outputs as the user gave them: relative to their working directory when inside it.
  const outputs = new StagedOutputs((p) => {
    const rel = relative(env.cwd, p);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? p : rel;
  });
  const meter = mode === 'build' && env.progress && !args.quiet ? new ProgressMeter(env.progress) : undefined;
  // Other output erases the progress line first; the next report draws it again.
  const before = (print: (line: string) => void) =>
    meter
      ? (line: string) => {
          meter.clear();
          print(line);
        }
      : print;
  const ctx: BuildContext & { outputs: StagedOutputs; diagnostics: DiagnosticSink } = {
    options: setup.options,
    kernel: setup.kernel,
    arch: pipeline.arch(setup.kernel.arch),
    sdk: setup.sdk,
    pipeline,
    files: setup.files,
    log: { info: before(env.stdout), error: before(env.stderr) },
    outputs,
    diagnostics,
  };
  if (watching) {
    // Before every other rule, so a system that fails validation still names its program images.
    pipeline.hooks.validate.tap({ name: 'core/watch-inputs', stage: 0 }, (system) => {
      watched.inputs.push(...systemInputs(system, setup.files));
      watched.maps = mapLines(system);
    });
  }
  setProgressMeter(meter);
  let result: BuildResult;
  try {
    result = await runPipeline({ file: setup.options.systemFile, path: setup.options.systemPath, text, root: setup.systemRoot }, ctx);
  } finally {
    setProgressMeter(undefined);
    meter?.clear();
  }
  if (watching && result.build?.spec !== undefined) watched.objects = objectNames(result.build.spec);
  return { result, ctx };
}

interface WatchFacts {
  ok?: boolean;
  readonly inputs: string[];
  maps?: string[];
  objects?: string[];
}

/** Written whole then renamed, so the watcher never reads half a manifest. */
function writeWatchManifest(path: string, facts: WatchFacts): void {
  const manifest: WatchManifest = { ok: facts.ok === true, inputs: [...new Set(facts.inputs)], maps: facts.maps, objects: facts.objects };
  const temp = `${path}.partial-${process.pid}`;
  writeFileSync(temp, JSON.stringify(manifest));
  renameSync(temp, path);
}

export function readSystemFile(options: { readonly systemPath: string; readonly systemFile: string }): string {
  // An empty path names no file (upstream: `Path::new("").exists()` is false); resolved, it would be the working directory.
  if (options.systemFile === '') throw sdfMissing('');
  try {
    return readInputFile(options.systemPath, 'utf8');
  } catch (e) {
    if (isErrno(e) && e.code !== 'ENOENT') throw fileError('SDF_UNREADABLE', 'read system description file', options.systemFile, e);
    throw sdfMissing(options.systemFile);
  }
}

/** The config files a search from the working directory finds first (watched even when a build fails before loading one). */
const CONFIG_NAMES = ['package.json', ...['ts', 'mts', 'js', 'mjs', 'cjs', 'json'].map((ext) => `microkit.config.${ext}`)];

/** `--watch`: builds in child processes until Ctrl-C (core/watch/loop.ts). */
async function watch(mode: 'build' | 'check', args: CliBuildArgs, env: CliEnvironment): Promise<number> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await watchBuilds({
      bin: microkitBin(),
      argv: buildArgv(mode, args),
      cwd: env.cwd,
      env: env.env,
      stdout: env.stdout,
      stderr: env.stderr,
      baseInputs: [args.system, args.configFile, ...CONFIG_NAMES].filter((p): p is string => p !== undefined).map((p) => resolve(env.cwd, p)),
      signal: env.signal === undefined ? controller.signal : AbortSignal.any([env.signal, controller.signal]),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** This tool's executable; from the TypeScript sources (tests), the built one. */
function microkitBin(): string {
  // In the bundled CLI this module is a chunk: the executable is the bundle's entry.
  const bundle = bundleDir(import.meta.url);
  if (bundle !== undefined) return `${bundle}microkit.cjs`;
  const here = fileURLToPath(new URL('../bin.js', import.meta.url));
  return here.endsWith('.js') && existsSync(here) ? here : here.replace(`${sep}core${sep}cli${sep}`, `${sep}dist${sep}core${sep}cli${sep}`);
}
