/**
 * Runs the pipeline's stages in order for one system. I/O stays at the
 * edges: the caller supplies the SDF text, the context (kernel facts, file
 * access, logger) and gets the result; outputs are committed only when every
 * stage succeeded.
 */
import type { BuildContext, BuildResult, MicrokitPipeline, SdfSource, SystemBuild } from './build-types.js';
import type { DiagnosticSink } from './diagnostics/sink.js';
import { MicrokitError } from './errors/microkit-error.js';
import { pipelineNoParser, pipelineOutputMissing } from './errors/pipeline.js';

import type { StagedOutputs } from './output.js';
import { progressActive, progressStage } from './progress.js';
import { performance } from 'node:perf_hooks';

export async function runPipeline(source: SdfSource, ctx: BuildContext & { outputs: StagedOutputs }): Promise<BuildResult> {
  const { hooks } = ctx.pipeline;
  const stop = ctx.options.timings ? timeTaps(ctx) : undefined;
  let build: SystemBuild | undefined;
  if (progressActive()) reportTaps(ctx);
  try {
    await hooks.configure.promise(ctx);
    const system = await hooks.parse.promise(source, ctx);
    if (system === undefined) {
      throw pipelineNoParser(source.file);
    }
    ctx.diagnostics?.throwIfErrors();
    if (ctx.diagnostics) validateEveryRule(ctx.pipeline, ctx.diagnostics);
    hooks.validate.call(system, ctx);
    ctx.diagnostics?.throwIfErrors();
    if (ctx.options.mode === 'check') {
      const result: BuildResult = { system, written: [] };
      await hooks.done.promise(result, ctx);
      return result;
    }
    build = { system, summary: [] };
    await hooks.allocate.promise(build, ctx);
    await hooks.emit.promise(build, ctx);
    requireRequestedOutputs(ctx);
    // Let a pending SIGINT/SIGTERM run its handler (which removes the staged files) before anything is committed.
    await new Promise<void>((done) => setImmediate(done));
    const written = ctx.outputs.commit();
    const result: BuildResult = { system, build, written };
    await hooks.done.promise(result, ctx);
    return result;
  } catch (e) {
    ctx.outputs.discard();
    if (build !== undefined && e instanceof MicrokitError) await explainFailure(build, e, ctx);
    throw e;
  } finally {
    stop?.();
  }
}

/** With a progress line on screen: name each tap as it starts (an interceptor only then, so builds without one pay nothing). */
function reportTaps(ctx: BuildContext): void {
  for (const [hookName, hook] of Object.entries(ctx.pipeline.hooks)) {
    (hook as unknown as { intercept(i: { call(): void; tap(t: { name: string }): void }): void }).intercept({
      call: () => progressStage(hookName),
      tap: (t) => progressStage(`${hookName}: ${t.name}`),
    });
  }
}

/**
 * The `failed` hook: outputs that explain the failure (the report of a
 * failed allocation) are staged by its taps and written; the other outputs
 * stay unwritten. A failure while explaining is noted on the error, never
 * put in its place.
 */
async function explainFailure(build: SystemBuild, error: MicrokitError, ctx: BuildContext & { outputs: StagedOutputs }): Promise<void> {
  try {
    await ctx.pipeline.hooks.failed.promise(build, error, ctx);
    ctx.outputs.commit();
  } catch (e) {
    ctx.outputs.discard();
    error.withHelp(`could not write the outputs that explain this failure: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
}

/** The sink each pipeline's validate taps record into (the pipeline may be run again with another). */
const recovering = new WeakMap<MicrokitPipeline, { sink: DiagnosticSink }>();

/**
 * Validate rules are independent of each other: a rule that fails is
 * recorded and the next rule runs, so one run reports every broken rule
 * (each rule stops at its first error). Parse errors stop the build before
 * validation, whose rules assume a whole model.
 */
function validateEveryRule(pipeline: MicrokitPipeline, sink: DiagnosticSink): void {
  const current = recovering.get(pipeline);
  if (current) {
    current.sink = sink;
    return;
  }
  const state = { sink };
  recovering.set(pipeline, state);
  pipeline.hooks.validate.intercept({
    register: (tap) => {
      const fn = tap.fn as (...args: unknown[]) => void;
      return { ...tap, fn: (...args: unknown[]) => state.sink.recover(() => fn(...args)) };
    },
  });
}

/**
 * `MICROKIT_TIMINGS=1`: how long each tap took (wall and CPU time), and the
 * process's CPU time and peak RSS at the end, printed on stderr (for finding
 * where a large build spends its time; `npm run bench` reads these lines).
 */
function timeTaps(ctx: BuildContext): () => void {
  const times: [string, number, number][] = [];
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const hooks = [...Object.entries(ctx.pipeline.hooks), ...Object.entries(ctx.pipeline.spec).map(([n, h]) => [`spec.${n}`, h] as const)];
  for (const [hookName, hook] of hooks) {
    for (const tap of (hook as unknown as { taps: { name: string; fn: (...args: unknown[]) => unknown }[] }).taps) {
      const fn = tap.fn;
      const label = `${hookName}: ${tap.name}`;
      tap.fn = (...args: unknown[]) => {
        const t = performance.now();
        const c = cpuMs();
        const record = () => void times.push([label, performance.now() - t, cpuMs() - c]);
        const result = fn(...args);
        // Promise taps finish when their promise settles.
        if (result instanceof Promise) return result.finally(record);
        record();
        return result;
      };
    }
  }
  const start = performance.now();
  const line = (wall: number, cpu: number, label: string) =>
    ctx.log.error(`MICROKIT|TIME: ${wall.toFixed(0).padStart(6)} ms  cpu ${cpu.toFixed(0).padStart(6)} ms  ${label}`);
  return () => {
    for (const [label, wall, cpu] of times) if (wall >= 1) line(wall, cpu, label);
    line(performance.now() - start, cpuMs(), 'total (cpu: whole process)');
    ctx.log.error(`MICROKIT|TIME: peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  };
}

/**
 * Every output the user asked for must have been produced by some plugin;
 * a build that silently skips one would look like success.
 */
function requireRequestedOutputs(ctx: BuildContext): void {
  const { image, report, capdlJson, manifest } = ctx.options.outputs;
  const requested: [string, string | undefined][] = [
    ['boot image', image],
    ['report', report],
    ['capDL JSON', capdlJson],
    ['manifest', manifest],
  ];
  for (const [what, path] of requested) {
    if (path !== undefined && !ctx.outputs.staged.includes(path)) {
      throw pipelineOutputMissing(what, path);
    }
  }
}
