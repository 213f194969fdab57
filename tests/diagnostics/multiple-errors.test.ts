/**
 * Hand-made systems through `microkit check`: independent errors are all
 * reported (first is upstream's first), dependent ones are not, `--max-errors`
 * caps the list, warnings get codes and places, `--deny-warnings` fails.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, firstErrorLine } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'diag-multi-'));

async function check(name: string, body: string, extra: string[] = []) {
  writeFileSync(join(dir, name), `<?xml version="1.0" encoding="UTF-8"?>\n<system>\n${body}</system>\n`);
  return cli(['check', name, '--board', 'qemu_virt_aarch64', '--config', 'debug', '--color', 'never', ...extra], { cwd: dir });
}

/** Upstream's first lines of each error, in the order printed. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^(Error|ERROR|Invalid|WARNING)/.test(l));
}

const pd = (name: string, inner = '', attrs = '') =>
  `  <protection_domain name="${name}"${attrs}>\n    <program_image path="${name}.elf" />\n${inner}  </protection_domain>\n`;

describe('every independent error in one run', () => {
  it('reports three independent parse errors in source order, then the count', async () => {
    const run = await check(
      'three.system',
      [
        '  <memory_region name="buf" size="0x1000" />\n',
        pd('a', '', ' priorty="1"'),
        pd('b', '    <map mr="buf" vaddr="0x1001000" perms="rwz" />\n'),
        '  <memory_regoin name="x" size="0x1000" />\n',
      ].join(''),
    );
    expect(run.code).toBe(1);
    expect(firstErrorLine(run)).toBe("Error: invalid attribute 'priorty' on element 'protection_domain': three.system:4:3");
    expect(errorLines(run.stderr)).toEqual([
      "Error: invalid attribute 'priorty' on element 'protection_domain': three.system:4:3",
      "Error: perms must only be a combination of 'r', 'w', and 'x' on element 'map': three.system:9:5",
      "Error: invalid XML element 'memory_regoin': three.system:11:3",
    ]);
    expect(run.stderr).toContain('error: 3 errors');
  });

  it('reports independent validation errors of different rules', async () => {
    const run = await check(
      'validate.system',
      [
        '  <memory_region name="buf" size="0x2000" />\n',
        '  <memory_region name="buf" size="0x1000" />\n',
        '  <memory_region name="other" size="0x1000" />\n',
        pd('a', '    <map mr="buf" vaddr="0x1000000" />\n    <map mr="other" vaddr="0x1001000" />\n', ' priority="10"'),
        pd('a', '', ' priority="20"'),
      ].join(''),
    );
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual([
      "Error: duplicate protection domain name 'a'.",
      "Error: duplicate memory region name 'buf'.",
      "Error: map for 'other' has virtual address range [0x1001000..0x1002000) which overlaps with map for 'buf' [0x1000000..0x1002000) in protection domain 'a' @ validate.system:9:5",
    ]);
    expect(run.stderr).toContain('error: 3 errors');
  });

  it('does not report what follows from an earlier error', async () => {
    // PD 'a' is broken; the channel and the cap map naming it are not errors of their own.
    const run = await check(
      'dependent.system',
      [
        pd('a', '', ' priority="300"'),
        pd('b', '    <cspace>\n      <cap_tcb pd="a" slot="1" />\n    </cspace>\n'),
        '  <channel>\n    <end pd="a" id="0" />\n    <end pd="b" id="0" />\n  </channel>\n',
      ].join(''),
    );
    expect(run.code).toBe(1);
    expect(errorLines(run.stderr)).toEqual(["Error: priority must be between 0 and 254 on element 'protection_domain': dependent.system:3:3"]);
    expect(run.stderr).not.toContain('errors');
  });

  it('a broken program_image is not also a missing one', async () => {
    const run = await check('image.system', '  <protection_domain name="a">\n    <program_image pth="a.elf" />\n  </protection_domain>\n');
    expect(errorLines(run.stderr)).toEqual(["Error: invalid attribute 'pth' on element 'program_image': image.system:4:5"]);
  });

  it('stops at --max-errors and says how many there were', async () => {
    const body = Array.from({ length: 5 }, (_, i) => pd(`p${i}`, '', ' priority="999"')).join('');
    const run = await check('many.system', body, ['--max-errors', '2']);
    expect(errorLines(run.stderr)).toHaveLength(2);
    expect(run.stderr).toContain('error: 5 errors (the first 2 shown; --max-errors)');
    const bad = await check('many.system', body, ['--max-errors', 'lots']);
    expect(firstErrorLine(bad)).toBe("microkit: error: argument --max-errors: invalid value 'lots' (a positive number)");
  });
});

describe('warnings', () => {
  const body = '  <memory_region name="spare" size="0x1000" />\n' + pd('a');

  it("keeps upstream's line on stdout and adds code and place on stderr", async () => {
    const run = await check('warn.system', body);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("WARNING: unused memory region 'spare'");
    expect(run.stderr).toContain('warn.system:3:18 warning[SDF_UNUSED_MEMORY_REGION]');
    expect(run.stderr).toMatch(/> 3 \|\s+<memory_region name="spare"/);
  });

  it('--deny-warnings makes them errors', async () => {
    const run = await check('warn.system', body, ['--deny-warnings']);
    expect(run.code).toBe(1);
    expect(firstErrorLine(run)).toBe("WARNING: unused memory region 'spare'");
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('error[SDF_UNUSED_MEMORY_REGION]');
    expect(run.stderr).toContain('help: warnings are errors (--deny-warnings)');
  });
});

describe('colour', () => {
  const body = pd('a', '', ' priority="300"');

  it('is off when not a terminal, on with --color always, off with NO_COLOR', async () => {
    writeFileSync(join(dir, 'c.system'), `<system>\n${body}</system>\n`);
    const args = ['check', 'c.system', '--board', 'qemu_virt_aarch64', '--config', 'debug'];
    const plain = await cli(args, { cwd: dir });
    expect(plain.stderr).not.toContain('\u001b[');
    const always = await cli([...args, '--color', 'always'], { cwd: dir });
    expect(always.stderr).toContain('\u001b[');
    expect(always.stderr.split('\n')[0]).not.toContain('\u001b['); // upstream's line stays plain
    const never = await cli([...args, '--color', 'never'], { cwd: dir });
    expect(never.stderr).not.toContain('\u001b[');
    const bad = await cli([...args, '--color', 'sometimes'], { cwd: dir });
    expect(bad.code).toBe(1);
  });
});

describe('--format json', () => {
  it('prints [] for a clean run, the warnings when there are some, and command-line errors as JSON', async () => {
    const clean = await check('clean.system', pd('a'), ['--format', 'json']);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stderr)).toEqual([]);
    const warned = await check('warned.system', '  <memory_region name="spare" size="0x1000" />\n' + pd('a'), ['--format', 'json']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain("WARNING: unused memory region 'spare'");
    expect(JSON.parse(warned.stderr)).toMatchObject([{ code: 'SDF_UNUSED_MEMORY_REGION', severity: 'warning', span: { file: 'warned.system', line: 3 } }]);
    const args = await cli(['check', 'clean.system', '--board', 'nope', '--format', 'json'], { cwd: dir });
    expect(args.code).toBe(1);
    expect(JSON.parse(args.stderr)).toMatchObject([
      { code: 'CLI_ARGUMENTS', severity: 'error', message: expect.stringMatching(/^microkit: error: argument --board/) },
    ]);
  });
});
