/** The errors of the manifest output plugin. */
import { MicrokitError } from '../../core/errors/microkit-error.js';

export function manifestNoSpec(): MicrokitError {
  return new MicrokitError('MANIFEST_NO_SPEC', 'microkit: error: no capDL spec was built, so there is no manifest to write');
}
