/** The errors of loading and checking `microkit.config.ts`: one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';
import { formatLocation, type SourceLocation } from '../sdf/location.js';

/** The config could not be loaded (syntax error, throw at load time): where, when known, on a second line. */
export function configLoadFailed(message: string, location: SourceLocation | undefined, cause: unknown): MicrokitError {
  return new MicrokitError('CONFIG_LOAD', location ? `${message}\n  --> ${formatLocation(location)}` : message, { location, cause });
}

export function configInvalid(file: string, message: string): MicrokitError {
  return new MicrokitError('CONFIG_INVALID', `microkit: error: ${file}: ${message}`);
}
