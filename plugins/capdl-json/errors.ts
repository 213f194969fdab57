/** The errors of the capDL JSON output plugin. */
import { MicrokitError } from '../../core/errors/microkit-error.js';

export function capdlJsonNoSpec(): MicrokitError {
  return new MicrokitError('CAPDL_JSON_NO_SPEC', 'microkit: error: no capDL spec was built');
}
