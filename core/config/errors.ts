/** The errors of loading and checking `microkit.config.ts`: one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';
import { formatLocation, type SourceLocation } from '../sdf/location.js';

/** The config could not be loaded (syntax error, throw at load time): where, when known, on a second line. */
export function configLoadFailed(message: string, location: SourceLocation | undefined, cause: unknown): MicrokitError {
  return new MicrokitError('CONFIG_LOAD', location ? `${message}\n  --> ${formatLocation(location)}` : message, { location, cause });
}

/** A config that loaded but is not a valid config; located at the key when the file names it once. */
export function configInvalid(file: string, message: string, location?: SourceLocation): MicrokitError {
  const text = `microkit: error: ${file}: ${message}`;
  return new MicrokitError('CONFIG_INVALID', location ? `${text}\n  --> ${formatLocation(location)}` : text, { location });
}
