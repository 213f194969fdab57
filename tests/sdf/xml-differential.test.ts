/**
 * TEMPORARY: the one-pass tree builder against the old fast-xml-parser path
 * (tests/sdf/xml-legacy.ts), on every SDF we have and on generated documents.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../core/sdf/xml.js';
import { REPO, SHARED } from '../support/paths.js';
import { parseXml as parseXmlLegacy } from './xml-legacy.js';

function systems(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...systems(p));
    else if (name.endsWith('.system') || name.endsWith('.xml')) out.push(p);
  }
  return out;
}

function outcome(parse: (t: string, f: string) => unknown, text: string): unknown {
  try {
    return parse(text, 'x.system');
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const name = fc.constantFrom('a', 'b', 'system', 'map', 'p:a', 'p:b', 'q:x', 'memory_region');
const attrName = fc.constantFrom('x', 'y', 'name', 'p:z', 'q:x', 'xmlns:r');
const chars = fc.constantFrom('a', ' ', '\t', '\n', '\r\n', '\r', '&amp;', '&lt;', '&#x41;', '&#10;', '&#13;', '&quot;', '>', 'é', '😀', "'", '"');
const textPiece = fc.array(chars, { maxLength: 6 }).map((a) => a.join('').replace(/"/g, 'q'));
const attrValue = fc.array(chars, { maxLength: 6 }).map((a) => a.join('').replace(/"/g, '&quot;'));
const ws = fc.constantFrom('', ' ', '\n', '\r\n', '\t');

const doc = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    textPiece.filter((t) => t.length > 0),
    textPiece.map((t) => `<![CDATA[${t.replace(/&/g, '')}]]>`),
    // The old path located text after `<!-->...-->` inside the comment (fixed): not generated.
    textPiece.map((t) => `<!--${t.replace(/-/g, '').replace(/^>+/, '')}-->`),
    fc.constantFrom('<?pi?>', '<?pi data x?>'),
    tie('element'),
  ),
  element: fc
    .tuple(
      name,
      fc.uniqueArray(fc.tuple(attrName, attrValue, ws), { selector: (a) => a[0], maxLength: 3 }),
      fc.array(tie('node'), { maxLength: 5 }),
      fc.boolean(),
      ws,
    )
    .map(([n, attrs, kids, empty, w]) => {
      const a = attrs.map(([k, v, s]) => ` ${k}${s}="${v}"`).join('');
      return empty && kids.length === 0 ? `<${n}${a}${w}/>` : `<${n}${a}${w}>${(kids as string[]).join('')}</${n}${w}>`;
    }),
}));

const document = fc
  .tuple(fc.boolean(), fc.boolean(), fc.constantFrom('', '<!-- c -->\n', '<?pi?>\n'), doc.element, fc.constantFrom('', '\n', '<!-- e -->', '\n<?pi?>\n'))
  .map(([bom, decl, pre, root, post]) => {
    const r = (root as string).replace(/^<([\w:]+)/, '<$1 xmlns:p="urn:p" xmlns:q="urn:q" xmlns="urn:d"');
    return `${bom ? '\ufeff' : ''}${decl ? '<?xml version="1.0"?>\n' : ''}${pre}${r}${post}`;
  });

describe('the one-pass XML tree equals the fast-xml-parser one', () => {
  const files = [...systems(resolve(SHARED, 'conformance')), ...systems(resolve(REPO, 'examples'))];
  it(`on every SDF of the conformance suites and examples (${files.length})`, () => {
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      expect(outcome(parseXml, text), f).toEqual(outcome(parseXmlLegacy, text));
    }
  });

  it('on generated well-formed documents', () => {
    fc.assert(
      fc.property(document, (text) => {
        const now = outcome(parseXml, text);
        expect(now).not.toHaveProperty('error');
        expect(now).toEqual(outcome(parseXmlLegacy, text));
      }),
      { numRuns: Number(process.env.XML_DIFF_RUNS ?? 3000) },
    );
  });
});
