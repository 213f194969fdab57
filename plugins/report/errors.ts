/** The errors of the report output plugin. */
import { MicrokitError } from '../../core/errors/microkit-error.js';

export function reportNoSpec(): MicrokitError {
  return new MicrokitError('REPORT_NO_SPEC', 'microkit: error: no capDL spec was built');
}
