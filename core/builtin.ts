/**
 * The core's own behaviour as named plugins, applied before any other (as
 * webpack's WebpackOptionsApply applies its internal plugins): they show in
 * `pipeline.plugins` and in `MICROKIT_TIMINGS`, and other plugins order
 * their taps around them by stage or by `before: 'core/system'`.
 *
 * | plugin                | hook     | stage | does                                                    |
 * |-----------------------|----------|-------|---------------------------------------------------------|
 * | `core/sdf-parse`      | parse    | 0     | upstream's SDF vocabulary and XML parser                |
 * | `core/sdf-validate`   | validate | many  | upstream's whole-system rules (VALIDATE_STAGES)         |
 * | `core/program-images` | allocate | 0     | load the PD and monitor ELFs                            |
 * | `core/system`         | allocate | 100   | spec, initialiser packing, boot emulation, placement    |
 * | `core/summary`        | emit/done| -100  | upstream's `MICROKIT|…` summary lines                   |
 */
import { programImagesPlugin, summaryPlugin, systemPlugin } from './allocate/stage.js';
import type { MicrokitPlugin } from './build-types.js';
import { Pipeline } from './pipeline.js';
import { sdfParsePlugin, sdfValidatePlugin } from './sdf/stages.js';

/** The built-in plugins, in the order they are applied. */
export function corePlugins(): readonly MicrokitPlugin[] {
  return [sdfParsePlugin, sdfValidatePlugin, programImagesPlugin, systemPlugin, summaryPlugin];
}

/** A pipeline with the core's plugins applied, then `plugins` (the preset's, then the config's). */
export function createPipeline(plugins: readonly MicrokitPlugin[] = []): Pipeline {
  return new Pipeline().use(...corePlugins(), ...plugins);
}
