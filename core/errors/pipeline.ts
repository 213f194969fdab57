/**
 * The errors of the plugin pipeline, its driver and board presets: one
 * named function per code, so each message text lives in one place (see
 * docs/diagnostics.md for every code).
 */
import { MicrokitError } from './microkit-error.js';

export function pluginInvalid(): MicrokitError {
  return new MicrokitError('PLUGIN_INVALID', 'microkit: error: a plugin must be an object with a name and an apply(pipeline) method');
}

export function pluginDuplicate(name: string): MicrokitError {
  return new MicrokitError('PLUGIN_DUPLICATE', `microkit: error: plugin '${name}' is registered twice`);
}

export function pluginArchConflict(existingOwner: string, owner: string, arch: string): MicrokitError {
  return new MicrokitError('PLUGIN_ARCH_CONFLICT', `microkit: error: plugins '${existingOwner}' and '${owner}' both provide architecture '${arch}'`);
}

export function pluginNoArch(arch: string): MicrokitError {
  return new MicrokitError('PLUGIN_NO_ARCH', `microkit: error: no plugin provides architecture '${arch}' (add its plugin, e.g. from 'microkit-ts/plugins')`);
}

export function pluginTapName(owner: string, hookName: string, tapName: string): MicrokitError {
  return new MicrokitError(
    'PLUGIN_TAP_NAME',
    `microkit: error: plugin '${owner}' tapped hook '${hookName}' as '${tapName}'; taps must be named '${owner}' or '${owner}/<detail>'`,
  );
}

/** A plugin's code threw: which plugin, in which hook, and its message. */
export function pluginFailed(plugin: string, hook: string, detail: string, cause: unknown): MicrokitError {
  return new MicrokitError('PLUGIN_FAILED', `microkit: error: plugin '${plugin}' failed in hook '${hook}': ${detail}`, { cause, plugin, hook });
}

export function pluginTapKind(plugin: string, kind: string, hookName: string, hookClass: string, cause: unknown): MicrokitError {
  return new MicrokitError('PLUGIN_TAP_KIND', `microkit: error: plugin '${plugin}' used ${kind} on hook '${hookName}', a ${hookClass}: use tap`, {
    plugin,
    hook: hookName,
    cause,
  });
}

export function pipelineNoParser(file: string): MicrokitError {
  return new MicrokitError('PIPELINE_NO_PARSER', `microkit: error: no plugin could parse '${file}'`);
}

export function pipelineOutputMissing(what: string, path: string): MicrokitError {
  return new MicrokitError(
    'PIPELINE_OUTPUT_MISSING',
    `microkit: error: no plugin produced the ${what} '${path}' (is its output plugin missing from the board's preset or the config's plugins?)`,
  );
}

export function presetUnknown(name: string): MicrokitError {
  return new MicrokitError('PRESET_UNKNOWN', `microkit: error: unknown preset '${name}'`);
}

export function presetCycle(name: string): MicrokitError {
  return new MicrokitError('PRESET_CYCLE', `microkit: error: preset '${name}' extends itself`);
}

export function presetIncomplete(name: string): MicrokitError {
  return new MicrokitError('PRESET_INCOMPLETE', `microkit: error: preset '${name}' lacks arch, plugins, imageType, kernel facts or configs`);
}

export function presetNoConfig(name: string, config: string, configs: readonly string[]): MicrokitError {
  return new MicrokitError('PRESET_NO_CONFIG', `microkit: error: preset '${name}' has no config '${config}' (it has: ${configs.join(', ')})`);
}
