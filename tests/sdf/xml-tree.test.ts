/**
 * The SDF's XML tree (core/sdf/xml-tree.ts, built in the well-formedness
 * checker's pass): the rules the SDF parser relies on, spelled out, and
 * golden trees for every SDF we have and for generated documents. The golden
 * hashes were recorded from the fast-xml-parser path this builder replaced,
 * after a differential test showed both equal on these inputs.
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
  it('merges text across comments, PIs and CDATA until the next element; comments count for `first`, PIs do not', () => {
    const { root } = parseXml('<s>a<!--c-->b<?p x?>c<![CDATA[<d>]]>e<x/>f</s>', 't');
    expect(shape(root)).toEqual([{ text: 'abc<d>e', first: true }, { x: [] }, { text: 'f', first: false }]);
    expect(shape(parseXml('<s><!--c-->a</s>', 't').root)).toEqual([{ text: 'a', first: false }]);
    expect(shape(parseXml('<s><?p?>a</s>', 't').root)).toEqual([{ text: 'a', first: true }]);
    expect(shape(parseXml('<s><![CDATA[]]></s>', 't').root)).toEqual([{ text: '', first: true }]);
  });

  it('locates a text node at its first character, or at the first PI right before it', () => {
    const { root } = parseXml('<s>\n  <x a="1"/>\n  y<!--c-->z\r\n<x></x><?p?>w</s>', 't');
    const [t1, x1, t2, x2, t3] = root.children;
    expect([at(root), at(t1), at(x1), at(t2), at(x2), at(t3)]).toEqual(['1:1', '1:4', '2:3', '2:13', '4:1', '4:8']);
    expect((t2 as { text: string }).text).toBe('\n  yz\n');
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
