/**
 * Intel VT-d (x86 IOMMU) backend: builds the IO spaces the `iommu` plugin
 * parses. Option `levels` ('auto' by default) says how many IOPT levels the
 * target machines have; see docs/iommu.md for the trade-off.
 */
import { definePlugin } from '../../core/plugin.js';
import { buildIoSpaces, type IommuLevels } from './spec.js';
import { vtdLevelsInvalid } from './errors.js';

export type { IommuLevels } from './spec.js';

export interface X86VtdOptions {
  readonly levels?: IommuLevels;
}

const VALID: readonly IommuLevels[] = ['auto', 3, 4, 5, 6];

function checkLevels(levels: unknown): IommuLevels | undefined {
  if (levels !== undefined && !VALID.includes(levels as IommuLevels)) {
    throw vtdLevelsInvalid(levels);
  }
  return levels as IommuLevels | undefined;
}

/**
 * Precedence: the build's settings (config file over board preset), then
 * the plugin's own option, then 'auto'.
 */
export const x86Vtd = definePlugin((options: X86VtdOptions = {}) => {
  const own = checkLevels(options.levels);
  let levels: IommuLevels = own ?? 'auto';
  return {
    name: 'x86-vtd',
    apply(pipeline) {
      pipeline.hooks.configure.tap('x86-vtd', (ctx) => {
        levels = checkLevels(ctx.options.settings.iommu?.levels) ?? own ?? 'auto';
      });
      pipeline.spec.system.tap('x86-vtd', (ctx) => buildIoSpaces(ctx, levels));
    },
  };
});
