/**
 * An example plugin that taps every hook of the pipeline. It adds a
 * `<protection_domain>` attribute of its own (`owner`), a validate rule that
 * uses it, and writes a small Markdown summary of the system as an extra
 * output. Use it as a template for your own plugins:
 *
 *   // microkit.config.ts
 *   import { defineConfig } from 'microkit-ts';
 *   import { systemSummary } from './examples/plugins/system-summary.js';
 *   export default defineConfig({ ..., plugins: [systemSummary({ output: 'build/summary.md' })] });
 */
import { definePlugin, MicrokitError, VALIDATE_STAGES, sdfValueError } from '../../core/index.js';
import type { BuildContext, SystemDescription } from '../../core/index.js';

export interface SystemSummaryOptions {
  /** Where to write the summary; nothing is written when omitted. */
  readonly output?: string;
  /** Require every PD to name an owner. */
  readonly requireOwner?: boolean;
  /** Called with each hook's name as it runs (for tests and tracing). */
  readonly onHook?: (hook: string) => void;
}

declare module '../../core/sdf/model.js' {
  interface ProtectionDomain {
    /** Set by the system-summary example plugin from `owner="..."`. */
    readonly owner?: string;
  }
}

export const systemSummary = definePlugin((options: SystemSummaryOptions = {}) => {
  const name = 'system-summary';
  const trace = (hook: string) => options.onHook?.(hook);
  return {
    name,
    apply(pipeline) {
      // Syntax: a new PD attribute. It runs after the core's attributes.
      pipeline.sdf.pdAttribute('owner', (pdElement, value, _ctx, pd) => {
        if (value !== undefined && value.trim() === '') throw sdfValueError(pdElement, 'owner must not be empty');
        if (value !== undefined) pd.owner = value;
      });

      pipeline.hooks.configure.tap(name, () => trace('configure'));
      // A parse tap that returns undefined lets the next parser (the core's XML parser) run.
      pipeline.hooks.parse.tap({ name, stage: -10 }, () => {
        trace('parse');
        return undefined;
      });
      pipeline.hooks.validate.tap({ name, stage: VALIDATE_STAGES.PD_NAMES + 1 }, (system: SystemDescription) => {
        trace('validate');
        if (!options.requireOwner) return;
        for (const pd of system.protectionDomains) {
          if (pd.owner === undefined) {
            throw new MicrokitError('SUMMARY_NO_OWNER', `Error: protection domain '${pd.name}' has no owner`, { location: pd.location });
          }
        }
      });
      pipeline.hooks.allocate.tap(name, () => trace('allocate'));
      pipeline.hooks.emit.tap(name, (build, ctx: BuildContext) => {
        trace('emit');
        if (options.output) ctx.outputs.write(options.output, renderSummary(build.system));
      });
      pipeline.hooks.done.tap(name, (result, ctx) => {
        trace('done');
        if (options.output && result.written.includes(options.output)) ctx.log.info(`MICROKIT|SUMMARY: ${options.output}`);
      });
    },
  };
});

export function renderSummary(system: SystemDescription): string {
  const lines = [`# ${system.file}`, '', '| PD | priority | owner | maps | irqs |', '|---|---|---|---|---|'];
  for (const pd of system.protectionDomains) {
    lines.push(`| ${pd.name} | ${pd.priority} | ${pd.owner ?? ''} | ${pd.maps.length} | ${pd.irqs.length} |`);
  }
  lines.push('', `${system.channels.length} channels, ${system.memoryRegions.length} memory regions`, '');
  return lines.join('\n');
}
