/**
 * Docs that run: every TypeScript snippet in README.md and docs/*.md is extracted, type-checked
 * against the sources, and run. A config (`export default`) is built by the built CLI (when it
 * names an SDK; needs `npm run build`) or checked in-process, from a stand-in for the repository root; a plugin module is applied in a check of
 * the hello example; anything else is imported. Snippets are written from the repository root's
 * point of view (`./examples/...`, `examples/hello/hello.system`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJiti } from 'jiti';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';

interface Snippet {
  readonly doc: string;
  readonly line: number;
  readonly code: string;
  readonly file: string;
}

const DOCS = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** A directory that looks like the repository root to a snippet run by the CLI: examples/ and a package.json. */
const ROOT = mkdtempSync(join(tmpdir(), 'mk-snippets-'));
symlinkSync(join(REPO, 'examples'), join(ROOT, 'examples'));
writeFileSync(join(ROOT, 'package.json'), JSON.stringify({ name: 'snippets', private: true, type: 'module' }));

function extract(): Snippet[] {
  const out: Snippet[] = [];
  for (const doc of DOCS) {
    const text = readFileSync(join(REPO, doc), 'utf8');
    for (const m of text.matchAll(/^( *)```ts\n([\s\S]*?)^\1```$/gm)) {
      const indent = m[1]!.length;
      const code = m[2]!
        .split('\n')
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n');
      const line = text.slice(0, m.index).split('\n').length;
      const file = `${doc.replace(/[/.]/g, '-')}-${line}.ts`;
      writeFileSync(join(ROOT, file), code);
      out.push({ doc, line, code, file });
    }
  }
  return out;
}

const SNIPPETS = extract();
const isConfig = (s: Snippet) => /^export default /m.test(s.code);
/** A library snippet that needs files a test does not have (a build's image, an SDK): type-checked, not run. */
const typesOnly = (s: Snippet) => s.code.startsWith('// types only');
/** `microkit-ts` and its subpaths as the tool's own sources, for snippets that are imported. */
const OWN_MODULES: Record<string, string> = {
  'microkit-ts/plugins': join(REPO, 'plugins/index.ts'),
  'microkit-ts/presets': join(REPO, 'presets/index.ts'),
  'microkit-ts/model': join(REPO, 'core/sdf/model.ts'),
  'microkit-ts/system': join(REPO, 'core/system/index.ts'),
  'microkit-ts/inspect': join(REPO, 'core/inspect/index.ts'),
  'microkit-ts/graph': join(REPO, 'core/graph/index.ts'),
  'microkit-ts': join(REPO, 'core/index.ts'),
};
const isPlugin = (s: Snippet) => !isConfig(s) && /\bdefinePlugin\b/.test(s.code);

/** A config that applies every plugin factory the snippet module `file` exports, to the hello example. */
function pluginConfigText(file: string): string {
  return `import * as snippet from './${file.replace(/\.ts$/, '.js')}';
const plugins = Object.values(snippet).filter((f): f is () => never => typeof f === 'function').map((f) => f());
if (plugins.length === 0) throw new Error('the snippet exports no plugin factory');
export default { system: 'examples/hello/hello.system', board: 'qemu_virt_aarch64', config: 'debug', plugins };
`;
}

function pluginConfig(s: Snippet): string {
  const file = s.file.replace(/\.ts$/, '.config.ts');
  writeFileSync(join(ROOT, file), pluginConfigText(s.file));
  return file;
}

/**
 * A compiler host that shows the snippets as files in the repository root (they exist only in
 * memory), so they resolve `./examples/...` and `microkit-ts` to the same sources as the tool.
 */
function snippetHost(options: ts.CompilerOptions, files: ReadonlyMap<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, language, ...rest) => {
    const text = files.get(f);
    return text === undefined ? getSourceFile.call(host, f, language, ...rest) : ts.createSourceFile(f, text, language);
  };
  return host;
}

describe('documentation snippets', () => {
  it('there are snippets, and each is a config, a plugin, or a module', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(7);
    expect(SNIPPETS.filter(isConfig).length).toBeGreaterThanOrEqual(5);
    expect(SNIPPETS.filter(isPlugin).length).toBeGreaterThanOrEqual(1);
  });

  it.each(SNIPPETS.map((s) => [`${s.doc}:${s.line}`, s] as const))('%s runs', async (_where, s) => {
    if (isConfig(s) && /^\s*sdk:/m.test(s.code)) {
      // A build, as a user runs it (plugins write their outputs relative to the process's directory).
      const run = spawnSync(process.execPath, [join(REPO, 'dist', 'core', 'cli', 'bin.js'), '--config-file', s.file], { cwd: ROOT, encoding: 'utf8' });
      expect(run.stderr).toBe(`microkit: using config ${s.file}\n`);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^MICROKIT\|CAPDL SPEC/m);
      for (const [, output] of s.code.matchAll(/output: '([^']+)'/g)) expect(existsSync(join(ROOT, output!)), output).toBe(true);
    } else if (isConfig(s)) {
      const run = await cli(['check', '--config-file', s.file], { cwd: ROOT });
      expect(run.stderr).toBe(`microkit: using config ${s.file}\n`);
      expect(run.code).toBe(0);
    } else if (isPlugin(s)) {
      const config = pluginConfig(s);
      const run = await cli(['check', '--config-file', config], { cwd: ROOT });
      expect(run.stderr).toBe(`microkit: using config ${config}\n`);
      expect(run.code).toBe(0);
    } else if (!typesOnly(s)) {
      await createJiti(join(ROOT, s.file), { moduleCache: false, alias: OWN_MODULES }).import(join(ROOT, s.file));
    }
  });

  it('type-check against the sources', () => {
    const name = (file: string) => join(REPO, `__snippet__${file}`);
    const files = new Map(SNIPPETS.map((s) => [name(s.file), s.code]));
    for (const s of SNIPPETS.filter(isPlugin)) files.set(name(s.file.replace(/\.ts$/, '.config.ts')), pluginConfigText(`__snippet__${s.file}`));
    const own = (p: string) => [join(REPO, p)];
    const options: ts.CompilerOptions = {
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ['node'],
      paths: {
        'microkit-ts': own('core/index.ts'),
        'microkit-ts/plugins': own('plugins/index.ts'),
        'microkit-ts/presets': own('presets/index.ts'),
        'microkit-ts/model': own('core/sdf/model.ts'),
        'microkit-ts/system': own('core/system/index.ts'),
        'microkit-ts/inspect': own('core/inspect/index.ts'),
        'microkit-ts/graph': own('core/graph/index.ts'),
      },
    };
    const program = ts.createProgram([...files.keys()], options, snippetHost(options, files));
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && files.has(d.file.fileName))
      .map((d) => {
        const where = d.start === undefined ? '?' : d.file!.getLineAndCharacterOfPosition(d.start).line + 1;
        return `${d.file!.fileName.slice(REPO.length + 1)}:${where}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    expect(problems).toEqual([]);
  }, 120_000);
});
