/** The errors of `microkit graph`: one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';

export function graphArgumentsError(message: string): MicrokitError {
  return new MicrokitError('GRAPH_ARGUMENTS', `microkit: error: ${message}`);
}
