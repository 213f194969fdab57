/**
 * From a location (an element's `<`) and an optional attribute name to the
 * columns to underline, by reading the start tag in the source text: the
 * element tree keeps only element positions, and a diagnostic needs the
 * attribute's only when it is printed.
 */
import type { SourceLocation } from '../sdf/location.js';
import type { SourceSpan } from './types.js';

/** The last line scanned for surrogate pairs: a generated SDF may be one line of megabytes, with a diagnostic per element. */
let scanned: { line: string; bmp: boolean } | undefined;

/** Whether every character of `line` is one UTF-16 unit, so columns and indices differ by one (scanned once per line). */
function basicPlane(line: string): boolean {
  if (scanned?.line !== line) scanned = { line, bmp: !/[\ud800-\udfff]/.test(line) };
  return scanned.bmp;
}

const TAG = /<[\w:.-]+/y;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')?/y;

/** Code-point offset → string index within one line. */
function indexOfColumn(line: string, column: number): number {
  if (basicPlane(line)) return Math.min(Math.max(column - 1, 0), line.length);
  let i = 0;
  for (let c = 1; c < column && i < line.length; c++) {
    const code = line.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return i;
}

function columnOfIndex(line: string, index: number): number {
  if (basicPlane(line)) return Math.min(index, line.length) + 1;
  let column = 1;
  for (let i = 0; i < index && i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code < 0xdc00 || code > 0xdfff) column++;
  }
  return column;
}

/**
 * The span of `attribute="value"` in the start tag at `loc`, else of `<tag`,
 * else a bare position. `lines` is the source split into lines.
 */
export function resolveSpan(loc: SourceLocation, attribute: string | undefined, lines: readonly string[] | undefined): SourceSpan {
  const bare: SourceSpan = { file: loc.file, line: loc.line, column: loc.column, length: 0 };
  const text = lines?.[loc.line - 1];
  if (text === undefined) return bare;
  const at = indexOfColumn(text, loc.column);
  if (text[at] !== '<') return { ...bare, length: 1 };
  // Sticky expressions at an index, not anchored ones on a copy of the rest of a possibly huge line.
  TAG.lastIndex = at;
  const tag = TAG.exec(text);
  const tagSpan: SourceSpan = { ...bare, length: tag ? tag[0].length : 1 };
  if (attribute === undefined) return tagSpan;

  // The start tag may run over several lines: search it line by line, skipping quoted values.
  let quote = '';
  for (let l = loc.line - 1, from = at + 1; l < lines!.length; l++, from = 0) {
    const s = lines![l];
    for (let i = from; i < s.length; i++) {
      const ch = s[i];
      if (quote) {
        if (ch === quote) quote = '';
        continue;
      }
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') return tagSpan;
      else if (/[\s<]/.test(s[i - 1] ?? ' ') && s.startsWith(attribute, i)) {
        ATTRIBUTE.lastIndex = i;
        const m = ATTRIBUTE.exec(s);
        const name = m?.[1] ?? '';
        if (name === attribute || name.endsWith(`:${attribute}`)) {
          return { file: loc.file, line: l + 1, column: columnOfIndex(s, i), length: m![0].length };
        }
      }
    }
  }
  return tagSpan;
}
