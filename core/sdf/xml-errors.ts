/** The error of malformed XML (apart from core/sdf/errors.ts, which depends on the XML tree's types). */
import { MicrokitError } from '../errors/microkit-error.js';
import type { SourceLocation } from './location.js';

/** `Could not parse '<file>': <reason>`, upstream's message for malformed XML (the reason carries its own position). */
export function sdfMalformedXml(file: string, reason: string, loc?: SourceLocation): MicrokitError {
  return new MicrokitError('SDF_MALFORMED_XML', `Could not parse '${file}': ${reason}`, { location: loc });
}
