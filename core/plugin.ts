/**
 * A plugin is `{ name, apply(pipeline) }`, as webpack's: `apply` taps the
 * pipeline's hooks and registers with its extension points (SDF syntax,
 * architectures). Every tap must carry the plugin's name (`name` or
 * `name/detail`); the pipeline enforces it, so errors and traces always say
 * which plugin did what.
 */
import type { Pipeline } from './pipeline.js';

export interface MicrokitPlugin {
  /** Unique, kebab-case, e.g. `aarch64`, `x86-ioports`, `report`. */
  readonly name: string;
  apply(pipeline: Pipeline): void;
}

/** Identity helper for typing a plugin factory: `export const myPlugin = definePlugin((opts) => ({ name, apply }))`. */
export function definePlugin<Args extends unknown[]>(factory: (...args: Args) => MicrokitPlugin): (...args: Args) => MicrokitPlugin {
  return factory;
}
