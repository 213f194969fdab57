/**
 * Example of a validate rule that reports every offence in one run
 * (`ctx.diagnostics`, docs/diagnostics.md): PD names in snake_case, each
 * offending name underlined with a suggestion. `warnOnly` makes it a
 * warning (an error again with `--deny-warnings`).
 *
 *   plugins: [pdNameStyle()]            // or pdNameStyle({ warnOnly: true })
 */
import { definePlugin, formatLocation, MicrokitError, recover, VALIDATE_STAGES } from '../../core/index.js';
import type { ProtectionDomain } from '../../core/index.js';

const SNAKE_CASE = /^[a-z][a-z0-9_]*$/;

/** The one function that makes this plugin's diagnostic (one per code, as the core's). */
export function pdNameStyleError(pd: ProtectionDomain, severity: 'error' | 'warning'): MicrokitError {
  const suggestion = pd.name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .toLowerCase();
  return new MicrokitError(
    'PD_NAME_STYLE',
    `${severity === 'error' ? 'Error' : 'WARNING'}: PD name '${pd.name}' is not snake_case @ ${formatLocation(pd.location)}`,
    {
      severity,
      location: pd.location,
      attribute: 'name',
      label: 'not snake_case',
      help: [`call it '${suggestion}'`],
    },
  );
}

export const pdNameStyle = definePlugin((options: { warnOnly?: boolean } = {}) => ({
  name: 'pd-name-style',
  apply(pipeline) {
    pipeline.hooks.validate.tap({ name: 'pd-name-style', stage: VALIDATE_STAGES.PD_NAMES + 1 }, (system, ctx) => {
      for (const pd of system.protectionDomains) {
        if (SNAKE_CASE.test(pd.name)) continue;
        if (options.warnOnly) {
          const warning = pdNameStyleError(pd, 'warning');
          if (ctx.diagnostics) ctx.diagnostics.warn(warning, ctx.log.info);
          else ctx.log.info(warning.message);
          continue;
        }
        // Record this PD's error and go on with the next (without a sink, the first one throws).
        recover(ctx.diagnostics, () => {
          throw pdNameStyleError(pd, 'error');
        });
      }
    });
  },
}));
