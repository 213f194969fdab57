/** The errors of the x86 I/O port plugin that are not plain SDF attribute errors. */
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { sdfUnlocatedError } from '../../core/sdf/errors.js';
import { formatLocation, type SourceLocation } from '../../core/sdf/location.js';
import { hex } from '../../core/util/bigint.js';
import type { IoPort } from './model.js';

/** @param message upstream's line naming both ports and their PDs; the port's own place follows on a second line. */
export function overlappingIoports(message: string, port: SourceLocation): MicrokitError {
  return sdfUnlocatedError('SDF_OVERLAPPING_IOPORTS', message, port);
}

/** A port range past the 16-bit I/O port space (upstream accepts it; the kernel keeps 16 bits of each port). */
export function ioportRangeTooHigh(port: IoPort, pdName: string): MicrokitError {
  return new MicrokitError(
    'SDF_IOPORT_RANGE',
    `Error: I/O port id: ${port.id}, half-open range: [${hex(port.addr)}, ${hex(port.addr + port.size)}) in protection domain: '${pdName}' goes past the last x86 I/O port (0xffff) @ ${formatLocation(port.location)}`,
    {
      location: port.location,
      attribute: 'addr',
      help: ['x86 I/O ports are 16-bit (0x0-0xffff): the kernel would keep the low 16 bits of each end and grant other ports'],
    },
  );
}
