/**
 * Parse and validate SDF text in memory: the public API behind
 * `microkit check`, for tools and tests that have no files or SDK.
 */
import type { BuildContext, Logger } from './build-types.js';
import type { DiagnosticSink } from './diagnostics/sink.js';
import { runPipeline } from './build.js';
import type { KernelConfig } from './kernel/config.js';
import { StagedOutputs } from './output.js';
import { createPipeline } from './builtin.js';
import type { MicrokitPlugin } from './plugin.js';
import type { SdfFileAccess } from './sdf/context.js';
import type { SystemDescription } from './sdf/model.js';
import type { SystemBuilder } from './system/builder.js';

export interface CheckOptions {
  /** The file name shown in messages. */
  readonly file: string;
  readonly kernel: KernelConfig;
  /** The board's plugins (at least the architecture's). */
  readonly plugins: readonly MicrokitPlugin[];
  /** Access to prefill files; defaults to none. */
  readonly files?: SdfFileAccess;
  /** Where warnings go; defaults to nowhere. */
  readonly log?: Logger;
  /**
   * Record every independent error (thrown together as one MicrokitErrors
   * after parse or validate) instead of throwing the first.
   */
  readonly diagnostics?: DiagnosticSink;
}

const NO_FILES: SdfFileAccess = { resolve: () => undefined, read: () => new Uint8Array() };
const SILENT: Logger = { info: () => {}, error: () => {} };

/**
 * Throws the first problem as a MicrokitError, as the CLI would print it.
 * `source` is SDF text or a system made with `microkit-ts/system`.
 */
export async function checkSystem(source: string | SystemBuilder, options: CheckOptions): Promise<SystemDescription> {
  const text = typeof source === 'string' ? source : '';
  const root = typeof source === 'string' ? undefined : source.toSdfElement();
  const pipeline = createPipeline(options.plugins);
  const ctx: BuildContext & { outputs: StagedOutputs } = {
    options: { mode: 'check', systemFile: options.file, systemPath: options.file, config: 'debug', searchPaths: [], outputs: {}, settings: {} },
    kernel: options.kernel,
    arch: pipeline.arch(options.kernel.arch),
    pipeline,
    files: options.files ?? NO_FILES,
    log: options.log ?? SILENT,
    outputs: new StagedOutputs(),
    diagnostics: options.diagnostics,
  };
  const result = await runPipeline({ file: options.file, path: options.file, text, root }, ctx);
  return result.system;
}
