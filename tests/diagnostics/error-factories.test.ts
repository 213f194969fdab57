/**
 * Every error and warning is made by a named factory in an errors module
 * (core/sdf/errors.ts, core/program/errors.ts, plugins/viper/errors.ts, ...),
 * so each message text lives in one place; and every code raised anywhere
 * is listed in docs/diagnostics.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';

const ROOTS = ['core', 'plugins'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** An errors module: `errors.ts` or `*-errors.ts` of an area, or core/errors/ (the MicrokitError class itself and the pipeline's errors). */
export function isErrorsModule(path: string): boolean {
  return /(^|\/|-)errors\.ts$/.test(path) || path.startsWith('core/errors/');
}

/** Where `new MicrokitError(` is written outside an errors module. */
export function inlineErrors(files: ReadonlyMap<string, string>): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    if (isErrorsModule(path)) continue;
    text.split('\n').forEach((line, i) => {
      if (/\bnew\s+MicrokitError\s*\(/.test(line)) found.push(`${path}:${i + 1}`);
    });
  }
  return found;
}

const CODE = "'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'";
/**
 * The codes a source raises: the first argument of an error factory or of
 * MicrokitError (`fileError('OUTPUT_WRITE', …)`, `loaderError('LOADER_ENTRY', …)`),
 * a code-valued default or argument of the SDF factories, a subclass's `super('CODE', …)`.
 */
export function raisedCodes(text: string): Set<string> {
  const codes = new Set<string>();
  const patterns = [
    new RegExp(String.raw`\b\w*(?:Error|error)\w*\(\s*${CODE}`, 'g'),
    new RegExp(String.raw`\bsuper\(\s*${CODE}`, 'g'),
    new RegExp(String.raw`\bsdf\w*\([^;]*?${CODE}`, 'g'),
    new RegExp(String.raw`\bcode(?:\s*:\s*\w+)?\s*=\s*${CODE}`, 'g'),
    /\bnew\s+MicrokitError\(\s*'([A-Z][A-Z0-9_]+)'/g,
  ];
  for (const p of patterns) for (const m of text.matchAll(p)) codes.add(m[1]!);
  return codes;
}

const files = new Map(ROOTS.flatMap((root) => sources(join(REPO, root))).map((p) => [relative(REPO, p), readFileSync(p, 'utf8')] as const));
const docs = readFileSync(join(REPO, 'docs/diagnostics.md'), 'utf8');

describe('error factories', () => {
  it('scans the sources (core and plugins)', () => {
    expect(files.size).toBeGreaterThan(100);
    expect([...files.keys()].some(isErrorsModule)).toBe(true);
  });

  it('builds no MicrokitError outside an errors module', () => {
    expect(inlineErrors(files)).toEqual([]);
  });

  it('finds an inline MicrokitError when there is one (the check can fail)', () => {
    const sample = new Map([
      ['core/foo/bar.ts', "throw new MicrokitError('FOO', 'microkit: error: foo');"],
      ['core/foo/errors.ts', "return new MicrokitError('FOO', 'microkit: error: foo');"],
    ]);
    expect(inlineErrors(sample)).toEqual(['core/foo/bar.ts:1']);
  });

  it('lists every code raised in docs/diagnostics.md', () => {
    const raised = new Map<string, string[]>();
    for (const [path, text] of files) for (const code of raisedCodes(text)) raised.set(code, [...(raised.get(code) ?? []), path]);
    expect(raised.size).toBeGreaterThan(100);
    const missing = [...raised].filter(([code]) => !docs.includes(`| \`${code}\` |`)).map(([code, paths]) => `${code} (${paths.join(' ')})`);
    expect(missing).toEqual([]);
  });

  it('recognises the ways a code is raised (the check can fail)', () => {
    const codes = raisedCodes(
      [
        "throw fileError('OUTPUT_WRITE', 'write', path, e);",
        "return new MicrokitError('PLUGIN_FAILED', text);",
        "return new MicrokitError('RUN', text);",
        "super('INSPECT_IMAGE', message);",
        "throw sdfValueError(el, 'bad', 'SDF_INVALID_ROOT');",
        "export function sdfValueError(el: XmlElement, msg: string, code = 'SDF_INVALID_VALUE') {}",
        "const field = 'ARM_PA_SIZE_BITS_40';",
      ].join('\n'),
    );
    expect([...codes].sort()).toEqual(['INSPECT_IMAGE', 'OUTPUT_WRITE', 'PLUGIN_FAILED', 'RUN', 'SDF_INVALID_ROOT', 'SDF_INVALID_VALUE']);
  });
});
