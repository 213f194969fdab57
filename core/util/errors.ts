/** The error of a failed file access: one factory for every code of that family (each names what was accessed). */
import { MicrokitError } from '../errors/microkit-error.js';

/**
 * @param code the caller's code (`OUTPUT_WRITE`, `SDF_UNREADABLE`, ...), listed in docs/diagnostics.md.
 * @param reason the OS's reason, as upstream prints it.
 */
export function fileAccessError(code: string, verb: string, path: string, reason: string, cause: unknown): MicrokitError {
  return new MicrokitError(code, `microkit: error: could not ${verb} '${path}': ${reason}`, { cause });
}
