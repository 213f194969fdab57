/**
 * Strict XML: what XML 1.0 forbids is refused with upstream's (roxmltree's)
 * reason and position; what it allows, at any nesting depth, parses.
 */
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { parseXml } from '../../core/sdf/xml.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';

function parseError(text: string): string {
  try {
    parseXml(text, 't.system');
  } catch (e) {
    expect(isMicrokitError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

const MR = (name: string) => `<system>\n<memory_region name="${name}" size="0x1000"/>\n</system>\n`;

describe('XML that is not well-formed is refused as upstream refuses it', () => {
  const cases: [string, string, string][] = [
    ['< in an attribute value', MR('<pool'), `expected '"' not '<' at 2:22`],
    ['an unescaped &', MR('cli&ent'), 'malformed entity reference at 2:25'],
    ['an unknown entity', MR('a&nbsp;'), "unknown entity reference 'nbsp' at 2:23"],
    ['a character reference to a non-XML character', MR('a&#1;'), 'malformed entity reference at 2:23'],
    ['U+0001 in content', '<system>\n\u0001</system>', "a non-XML character '\\u{1}' found at 2:1"],
    ['U+0000 in an attribute', MR('a\u0000'), "a non-XML character '\\0' found at 2:23"],
    ['U+FFFE in content', '<system>\ufffe</system>', "a non-XML character '\\u{fffe}' found at 1:9"],
    ['a lone surrogate', '<system>\ud800</system>', "a non-XML character '\\u{d800}' found at 1:9"],
    ['a duplicated attribute', '<system><a x="1" x="2"/></system>', "attribute 'x' at 1:18 is already defined"],
    ['no whitespace between attributes', '<system><a x="1"y="2"/></system>', "expected a whitespace not 'y' at 1:17"],
    ['an unquoted attribute', '<system><a x=1/></system>', "expected a quote not '1' at 1:14"],
    ['mismatched tags', '<system>\n  <protection_domain name="a">\n</system>', "expected 'protection_domain' tag, not 'system' at 3:1"],
    ['an unknown namespace prefix', '<system><p:a/></system>', "an unknown namespace prefix 'p' at 1:10"],
    ['a name starting with a digit', '<system><1a/></system>', 'invalid name token at 1:10'],
    ['-- in a comment', '<system><!-- a -- b --></system>', "comment at 1:9 contains '--'"],
    [']]> in text', '<system>a]]>b</system>', "']]>' at 1:14 is not allowed inside a character data"],
    ['a DTD', '<!DOCTYPE system [<!ENTITY x "y">]><system/>', 'XML with DTD detected'],
    ['a misplaced declaration', '<system><?xml version="1.0"?></system>', 'unexpected XML declaration at 1:9'],
    ['an empty document', '', 'the document does not have a root node'],
    ['an unclosed root', '<system><a>', 'the root node was opened but never closed'],
    ['two roots', '<system/><system/>', 'unknown token at 1:10'],
    ['text after the root', '<system/>x', 'unknown token at 1:10'],
    ['a truncated tag', '<system><a x="', 'unexpected end of stream'],
  ];
  // The namespace rules, each reason and position as upstream's build (roxmltree) printed it for the same document.
  const XML_NS = 'http://www.w3.org/XML/1998/namespace';
  const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
  cases.push(
    ["'xml' bound to another URI", '<system xmlns:a="u" xmlns:xml="http://x"/>', "'xml' namespace prefix mapped to wrong URI at 1:21"],
    ["the 'xml' URI bound to another prefix", `<system xmlns:a="${XML_NS}"/>`, "the 'xml' namespace URI is used for not 'xml' prefix at 1:9"],
    [
      "the 'xml' URI, written with a reference",
      '<system xmlns:a="http://www.w3.org/XML/1998/namespac&#101;"/>',
      "the 'xml' namespace URI is used for not 'xml' prefix at 1:9",
    ],
    ["the 'xml' URI as the default namespace", `<system xmlns="${XML_NS}"/>`, "the 'xml' namespace URI is used for not 'xml' prefix at 1:9"],
    ["the 'xmlns' URI declared", `<system xmlns:a="${XMLNS_NS}"/>`, "the 'xmlns' URI is used at 1:9, but it must not be declared"],
    ["the 'xmlns' URI for 'xml'", `<system xmlns:xml="${XMLNS_NS}"/>`, "the 'xmlns' URI is used at 1:9, but it must not be declared"],
    ["the 'xmlns' URI as the default namespace", `<system xmlns="${XMLNS_NS}"/>`, "the 'xmlns' URI is used at 1:9, but it must not be declared"],
    ['a prefix declared twice on one element', '<system xmlns:a="u"><a:x xmlns:a="u" xmlns:a="v"/></system>', "namespace 'a' at 1:38 is already defined"],
    ['a declaration error before a later malformed attribute', '<system xmlns:xml="http://x" a="<"/>', "'xml' namespace prefix mapped to wrong URI at 1:9"],
    ['a declaration error before an earlier unknown prefix', '<system b:y="1" xmlns:xml="http://x"/>', "'xml' namespace prefix mapped to wrong URI at 1:17"],
    [
      'two prefixes of one URI naming the same attribute',
      '<system xmlns:a="u"><x xmlns:b="u" a:x="1" b:x="2"/></system>',
      "attribute 'x' at 1:44 is already defined",
    ],
    ['a duplicate before a later unknown prefix', '<system xmlns:a="u" xmlns:b="u" a:x="1" b:x="2" c:z="3"/>', "attribute 'x' at 1:41 is already defined"],
    ["'xml:' attributes twice", '<system xml:x="1" xml:x="2"/>', "attribute 'x' at 1:19 is already defined"],
  );

  // Text that ends early, each reason as upstream's build printed it: a comment, PI or CDATA section expects its end
  // where the text ends; a start tag cut right after its name or an attribute makes no element at all.
  cases.push(
    ['a comment cut short', '<system><!-- c', "expected '-->' at 1:15"],
    ['a PI cut short', '<system>\n<a>\n</a>\n<?p', "expected '?>' at 4:4"],
    ['a CDATA section cut short', '<system><![CDATA[ x', "expected ']]>' at 1:20"],
    ['a comment after the root cut short', '<system></system><!-- a', "expected '-->' at 1:24"],
    ['a comment before the root cut short', '<?xml version="1.0"?><!-- a', "expected '-->' at 1:28"],
    ['a nested start tag cut after its name', '<system><a', 'the root node was opened but never closed'],
    ['a nested start tag cut after an attribute', '<system><a x="1"', 'the root node was opened but never closed'],
    ['the root start tag cut after its name', '<system', 'the document does not have a root node'],
    ['the root start tag cut after an attribute', '<system x="1"', 'the document does not have a root node'],
    ['a start tag cut after a space', '<system x="1" ', 'unexpected end of stream'],
    // roxmltree shows the first UTF-8 byte of a character it did not expect, as a character (é is C3 A9).
    ['an unquoted non-ASCII value', '<system><a x=é/></system>', "expected a quote not 'Ã' at 1:14"],
    ['an astral character where a space belongs', '<system><a x="1"😀/></system>', "expected a whitespace not 'ð' at 1:17"],
  );

  // Past 32 attributes the checker finds duplicates with a set: the same rule, by namespace and local name.
  const many = Array.from({ length: 40 }, (_, i) => `x${i}="1"`).join(' ');
  cases.push(
    ['a duplicate among many attributes', `<system ${many} x7="2"/>`, `attribute 'x7' at 1:${10 + many.length} is already defined`],
    [
      'two prefixes of one URI among many attributes',
      `<system xmlns:a="u" xmlns:b="u" ${many} a:y="1" b:y="2"/>`,
      `attribute 'y' at 1:${42 + many.length} is already defined`,
    ],
  );

  for (const [what, text, reason] of cases) {
    it(what, () => expect(parseError(text)).toBe(`Could not parse 't.system': ${reason}`));
  }

  it('carries a location for the diagnostics model', () => {
    try {
      parseXml(MR('cli&ent'), 't.system');
    } catch (e) {
      expect((e as { location?: unknown }).location).toEqual({ file: 't.system', line: 2, column: 25 });
      expect((e as { code?: string }).code).toBe('SDF_MALFORMED_XML');
    }
  });
});

describe('well-formed XML parses', () => {
  it('namespaces upstream accepts: xml bound to its own URI (twice), an empty URI, one attribute name in two namespaces', () => {
    for (const text of [
      '<system xmlns:xml="http://www.w3.org/XML/1998/namespace" xmlns:xml="http://www.w3.org/XML/1998/namespace"/>',
      '<system xmlns="a" xmlns="b"/>',
      '<system xmlns:a=""/>',
      '<system xmlns:xmlns="u"/>',
      '<system xmlns:a="u" xmlns:b="v" a:x="1" b:x="2" x="3" xml:x="4"/>',
      '<system xmlns:a="u"><x xmlns:a="v" a:y="1"/></system>',
    ]) {
      expect(parseXml(text, 't.system').root.tag, text).toBe('system');
    }
  });

  it('references, CDATA, comments, PIs, namespaces, a BOM and astral characters', () => {
    const text =
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><?pi x?><system xmlns="u" xmlns:q="v">' +
      '<m a="&lt;&#65;&#x42;&amp;" q:b="\u{1F600}"><![CDATA[<&]]></m><?p?><!-- d --></system>';
    const { root } = parseXml(text, 't.system');
    expect(root.tag).toBe('system');
    const m = root.children.find((c) => c.kind === 'element');
    expect(m && m.kind === 'element' && m.attributes.map((a) => a.value)).toEqual(['<AB&', '\u{1F600}']);
  });

  it('1000 levels of nesting: the real semantic error, not a parse error', async () => {
    const n = 1000;
    const open = Array.from({ length: n - 1 }, (_, i) => `<protection_domain name="p${i + 1}" id="${i % 60}" priority="1"><program_image path="x.elf"/>`);
    const text = `<system><protection_domain name="p0" priority="1"><program_image path="x.elf"/>${open.join('')}${'</protection_domain>'.repeat(n)}</system>`;
    const board = 'qemu_virt_aarch64';
    const err = await checkSystem(text, { file: 't.system', kernel: presetKernel(board), plugins: presetPlugins(board) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isMicrokitError(err), String(err)).toBe(true);
    expect((err as Error).message.split('\n')[0]).toBe('Error: too many protection domains (1000) defined. Maximum is 63.');
  });

  it('50 000 levels of XML nesting build a tree without exhausting the stack', () => {
    const n = 50_000;
    const { root } = parseXml(`<system>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</system>`, 't.system');
    let depth = 0;
    for (let el = root; ; depth++) {
      const next = el.children.find((c) => c.kind === 'element');
      if (next?.kind !== 'element') break;
      el = next;
    }
    expect(depth).toBe(n);
  });
});
