/**
 * The SDF's XML tree (core/sdf/xml-tree.ts, built in the well-formedness
 * checker's pass): the rules the SDF parser relies on, spelled out, and
 * golden trees for every SDF we have and for generated documents. The golden
 * hashes were first recorded from the fast-xml-parser path this builder
 * replaced, after a differential test showed both equal on these inputs; then
 * again when text nodes took roxmltree's shape (split by comments and PIs, at
 * their first character) and prefixed attributes were marked, after the old
 * and new trees compared equal on all 1,662 documents once adjacent text nodes
 * were merged and text locations left out (writeGolden in xml-documents.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type XmlElement, type XmlNode, attribute, parseXml } from '../../core/sdf/xml.js';
import { HAS_SHARED } from '../support/paths.js';
import { GOLDEN, type Golden, generatedDocuments, sdfFiles, treeHash } from './xml-documents.js';

/** Children without locations, for the rule cases below. */
function shape(el: XmlElement): unknown[] {
  return el.children.map((c: XmlNode) => (c.kind === 'text' ? { text: c.text, first: c.first } : { [c.tag]: shape(c) }));
}

function at(n: XmlNode): string {
  return `${n.location.line}:${n.location.column}`;
}

describe('the SDF XML tree', () => {
  // roxmltree's text nodes: character data and CDATA merge; a comment or PI is a node of its own, ending the text.
  it('merges character data and CDATA into one text node; comments and PIs end it and count for `first`', () => {
    const { root } = parseXml('<s>a<!--c-->b<?p x?>c<![CDATA[<d>]]>e<x/>f</s>', 't');
    expect(shape(root)).toEqual([
      { text: 'a', first: true },
      { text: 'b', first: false },
      { text: 'c<d>e', first: false },
      { x: [] },
      { text: 'f', first: false },
    ]);
    expect(shape(parseXml('<s><!--c-->a</s>', 't').root)).toEqual([{ text: 'a', first: false }]);
    expect(shape(parseXml('<s><?p?>a</s>', 't').root)).toEqual([{ text: 'a', first: false }]);
    expect(shape(parseXml('<s><![CDATA[]]></s>', 't').root)).toEqual([{ text: '', first: true }]);
  });

  it('locates a text node at its first character or CDATA section', () => {
    const { root } = parseXml('<s>\n  <x a="1"/>\n  y<!--c-->z\r\n<x></x><?p?>w<![CDATA[v]]></s>', 't');
    const [t1, x1, t2, t3, x2, t4] = root.children;
    expect([at(root), at(t1), at(x1), at(t2), at(t3), at(x2), at(t4)]).toEqual(['1:1', '1:4', '2:3', '2:13', '3:12', '4:1', '4:13']);
    expect([t2, t3, t4].map((t) => (t as { text: string }).text)).toEqual(['\n  y', 'z\n', 'wv']);
    expect(at(parseXml('<s><x/><![CDATA[v]]></s>', 't').root.children[1]!)).toBe('1:8');
  });

  it('decodes references, normalises line ends and attribute whitespace, drops namespace declarations and prefixes', () => {
    const { root } = parseXml('<p:s xmlns:p="urn:p" xmlns="urn:d" p:a="x&#9;y\tz\r\nw" b=\'&lt;&amp;&#x1F600;\'>&gt;\r\r\n&#13;</p:s>', 't');
    expect(root.tag).toBe('s');
    expect(root.attributes).toEqual([
      { name: 'a', value: 'x\ty z w', prefixed: true },
      { name: 'b', value: '<&😀' },
    ]);
    expect(shape(root)).toEqual([{ text: '>\n\n\r', first: true }]);
  });

  it('finds by name only an attribute without a prefix, as roxmltree does (a prefixed one is in a namespace)', () => {
    const { root } = parseXml('<s xmlns:p="urn:p" p:name="a" name="b" xml:id="c"><x p:name="d"/></s>', 't');
    expect(attribute(root, 'name')).toBe('b');
    expect(attribute(root, 'id')).toBeUndefined();
    expect(attribute(root.children[0] as XmlElement, 'name')).toBeUndefined();
    expect(root.attributes.map((a) => a.name)).toEqual(['name', 'name', 'id']);
  });

  it('keeps the checker’s first error and refuses a document without a root', () => {
    expect(() => parseXml('<!-- only -->', 't')).toThrow("Could not parse 't': the document does not have a root node");
    expect(() => parseXml('<s><a></b></s>&', 't')).toThrow("Could not parse 't': expected 'a' tag, not 'b' at 1:7");
  });

  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;

  it('builds the golden tree of every SDF of the examples and conformance suites', () => {
    let checked = 0;
    const wrong: string[] = [];
    for (const [key, file] of sdfFiles()) {
      const want = golden.sdf[key];
      // A new SDF has no golden tree yet; the other tests cover it.
      if (want === undefined) continue;
      checked++;
      if (treeHash(parseXml, readFileSync(file, 'utf8')) !== want) wrong.push(key);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(HAS_SHARED ? 150 : 10);
  });

  it('builds the golden tree of each generated document', () => {
    const docs = generatedDocuments();
    expect(docs.length).toBe(golden.generated.length);
    const wrong = docs.filter((t, i) => treeHash(parseXml, t) !== golden.generated[i]);
    expect(wrong.slice(0, 3)).toEqual([]);
  });
});
