/**
 * The XML layer of the SDF front end: text in, a small element tree with
 * source locations out. One pass: xml-wellformed.ts checks well-formedness as
 * upstream's parser does (and words its errors the same way) and reports what
 * it reads to xml-tree.ts, which builds the tree with upstream's whitespace
 * rules; this module wires the two and turns the first error into a located one.
 */
import type { MicrokitError } from '../errors/microkit-error.js';
import { LineIndex, type SourceLocation } from './location.js';
import { sdfMalformedXml } from './xml-errors.js';
import { type XmlDocument, type XmlElement, XmlTreeBuilder } from './xml-tree.js';
import { readXml } from './xml-wellformed.js';

export type { XmlAttribute, XmlDocument, XmlElement, XmlNode, XmlText } from './xml-tree.js';

/** The value of the attribute `name` without a namespace prefix, as roxmltree's `attribute(name)`. */
export function attribute(el: XmlElement, name: string): string | undefined {
  for (const a of el.attributes) if (a.name === name && a.prefixed !== true) return a.value;
  return undefined;
}

export function childElements(el: XmlElement): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c.kind === 'element');
}

/** `Could not parse '<file>': <reason>`, upstream's message for malformed XML (the reason carries its own position). */
function malformed(file: string, reason: string, loc?: SourceLocation): MicrokitError {
  return sdfMalformedXml(file, reason, loc);
}

/**
 * Parse SDF text. `file` is the name shown in messages (as given by the
 * user). Throws a located MicrokitError for malformed input.
 */
export function parseXml(text: string, file: string): XmlDocument {
  const lines = new LineIndex(text);
  const tree = new XmlTreeBuilder(text, file, lines);
  const bad = readXml(
    text,
    (offset) => {
      const loc = lines.locate(file, offset);
      return `${loc.line}:${loc.column}`;
    },
    tree,
  );
  if (bad) throw malformed(file, bad.reason, bad.offset === undefined ? undefined : lines.locate(file, bad.offset));
  if (tree.root === undefined) throw malformed(file, 'the document does not have a root node');
  return { root: tree.root };
}
