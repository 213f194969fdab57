/**
 * A plugin is `{ name, apply(pipeline) }`, as webpack's: `apply` taps the
 * pipeline's hooks and registers with its extension points (SDF syntax,
 * architectures). Every tap must carry the plugin's name (`name` or
 * `name/detail`); the pipeline enforces it, so errors and traces always say
 * which plugin did what.
 */
import type { MicrokitPlugin } from './build-types.js';

export type { MicrokitPlugin } from './build-types.js';

/** Identity helper for typing a plugin factory: `export const myPlugin = definePlugin((opts) => ({ name, apply }))`. */
export function definePlugin<Args extends unknown[]>(factory: (...args: Args) => MicrokitPlugin): (...args: Args) => MicrokitPlugin {
  return factory;
}
