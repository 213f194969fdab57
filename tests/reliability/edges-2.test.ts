/**
 * The second sweep of hostile input, over the CLI's less-travelled surfaces
 * (board facts, huge or deep systems, inspect, graph, sdf, sdk synth, run):
 * each case is a clean, located message and exit 1, never "internal error",
 * a stack, a hang, or a silently wrong result. The first sweep is
 * input-edges.test.ts and io-errors.test.ts.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import type { ProtectionDomain, SystemDescription } from '../../core/sdf/model.js';
import { checkPdNames } from '../../core/sdf/validate/system-checks.js';
import { parseXml } from '../../core/sdf/xml.js';
import { syntheticSdk } from '../support/build.js';
import { cli } from '../support/cli.js';
import { BOARD, build, expectCleanFailure, workspace } from './workspace.js';

/** The message of what `fn` throws, which must be a MicrokitError. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isMicrokitError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe("a board's platform memory that is not a set of disjoint ranges", () => {
  const range = (start: number, end: number) => ({ start, end });
  const RAM = range(0x4000_0000, 0x8000_0000);
  // Each was "internal error: memory regions: …" from the boot emulation.
  const cases: [string, object, string][] = [
    ['a reversed range', { memory: [range(5, 1)], devices: [] }, "JSON field 'platform.memory[0]' is empty: its start 0x5 is not below its end 0x1"],
    [
      'an empty range',
      { memory: [RAM, range(0x1000, 0x1000)], devices: [] },
      "JSON field 'platform.memory[1]' is empty: its start 0x1000 is not below its end 0x1000",
    ],
    [
      'two overlapping ranges',
      { memory: [RAM, range(0x7000_0000, 0x9000_0000)], devices: [] },
      "JSON field 'platform.memory[1]' [0x70000000..0x90000000) overlaps platform.memory[0] [0x40000000..0x80000000)",
    ],
    ['a reversed device range', { memory: [RAM], devices: [range(9, 2)] }, "JSON field 'platform.devices[0]' is empty: its start 0x9 is not below its end 0x2"],
  ];
  for (const [name, platform, problem] of cases) {
    it(`--kernel-config: ${name}`, async () => {
      const dir = workspace();
      writeFileSync(join(dir, 'kc.json'), JSON.stringify({ platform }));
      expectCleanFailure(await build(dir, '--kernel-config', 'kc.json'), `microkit: error: kernel config 'kc.json': ${problem}`);
    });
  }

  it("platform_gen.json of an SDK: named by its path, fields as the file's", async () => {
    const dir = workspace();
    const sdk = join(dir, 'sdk');
    cpSync(syntheticSdk(BOARD), sdk, { recursive: true });
    const file = join(sdk, 'board', BOARD, 'debug', 'platform_gen.json');
    writeFileSync(file, JSON.stringify({ memory: [range(5, 1)], devices: [] }));
    const run = await cli(['hello.system', '--board', BOARD, '--config', 'debug'], { cwd: dir, env: { MICROKIT_SDK: sdk } });
    expectCleanFailure(
      run,
      `microkit: error: kernel platform configuration file '${file}': JSON field 'memory[0]' is empty: its start 0x5 is not below its end 0x1`,
    );
  });

  it('memory that does not hold the kernel is said so (it was "internal error: … not currently covered")', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'kc.json'), JSON.stringify({ platform: { memory: [range(0x4000_0001, 0x8000_0001)], devices: [] } }));
    const run = await build(dir, '--kernel-config', 'kc.json');
    expectCleanFailure(
      run,
      /^microkit: error: the kernel image \[0x40000000\.\.0x[0-9a-f]+\) is not inside one range of the platform's normal memory \(\[0x40000001\.\.0x80000001\)\)$/,
    );
    writeFileSync(join(dir, 'kc.json'), JSON.stringify({ platform: { memory: [], devices: [] } }));
    expectCleanFailure(await build(dir, '--kernel-config', 'kc.json'), /is not inside one range of the platform's normal memory \(none\)$/);
  });

  it('ranges in any order, adjacent or not, still build', async () => {
    const dir = workspace();
    writeFileSync(
      join(dir, 'kc.json'),
      JSON.stringify({ platform: { memory: [range(0x8000_0000, 0xc000_0000), RAM], devices: [range(0, 0x1000), range(0x1000, 0x2000)] } }),
    );
    const run = await build(dir, '--kernel-config', 'kc.json');
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('systems far past the limits are reported, not crashed on or hung on', () => {
  const pd = (name: string, inner = '') => `<protection_domain name="${name}" priority="1"><program_image path="hello.elf"/>${inner}`;

  it("PDs nested 20,000 deep are upstream's too-many-PDs error (it was 'Maximum call stack size exceeded')", async () => {
    const depth = 20_000;
    let nested = '';
    for (let i = depth - 1; i >= 0; i--) nested = `${pd(`p${i}`).replace('priority', i === 0 ? 'priority' : 'id="1" priority')}${nested}</protection_domain>`;
    const dir = workspace(`<system>${nested}</system>`);
    expectCleanFailure(await build(dir), 'Error: too many protection domains (20000) defined. Maximum is 63.');
  });

  it('64 nested PDs are the same error, counted with their siblings', async () => {
    let nested = '';
    for (let i = 63; i >= 0; i--) nested = `${pd(`p${i}`).replace('priority', i === 0 ? 'priority' : 'id="1" priority')}${nested}</protection_domain>`;
    const dir = workspace(`<system>${nested}${pd('sibling')}</protection_domain></system>`);
    expectCleanFailure(await build(dir), 'Error: too many protection domains (65) defined. Maximum is 63.');
  });

  // Each took minutes (a quadratic scan); the 60 s limit is a hang detector, not a speed goal.
  it('duplicate PD names among 200,000 PDs are found in one pass', { timeout: 60_000 }, () => {
    const pds = Array.from({ length: 200_000 }, (_, i) => ({
      name: i === 199_999 ? 'p199998' : `p${i}`,
      location: { file: 't.system', line: i + 1, column: 1 },
    }));
    const system = {
      protectionDomains: pds as unknown as ProtectionDomain[],
      location: { file: 't.system', line: 1, column: 1 },
    } as unknown as SystemDescription;
    // Without a diagnostics sink the first error throws: the duplicate is last, so every PD before it is checked.
    expect(errorOf(() => checkPdNames(system)).split('\n')[0]).toBe("Error: duplicate protection domain name 'p199998'.");
  });

  it('a start tag with 300,000 attributes: its duplicate is found in one pass', { timeout: 60_000 }, () => {
    const attrs = Array.from({ length: 300_000 }, (_, i) => `a${i}="1"`).join(' ');
    expect(errorOf(() => parseXml(`<system a="1" ${attrs} a="2"/>`, 't.system'))).toMatch(
      /^Could not parse 't\.system': attribute 'a' at 1:\d+ is already defined$/,
    );
    expect(() => parseXml(`<system ${attrs}/>`, 't.system')).not.toThrow();
  });

  it('300,000 setvars: a duplicate symbol is found by index, not by a search per setvar', { timeout: 60_000 }, async () => {
    const setvars = Array.from({ length: 300_000 }, (_, i) => `<setvar symbol="s${i}" region_paddr="m"/>`).join('');
    const dir = workspace(
      `<system><memory_region name="m" size="0x1000"/><protection_domain name="hello"><program_image path="hello.elf"/>${setvars}<setvar symbol="s299999" region_paddr="m"/></protection_domain></system>`,
    );
    expectCleanFailure(await build(dir), /^Error: setvar on symbol 's299999' already exists/);
  });

  it('300,000 maps: an overlap is found by binary search; the earliest overlapping map is named, as upstream', { timeout: 60_000 }, async () => {
    const maps = Array.from({ length: 300_000 }, (_, i) => `<map mr="m" vaddr="0x${(0x1000_0000 + i * 0x1000).toString(16)}" perms="r"/>`).join('');
    const many = workspace(
      `<system><memory_region name="m" size="0x1000"/><protection_domain name="hello"><program_image path="hello.elf"/>${maps}</protection_domain></system>`,
    );
    expect((await build(many)).code).toBe(0);
    // `b` comes first in the document and lies after `a` in memory; `big` overlaps both.
    const order = workspace(
      '<system><memory_region name="a" size="0x1000"/><memory_region name="b" size="0x1000"/><memory_region name="big" size="0x100000"/>' +
        '<protection_domain name="hello"><program_image path="hello.elf"/>' +
        '<map mr="b" vaddr="0x20080000" perms="r"/><map mr="a" vaddr="0x20010000" perms="r"/><map mr="big" vaddr="0x20000000" perms="r"/>' +
        '</protection_domain></system>',
    );
    expectCleanFailure(await build(order), /^Error: map for 'big' has virtual address range \[0x20000000\.\.0x20100000\) which overlaps with map for 'b' /);
  });
});

describe('code frames of a system written on one line', () => {
  it('show the span with some context, not the whole line once per diagnostic', async () => {
    const mrs = Array.from({ length: 300 }, (_, i) => `<memory_region name="m${i}" size="0x1000"/>`).join('');
    const dir = workspace(`<system>${mrs}<protection_domain name="hello"><program_image path="hello.elf"/></protection_domain></system>`);
    const run = await build(dir);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.split('\n');
    // Each warning and its frame (it was each frame holding the whole 13 KB line).
    expect(lines.filter((l) => l.startsWith("WARNING: unused memory region 'm"))).toHaveLength(300);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(260);
    const at = lines.indexOf("WARNING: unused memory region 'm150'");
    const frame = lines.slice(at, at + 5).join('\n');
    expect(frame).toMatch(/> 1 \| ….*<memory_region name="m150" size="0x1000"\/>.*…/);
    // The marker is under the element's name, in the cut line.
    const [code, marker] = lines.slice(at + 2, at + 4);
    expect(code.slice(marker.indexOf('^'))).toMatch(/^name="m150"/);
  });
});
