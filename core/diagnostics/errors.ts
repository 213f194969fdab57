/** The errors the diagnostics sink makes itself. */
import { MicrokitError } from '../errors/microkit-error.js';

/** A warning under `--deny-warnings`: the same code, text and places, as an error. */
export function deniedWarning(w: MicrokitError): MicrokitError {
  return new MicrokitError(w.code, w.message, { ...w, related: w.related, help: [...w.help, 'warnings are errors (--deny-warnings)'], severity: 'error' });
}
