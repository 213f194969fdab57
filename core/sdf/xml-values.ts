/**
 * The values XML text stands for (what roxmltree gives): end-of-line and
 * attribute-value normalisation, then predefined entities and character
 * references. Used by the tree (xml-tree.ts) and by the checker where a
 * value decides well-formedness (namespace URIs, xml-wellformed.ts).
 */

/** An attribute value as written (between the quotes) → its value. */
export function attributeValue(raw: string): string {
  return decodeReferences(normaliseAttributeValue(raw));
}

/** CDATA content as written → its text (no references in it). */
export function cdataValue(raw: string): string {
  return normaliseNewlines(raw);
}

/** Character data as written → its text. */
export function textValue(raw: string): string {
  return decodeReferences(normaliseNewlines(raw));
}

/** XML end-of-line handling: CRLF and lone CR read as LF. */
function normaliseNewlines(v: string): string {
  return v.includes('\r') ? v.replace(/\r\n?/g, '\n') : v;
}

/** XML attribute-value normalisation: literal tabs and newlines read as spaces. */
function normaliseAttributeValue(v: string): string {
  return v.replace(/\r\n|[\t\n\r]/g, ' ');
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Predefined entities and character references; a code point beyond Unicode reads as U+FFFD, as in roxmltree. */
function decodeReferences(v: string): string {
  if (!v.includes('&')) return v;
  return v.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body[0] !== '#') return PREDEFINED[body] ?? whole;
    const n = Number.parseInt(body[1] === 'x' ? body.slice(2) : body.slice(1), body[1] === 'x' ? 16 : 10);
    return String.fromCodePoint(n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? n : 0xfffd);
  });
}
