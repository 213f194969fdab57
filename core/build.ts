/**
 * Runs the pipeline's stages in order for one system. I/O stays at the
 * edges: the caller supplies the SDF text, the context (kernel facts, file
 * access, logger) and gets the result; outputs are committed only when every
 * stage succeeded.
 */
import type { BuildContext, BuildResult, SdfSource, SystemBuild } from './build-types.js';
import { MicrokitError } from './errors/microkit-error.js';
import { StagedOutputs } from './output.js';
import { progressActive, progressStage } from './progress.js';
import { performance } from 'node:perf_hooks';

export async function runPipeline(source: SdfSource, ctx: BuildContext & { outputs: StagedOutputs }): Promise<BuildResult> {
  const { hooks } = ctx.pipeline;
  const stop = ctx.options.timings ? timeTaps(ctx) : undefined;
  if (progressActive()) reportTaps(ctx);
  try {
    await hooks.configure.promise(ctx);
    const system = await hooks.parse.promise(source, ctx);
    if (system === undefined) {
      throw new MicrokitError('PIPELINE_NO_PARSER', `microkit: error: no plugin could parse '${source.file}'`);
    }
    hooks.validate.call(system, ctx);
    if (ctx.options.mode === 'check') {
      const result: BuildResult = { system, written: [] };
      await hooks.done.promise(result, ctx);
      return result;
    }
    const build: SystemBuild = { system, summary: [] };
    await hooks.allocate.promise(build, ctx);
    await hooks.emit.promise(build, ctx);
    requireRequestedOutputs(ctx);
    const written = ctx.outputs.commit();
    const result: BuildResult = { system, build, written };
    await hooks.done.promise(result, ctx);
    return result;
  } catch (e) {
    ctx.outputs.discard();
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
  const { image, report, capdlJson } = ctx.options.outputs;
  const requested: [string, string | undefined][] = [
    ['boot image', image],
    ['report', report],
    ['capDL JSON', capdlJson],
  ];
  for (const [what, path] of requested) {
    if (path !== undefined && !ctx.outputs.staged.includes(path)) {
      throw new MicrokitError('PIPELINE_OUTPUT_MISSING', `microkit: error: no plugin produced the ${what} '${path}' (is its output plugin missing from the board's preset or the config's plugins?)`);
    }
  }
}
