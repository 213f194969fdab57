/** Kernel facts and plugins of a preset board, for tests. */
import type { KernelConfig } from '../../core/kernel/config.js';
import type { MicrokitPlugin } from '../../core/plugin.js';
import { presetKernelFiles } from '../../core/preset.js';
import { kernelConfigFromSdkFiles } from '../../core/sdk/kernel-files.js';
import { presetRegistry } from '../../presets/index.js';

export function presetKernel(board: string, config = 'debug'): KernelConfig {
  const preset = presetRegistry().resolve(board);
  const files = presetKernelFiles(preset, config);
  if (!files) throw new Error(`no config ${config} for ${board}`);
  return kernelConfigFromSdkFiles(files, config, { genConfigPath: board, objectSizesPath: board, addressSpacePath: board });
}

export function presetPlugins(board: string): readonly MicrokitPlugin[] {
  return presetRegistry().resolve(board).plugins();
}
