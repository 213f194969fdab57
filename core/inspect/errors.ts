/** The errors of `microkit inspect`: one named function per code (a malformed image is an InspectError, core/inspect/types.ts). */
import { MicrokitError } from '../errors/microkit-error.js';

export function inspectArgumentsError(message: string): MicrokitError {
  return new MicrokitError('INSPECT_ARGUMENTS', `microkit: error: ${message}`);
}
