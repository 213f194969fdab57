/**
 * Every SDF error is built here, by one named function with a code, so the
 * message texts (which match upstream's, users grep for them) live in one
 * place, and each carries what the code frame underlines (the attribute),
 * its label and its help. Upstream's shapes:
 *   value error:   `Error: <msg> on element '<tag>': <file>:<line>:<col>`
 *   missing attr:  `Error: Missing required attribute '<a>' on element '<tag>': <loc>`
 *   located:       `Error: <msg> @ <loc>` or `Error: <msg>: <loc>` (varies per check)
 */
import { MicrokitError, type MicrokitErrorOptions } from '../errors/microkit-error.js';
import { didYouMean } from '../util/suggest.js';
import { PARSE_INT_ERROR_TEXT, type ParseIntErrorKind } from '../util/rust-int.js';
import { formatLocation, type SourceLocation } from './location.js';
import type { XmlElement } from './xml.js';

/** What a factory may add to the error besides its text. */
export type SdfErrorDetails = Pick<MicrokitErrorOptions, 'attribute' | 'label' | 'help' | 'related'>;

/** The accepted number forms, for `help:` after a number error. */
export const SDF_NUMBER_FORMS = "numbers are decimal (4096) or hexadecimal with a lowercase '0x' prefix (0x1000); '_' may separate digits; at most 2^64 - 1";
export const SDF_DECIMAL_FORMS = "this attribute takes a decimal number, e.g. '3' (no '0x' prefix, no '_')";

function helpLines(...lines: (string | undefined)[]): string[] {
  return lines.filter((l): l is string => l !== undefined);
}

export function sdfValueError(el: XmlElement, msg: string, code = 'SDF_INVALID_VALUE', details: SdfErrorDetails = {}): MicrokitError {
  return new MicrokitError(code, `Error: ${msg} on element '${el.tag}': ${formatLocation(el.location)}`, {
    location: el.location,
    ...details,
  });
}

/** An attribute's value is out of range or malformed: underline the attribute. */
export function sdfAttributeValueError(el: XmlElement, attribute: string, msg: string, help?: string): MicrokitError {
  return sdfValueError(el, msg, 'SDF_INVALID_VALUE', { attribute, help: helpLines(help) });
}

/** @param allowed the element's attributes, for did-you-mean. */
export function sdfInvalidAttribute(el: XmlElement, name: string, allowed: readonly string[] = []): MicrokitError {
  const suggestion = didYouMean(name, allowed);
  return sdfValueError(el, `invalid attribute '${name}'`, 'SDF_INVALID_ATTRIBUTE', {
    attribute: name,
    label: 'unknown attribute',
    help: helpLines(
      suggestion,
      suggestion === undefined && allowed.length > 0 ? `'${el.tag}' takes: ${allowed.join(', ')}` : undefined,
      allowed.length === 0 ? `'${el.tag}' takes no attributes` : undefined,
    ),
  });
}

export function sdfMissingAttribute(el: XmlElement, name: string): MicrokitError {
  return new MicrokitError('SDF_MISSING_ATTRIBUTE', `Error: Missing required attribute '${name}' on element '${el.tag}': ${formatLocation(el.location)}`, {
    location: el.location,
    label: `needs '${name}'`,
  });
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
export function sdfUnlocatedError(code: string, message: string, loc: SourceLocation, details: SdfErrorDetails = {}): MicrokitError {
  return new MicrokitError(code, withLocationLine(message, loc), { location: loc, ...details });
}

/**
 * @param decimalOnly the attribute takes Rust's `str::parse` language (ids), not upstream's sdf_parse_number.
 */
export function sdfNumberError(el: XmlElement, text: string, kind: ParseIntErrorKind, hint = '', decimalOnly = false): MicrokitError {
  const attribute = el.attributes.find((a) => a.value === text)?.name;
  return sdfUnlocatedError(
    'SDF_INVALID_NUMBER',
    `Error: failed to parse integer '${text}' on element '${el.tag}': ${PARSE_INT_ERROR_TEXT[kind]}${hint}`,
    el.location,
    { attribute, label: 'not a number', help: [decimalOnly ? SDF_DECIMAL_FORMS : SDF_NUMBER_FORMS] },
  );
}

/** `Error: <msg> @ <loc>`. */
export function sdfErrorAt(code: string, msg: string, loc: SourceLocation, details: SdfErrorDetails = {}): MicrokitError {
  return new MicrokitError(code, `Error: ${msg} @ ${formatLocation(loc)}`, { location: loc, ...details });
}

/** `Error: <msg>: <loc>`. */
export function sdfErrorColon(code: string, msg: string, loc: SourceLocation, details: SdfErrorDetails = {}): MicrokitError {
  return new MicrokitError(code, `Error: ${msg}: ${formatLocation(loc)}`, { location: loc, ...details });
}

function unknownElementHelp(tag: string, known: readonly string[], parent: string): string[] {
  const suggestion = didYouMean(tag, known);
  return [suggestion ?? `'${parent}' may contain: ${[...new Set(known)].join(', ')}`];
}

export function sdfInvalidElement(el: XmlElement, known: readonly string[] = [], parent = 'system'): MicrokitError {
  return sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element '${el.tag}'`, el.location, {
    label: 'unknown element',
    help: known.length > 0 ? unknownElementHelp(el.tag, known, parent) : [],
  });
}

/** An unknown child of `<system>`. */
export function sdfInvalidSystemElement(el: XmlElement, known: readonly string[]): MicrokitError {
  return sdfInvalidElement(el, known, 'system');
}

/** An unknown child of `<protection_domain>` (upstream capitalises this one and omits `Error:`). */
export function sdfInvalidPdElement(el: XmlElement, known: readonly string[]): MicrokitError {
  return new MicrokitError('SDF_INVALID_ELEMENT', `Invalid XML element '${el.tag}': ${formatLocation(el.location)}`, {
    location: el.location,
    label: 'unknown element',
    help: unknownElementHelp(el.tag, known, 'protection_domain'),
  });
}

/** `<end pd="x">` naming no PD. */
export function sdfUnknownChannelEndPd(el: XmlElement, name: string, known: Iterable<string>): MicrokitError {
  return sdfValueError(el, `invalid PD name '${name}'`, 'SDF_UNKNOWN_PD', {
    attribute: 'pd',
    label: 'no protection domain of this name',
    help: helpLines(didYouMean(name, known)),
  });
}

/** A cap map naming no PD. */
export function sdfUnknownCapMapPd(name: string, loc: SourceLocation, known: Iterable<string>): MicrokitError {
  return sdfErrorColon('SDF_UNKNOWN_PD', `unknown PD name '${name}'`, loc, {
    attribute: 'pd',
    label: 'no protection domain of this name',
    help: helpLines(didYouMean(name, known)),
  });
}

export function sdfDuplicateSetVar(el: XmlElement, symbol: string, first?: SourceLocation): MicrokitError {
  return sdfValueError(el, `setvar on symbol '${symbol}' already exists`, 'SDF_DUPLICATE_SETVAR', {
    related: first ? [{ location: first, label: `'${symbol}' is first set here` }] : [],
  });
}

export function sdfUnsupportedCapType(el: XmlElement, where: string): MicrokitError {
  return new MicrokitError('SDF_UNSUPPORTED_CAP_TYPE', `Cap type: '${el.tag.slice(4)}' is not supported at '${where}'`, { location: el.location });
}

export function sdfInvalidCspaceElement(el: XmlElement, where: string): MicrokitError {
  return new MicrokitError('SDF_INVALID_ELEMENT', `Element '${el.tag}' is not supported in a <cspace> element at '${where}'`, { location: el.location });
}

/**
 * G5. `element` is what upstream prints: 'system' for text that is its first
 * child, '' (the name of a text node) for any later one; the help line says
 * where the text is either way.
 */
export function sdfUnexpectedText(element: 'system' | '', at: SourceLocation): MicrokitError {
  return new MicrokitError('SDF_UNEXPECTED_TEXT', `Error: unexpected text found in element '${element}' @ ${formatLocation(at)}`, {
    location: at,
    help: ['<system> holds only elements and comments: remove this text, or put it in a comment'],
  });
}

/** `microkit sdf` cannot write a device id its architecture has no syntax for. */
export function sdfWriteUnsupported(what: string, arch: string): MicrokitError {
  return new MicrokitError('SDF_WRITE_UNSUPPORTED', `microkit: error: cannot write ${what} as SDF: architecture '${arch}' has no device id syntax`);
}
