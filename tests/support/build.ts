/**
 * Full builds in memory for tests: a synthetic SDK per board (made once per
 * process) and stub program images, through the real pipeline.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildContext, BuildResult, SystemBuild } from '../../core/build-types.js';
import { runPipeline } from '../../core/build.js';
import { searchPathAccess } from '../../core/cli/setup.js';
import { StagedOutputs } from '../../core/output.js';
import { createPipeline } from '../../core/builtin.js';
import type { MicrokitPlugin } from '../../core/plugin.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { synthesizeSdk } from '../../core/sdk/synthetic.js';
import { presetRegistry } from '../../presets/index.js';
import { presetKernel, presetPlugins } from './kernel.js';

const sdks = new Map<string, string>();

/** A synthetic SDK with the board's debug config. */
export function syntheticSdk(board: string, config = 'debug'): string {
  const key = `${board}/${config}`;
  let root = sdks.get(key);
  if (!root) {
    root = mkdtempSync(join(tmpdir(), 'mk-sdk-'));
    synthesizeSdk({ registry: presetRegistry(), board, configs: [config], outDir: root });
    sdks.set(key, root);
  }
  return root;
}

export interface TestBuild {
  readonly result: BuildResult;
  readonly build: SystemBuild;
  readonly info: string[];
  readonly dir: string;
}

export interface BuildOptions {
  readonly board?: string;
  readonly config?: string;
  /** Program images to write: name → extra 8-byte symbols (setvars). */
  readonly images?: Record<string, readonly string[]>;
  /** Files to put beside the system (prefill files). */
  readonly files?: Record<string, Uint8Array>;
  readonly plugins?: (board: string) => readonly MicrokitPlugin[];
  readonly settings?: BuildContext['options']['settings'];
}

/** Build `text` for real: spec, placement, no output files. */
export async function buildSystem(text: string, opts: BuildOptions = {}): Promise<TestBuild> {
  const board = opts.board ?? 'qemu_virt_aarch64';
  const config = opts.config ?? 'debug';
  const root = syntheticSdk(board, config);
  const kernel = presetKernel(board, config);
  const dir = mkdtempSync(join(tmpdir(), 'mk-build-'));
  for (const [name, symbols] of Object.entries(opts.images ?? {})) {
    writeFileSync(join(dir, name), stubProgramImage({ arch: kernel.arch, extraWordSymbols: [...symbols] }));
  }
  for (const [name, bytes] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, name), bytes);
  const pipeline = createPipeline((opts.plugins ?? presetPlugins)(board));
  const info: string[] = [];
  const ctx: BuildContext & { outputs: StagedOutputs } = {
    options: {
      mode: 'build',
      systemFile: 't.system',
      systemPath: join(dir, 't.system'),
      config,
      searchPaths: [dir],
      outputs: {},
      settings: opts.settings ?? {},
    },
    kernel,
    arch: pipeline.arch(kernel.arch),
    sdk: { root, board, config, dir: join(root, 'board', board, config), synthetic: true },
    pipeline,
    files: searchPathAccess([dir], dir),
    log: { info: (l) => info.push(l), error: () => {} },
    outputs: new StagedOutputs(),
  };
  const result = await runPipeline({ file: 't.system', path: ctx.options.systemPath, text }, ctx);
  return { result, build: result.build!, info, dir };
}
