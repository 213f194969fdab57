/**
 * Every failing sdf-unit case (../shared/conformance/sdf-unit) through
 * `microkit check`: human output keeps upstream's first line and adds the
 * code and a code frame; `--format json` validates against
 * docs/diagnostics.schema.json and its first message starts with the same
 * line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { cli, firstErrorLine } from '../support/cli.js';
import { HAS_SHARED } from '../support/paths.js';
import { SDF_UNIT_CASES, SDF_UNIT_ROOT, type SdfUnitCase, sdfUnitKernelConfig } from '../support/sdf-unit.js';

const failing = SDF_UNIT_CASES.filter((c) => c.expect === 'error');
const schema = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../docs/diagnostics.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
const tmp = mkdtempSync(join(tmpdir(), 'diag-unit-'));
const docs = readFileSync(resolve(import.meta.dirname, '../../docs/diagnostics.md'), 'utf8');

/**
 * Cases whose error has no place in the SDF, with the reason (also in
 * docs/diagnostics.md): none today; malformed XML has the parser's position.
 */
const UNLOCATED: Record<string, string> = {};

async function run(c: SdfUnitCase, extra: string[]) {
  const cfg = join(tmp, `${c.name.replaceAll('/', '_')}.json`);
  writeFileSync(cfg, JSON.stringify(sdfUnitKernelConfig(c)));
  return cli(['check', basename(c.system), '--kernel-config', cfg, '--search-path', join(SDF_UNIT_ROOT, 'prefills'), ...extra], {
    cwd: dirname(join(SDF_UNIT_ROOT, c.system)),
  });
}

describe.skipIf(!HAS_SHARED)('diagnostics of the failing sdf-unit cases', () => {
  it('has the 132 failing cases', () => {
    expect(failing).toHaveLength(132);
  });

  it.each(failing.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const human = await run(c, ['--color', 'never']);
    expect(human.code).toBe(1);
    const first = firstErrorLine(human);
    expect(first.startsWith(c.message_prefix!.split('\n')[0])).toBe(true);
    expect(human.stderr).toMatch(/error\[[A-Z][A-Z0-9_]+\]/);
    if (UNLOCATED[c.name] === undefined) {
      // A code frame: the marked source line and the underline.
      expect(human.stderr).toMatch(/^ {2}> +\d+ \|/m);
      expect(human.stderr).toMatch(/^ {4,}\| +\^/m);
    }

    const json = await run(c, ['--format', 'json']);
    expect(json.code).toBe(1);
    const diagnostics = JSON.parse(json.stderr) as { code: string; message: string; span?: unknown }[];
    expect(validate(diagnostics), JSON.stringify(validate.errors)).toBe(true);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0].message.split('\n')[0]).toBe(first);
    if (UNLOCATED[c.name] === undefined) expect(diagnostics[0].span).toBeDefined();
    // Every code is listed, with an example, in docs/diagnostics.md.
    expect(docs).toContain(`| \`${diagnostics[0].code}\` |`);
    expect(docs).toContain(`### ${diagnostics[0].code}\n`);
  });
});
