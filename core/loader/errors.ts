/** The errors of building the loader image (upstream panics for all of these); each caller names its `LOADER_*` code. */
import { MicrokitError } from '../errors/microkit-error.js';

export function loaderError(code: string, message: string): MicrokitError {
  return new MicrokitError(code, `ERROR: ${message}`);
}
