/**
 * Element trees back to SDF text: one element per line, four-space indent
 * (the layout of upstream's examples), attributes in the order given, so
 * the same tree always gives the same bytes.
 */
import type { SourceLocation } from '../location.js';
import type { XmlAttribute, XmlElement } from '../xml.js';

/** Where a written element comes from when it has no source (the writer made it). */
export const NO_LOCATION: SourceLocation = { file: '', line: 0, column: 0 };

/** An attribute list with the absent (undefined) ones left out. */
export function attributes(pairs: readonly (readonly [string, string | undefined])[]): XmlAttribute[] {
  const out: XmlAttribute[] = [];
  for (const [name, value] of pairs) if (value !== undefined) out.push({ name, value });
  return out;
}

export function xmlElement(
  tag: string,
  attrs: readonly XmlAttribute[] = [],
  children: readonly XmlElement[] = [],
  location: SourceLocation = NO_LOCATION,
): XmlElement {
  return { kind: 'element', tag, attributes: attrs, children, location };
}

// Tab, newline and carriage return as references: written raw, a reader's attribute-value normalisation turns
// them into spaces, so `sdf --from` changed a name holding `&#9;` (the written SDF was another system).
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };

function escapeAttribute(value: string): string {
  return value.replace(/[&<>"\t\n\r]/g, (c) => ESCAPES[c]);
}

/** The document's lines (without newlines), streamed so large systems are never one string. */
export function* sdfLines(root: XmlElement): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>';
  yield* elementLines(root, '');
}

function* elementLines(el: XmlElement, indent: string): Generator<string> {
  const attrs = el.attributes.map((a) => ` ${a.name}="${escapeAttribute(a.value)}"`).join('');
  const children = el.children.filter((c): c is XmlElement => c.kind === 'element');
  if (children.length === 0) {
    yield `${indent}<${el.tag}${attrs} />`;
    return;
  }
  yield `${indent}<${el.tag}${attrs}>`;
  for (const child of children) yield* elementLines(child, `${indent}    `);
  yield `${indent}</${el.tag}>`;
}

/** The whole document as text (for tests and small systems; the CLI streams `sdfLines`). */
export function sdfText(root: XmlElement): string {
  let out = '';
  for (const line of sdfLines(root)) out += `${line}\n`;
  return out;
}
