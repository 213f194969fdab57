/**
 * TEMPORARY: the one-pass tree builder against the old fast-xml-parser path
 * (tests/sdf/xml-legacy.ts), on every SDF we have and on generated documents.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../core/sdf/xml.js';
import { generatedDocuments, sdfFiles, wellFormedDocument, writeGolden } from './xml-documents.js';
import { parseXml as parseXmlLegacy } from './xml-legacy.js';

function outcome(parse: (t: string, f: string) => unknown, text: string): unknown {
  try {
    return parse(text, 'x.system');
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('the one-pass XML tree equals the fast-xml-parser one', () => {
  it('on every SDF of the conformance suites and examples', () => {
    const files = sdfFiles();
    expect(files.size).toBeGreaterThan(100);
    for (const [key, f] of files) {
      const text = readFileSync(f, 'utf8');
      expect(outcome(parseXml, text), key).toEqual(outcome(parseXmlLegacy, text));
    }
  });

  it('on the golden generated documents', () => {
    for (const text of generatedDocuments()) expect(outcome(parseXml, text), text).toEqual(outcome(parseXmlLegacy, text));
  });

  it('on random generated well-formed documents', () => {
    fc.assert(
      fc.property(wellFormedDocument, (text) => {
        const now = outcome(parseXml, text);
        expect(now).not.toHaveProperty('error');
        expect(now).toEqual(outcome(parseXmlLegacy, text));
      }),
      { numRuns: Number(process.env.XML_DIFF_RUNS ?? 3000) },
    );
  });
});

it.runIf(process.env.XML_GOLDEN_WRITE === '1')('writes the golden trees from the fast-xml-parser path', () => {
  writeGolden(parseXmlLegacy);
});
