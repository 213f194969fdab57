/** Did-you-mean, accepted number forms and related places, as `microkit check` prints them. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'diag-suggest-'));
let n = 0;

async function check(body: string, extra: string[] = []) {
  const name = `s${n++}.system`;
  writeFileSync(join(dir, name), `<system>\n${body}</system>\n`);
  const run = await cli(['check', name, '--board', 'qemu_virt_aarch64', '--config', 'debug', ...extra], { cwd: dir });
  expect(run.code).toBe(1);
  return run.stderr;
}

const pd = (name: string, inner = '', attrs = '') =>
  `  <protection_domain name="${name}"${attrs}>\n    <program_image path="${name}.elf" />\n${inner}  </protection_domain>\n`;

describe('did you mean', () => {
  it('unknown element in <system>, in a PD and in a channel', async () => {
    expect(await check('  <memory_regoin name="x" size="0x1000" />\n' + pd('a'))).toContain("help: did you mean 'memory_region'?");
    expect(await check(pd('a', '    <mapp mr="x" vaddr="0x1000" />\n'))).toContain("help: did you mean 'map'?");
    const channel = await check(pd('a') + pd('b') + '  <channel>\n    <edn pd="a" id="0" />\n    <end pd="b" id="0" />\n  </channel>\n');
    expect(channel).toContain("help: did you mean 'end'?");
  });

  it('unknown attribute, or the list when nothing is close', async () => {
    expect(await check(pd('a', '', ' priorty="1"'))).toContain("help: did you mean 'priority'?");
    expect(await check('  <memory_region name="x" size="0x1000" colour="red" />\n' + pd('a'))).toContain(
      "help: 'memory_region' takes: name, size, page_size, phys_addr, prefill_path, prefill_bootinfo",
    );
  });

  it('memory region named by a map, PD named by a channel end and a cap map', async () => {
    const mr = await check('  <memory_region name="uart" size="0x1000" />\n' + pd('a', '    <map mr="uatr" vaddr="0x2000000" />\n'));
    expect(mr).toContain("Error: invalid memory region name 'uatr' on 'map'");
    expect(mr).toContain("help: did you mean 'uart'?");
    expect(mr).toMatch(/\^{6,} no memory region of this name/);
    const end = await check(pd('client') + pd('server') + '  <channel>\n    <end pd="client" id="0" />\n    <end pd="servr" id="0" />\n  </channel>\n');
    expect(end).toContain("help: did you mean 'server'?");
    const cap = await check(pd('client', '    <cspace>\n      <cap_tcb pd="sever" slot="1" />\n    </cspace>\n') + pd('server'));
    expect(cap).toContain("Error: unknown PD name 'sever'");
    expect(cap).toContain("help: did you mean 'server'?");
  });
});

describe('number errors say which forms are accepted', () => {
  it('sdf numbers and decimal-only ids', async () => {
    const size = await check('  <memory_region name="x" size="4k" />\n' + pd('a'));
    expect(size).toContain("help: numbers are decimal (4096) or hexadecimal with a lowercase '0x' prefix (0x1000)");
    expect(size).toMatch(/\| +\^{9} not a number/); // under size="4k"
    const id = await check(pd('a', '    <irq irq="33" id="0x1" />\n'));
    expect(id).toContain("help: this attribute takes a decimal number, e.g. '3'");
  });
});

describe('related places', () => {
  it('an overlapping map shows both ranges and the other map', async () => {
    const out = await check(
      '  <memory_region name="a" size="0x2000" />\n  <memory_region name="b" size="0x1000" />\n' +
        pd('p', '    <map mr="a" vaddr="0x1000000" />\n    <map mr="b" vaddr="0x1001000" />\n'),
    );
    expect(out).toContain("'b' at [0x1001000..0x1002000)");
    expect(out).toContain("note: overlaps 'a' at [0x1000000..0x1002000)");
    expect(out).toMatch(/note: overlaps[^\n]*\n {2}--> s\d+\.system:6:17/);
  });

  it('a duplicate name points at the first definition', async () => {
    const out = await check(pd('a') + pd('a'));
    expect(out).toContain("note: 'a' is first defined here");
    expect(out).toMatch(/first defined here\n {2}--> s\d+\.system:2:22/);
  });

  it('a duplicate IRQ or channel id points at both uses', async () => {
    const irq = await check(pd('a', '    <irq irq="33" id="1" />\n') + pd('b', '    <irq irq="33" id="2" />\n'));
    expect(irq).toMatch(/^Error: duplicate irq: 33 in protection domain: 'b' @ s\d+\.system:6:3$/m);
    expect(irq).toMatch(/--> s\d+\.system:8:5 error\[SDF_DUPLICATE_IRQ\]/);
    expect(irq).toMatch(/note: IRQ 33 is first claimed here\n {2}--> s\d+\.system:4:5/);
    const id = await check(
      pd('a', '    <irq irq="33" id="1" />\n') + pd('b') + '  <channel>\n    <end pd="a" id="1" />\n    <end pd="b" id="1" />\n  </channel>\n',
    );
    expect(id).toContain('note: id 1 used again');
    expect(id).toMatch(/note: id 1 is first used here\n {2}--> s\d+\.system:4:19/);
    expect(id).toContain('help: IRQ ids and channel-end ids of a PD share one namespace (0..61)');
  });

  it('a duplicate setvar points at the first one', async () => {
    const out = await check(
      '  <memory_region name="x" size="0x1000" />\n' +
        pd('a', '    <map mr="x" vaddr="0x2000000" setvar_vaddr="v" />\n    <setvar symbol="v" region_paddr="x" />\n'),
    );
    expect(out).toContain("note: 'v' is first set here");
  });
});
