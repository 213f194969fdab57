/**
 * Every SDF error is built here, by one named function with a code, so the
 * message texts (which match upstream's, users grep for them) live in one
 * place. Upstream's shapes:
 *   value error:   `Error: <msg> on element '<tag>': <file>:<line>:<col>`
 *   missing attr:  `Error: Missing required attribute '<a>' on element '<tag>': <loc>`
 *   located:       `Error: <msg> @ <loc>` or `Error: <msg>: <loc>` (varies per check)
 */
import { MicrokitError } from '../errors/microkit-error.js';
import { PARSE_INT_ERROR_TEXT, type ParseIntErrorKind } from '../util/rust-int.js';
import { formatLocation, type SourceLocation } from './location.js';
import type { XmlElement } from './xml.js';

export function sdfValueError(el: XmlElement, msg: string, code = 'SDF_INVALID_VALUE'): MicrokitError {
  return new MicrokitError(code, `Error: ${msg} on element '${el.tag}': ${formatLocation(el.location)}`, {
    location: el.location,
  });
}

export function sdfInvalidAttribute(el: XmlElement, name: string): MicrokitError {
  return sdfValueError(el, `invalid attribute '${name}'`, 'SDF_INVALID_ATTRIBUTE');
}

export function sdfMissingAttribute(el: XmlElement, name: string): MicrokitError {
  return new MicrokitError(
    'SDF_MISSING_ATTRIBUTE',
    `Error: Missing required attribute '${name}' on element '${el.tag}': ${formatLocation(el.location)}`,
    { location: el.location },
  );
}

/**
 * For upstream messages that carry no location: the first line stays
 * upstream's text exactly (scripts match on it), a second line names the
 * place.
 */
export function withLocationLine(message: string, loc: SourceLocation): string {
  return `${message}\n  --> ${formatLocation(loc)}`;
}

/** An upstream message that has no location of its own; we add it on a second line. */
export function sdfUnlocatedError(code: string, message: string, loc: SourceLocation): MicrokitError {
  return new MicrokitError(code, withLocationLine(message, loc), { location: loc });
}

export function sdfNumberError(el: XmlElement, text: string, kind: ParseIntErrorKind, hint = ''): MicrokitError {
  return sdfUnlocatedError(
    'SDF_INVALID_NUMBER',
    `Error: failed to parse integer '${text}' on element '${el.tag}': ${PARSE_INT_ERROR_TEXT[kind]}${hint}`,
    el.location,
  );
}

/** `Error: <msg> @ <loc>`. */
export function sdfErrorAt(code: string, msg: string, loc: SourceLocation): MicrokitError {
  return new MicrokitError(code, `Error: ${msg} @ ${formatLocation(loc)}`, { location: loc });
}

/** `Error: <msg>: <loc>`. */
export function sdfErrorColon(code: string, msg: string, loc: SourceLocation): MicrokitError {
  return new MicrokitError(code, `Error: ${msg}: ${formatLocation(loc)}`, { location: loc });
}


export function sdfInvalidElement(el: XmlElement): MicrokitError {
  return sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element '${el.tag}'`, el.location);
}

export function sdfDuplicateSetVar(el: XmlElement, symbol: string): MicrokitError {
  return sdfValueError(el, `setvar on symbol '${symbol}' already exists`, 'SDF_DUPLICATE_SETVAR');
}
