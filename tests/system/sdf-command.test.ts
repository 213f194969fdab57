/** `microkit sdf --from`: normalises an SDF (a fixed point), validates first, writes -o atomically. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, firstErrorLine } from '../support/cli.js';

const MESSY = `<?xml version="1.0"?>
<!-- comments and odd layout go -->
<system><memory_region   size="4096" name="m"/>
<protection_domain name="p" priority="0x10" budget="1000" fpu="true"><program_image path="p.elf"/>
  <map perms="rw" vaddr="33554432" mr="m" setvar_vaddr="m_vaddr"/></protection_domain>
  <protection_domain name="q"><program_image path="q.elf"/></protection_domain>
  <channel><end pd="p" id="1" notify="true"/><end id="2" pd="q" pp="false"/></channel>
</system>
`;

const NORMAL = `<?xml version="1.0" encoding="UTF-8"?>
<system>
    <memory_region name="m" size="0x1000" />
    <protection_domain name="p" priority="16">
        <program_image path="p.elf" />
        <map mr="m" vaddr="0x2000000" perms="rw" setvar_vaddr="m_vaddr" />
    </protection_domain>
    <protection_domain name="q" priority="0">
        <program_image path="q.elf" />
    </protection_domain>
    <channel>
        <end pd="p" id="1" />
        <end pd="q" id="2" />
    </channel>
</system>
`;

const board = ['--board', 'qemu_virt_aarch64', '--config', 'debug'];

describe('microkit sdf --from', () => {
  it('writes the normalised SDF on stdout, and normalising it again changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-sdf-'));
    writeFileSync(join(dir, 'messy.system'), MESSY);
    const run = await cli(['sdf', '--from', 'messy.system', ...board], { cwd: dir, env: {} });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(NORMAL);
    writeFileSync(join(dir, 'normal.system'), run.stdout);
    const again = await cli(['sdf', '--from', 'normal.system', ...board, '-o', 'out.system'], { cwd: dir, env: {} });
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'out.system'), 'utf8')).toBe(NORMAL);
  });

  it('warnings go to stderr when the SDF goes to stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-sdf-'));
    writeFileSync(join(dir, 'unused.system'), MESSY.replace('<system>', '<system><memory_region name="unused" size="0x1000"/>'));
    const run = await cli(['sdf', '--from', 'unused.system', ...board], { cwd: dir, env: {} });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('unused');
    expect(run.stdout.startsWith('<?xml')).toBe(true);
    expect(run.stdout).toContain('<memory_region name="unused" size="0x1000" />');
  });

  it('an invalid system fails as check does, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-sdf-'));
    writeFileSync(join(dir, 'bad.system'), MESSY.replace('size="4096"', 'size="4097"'));
    const run = await cli(['sdf', '--from', 'bad.system', ...board, '-o', 'out.system'], { cwd: dir, env: {} });
    const check = await cli(['check', 'bad.system', ...board], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    expect(firstErrorLine(run)).toBe(firstErrorLine(check));
    expect(firstErrorLine(run)).toBe("Error: size is not a multiple of the page size on element 'memory_region': bad.system:3:9");
    expect(existsSync(join(dir, 'out.system'))).toBe(false);
  });

  it('without --from or a config system it asks for one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-sdf-'));
    const run = await cli(['sdf', ...board], { cwd: dir, env: {} });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the following arguments are required: system');
  });
});
