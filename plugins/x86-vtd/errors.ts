/** The errors of the x86 VT-d plugin. */
import { MicrokitError } from '../../core/errors/microkit-error.js';

export function vtdLevelsInvalid(levels: unknown): MicrokitError {
  return new MicrokitError('VTD_LEVELS', `microkit: error: iommu.levels must be 'auto', 3, 4, 5 or 6, not ${JSON.stringify(levels)}`);
}
