/** The errors of the x86 I/O port plugin that are not plain SDF attribute errors. */
import type { MicrokitError } from '../../core/errors/microkit-error.js';
import { sdfUnlocatedError } from '../../core/sdf/errors.js';
import type { SourceLocation } from '../../core/sdf/location.js';

/** @param message upstream's line naming both ports and their PDs; the port's own place follows on a second line. */
export function overlappingIoports(message: string, port: SourceLocation): MicrokitError {
  return sdfUnlocatedError('SDF_OVERLAPPING_IOPORTS', message, port);
}
