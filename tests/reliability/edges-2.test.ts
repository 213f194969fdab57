/**
 * The second sweep of hostile input, over the CLI's less-travelled surfaces
 * (board facts, huge or deep systems, inspect, graph, sdf, sdk synth, run):
 * each case is a clean, located message and exit 1, never "internal error",
 * a stack, a hang, or a silently wrong result. The first sweep is
 * input-edges.test.ts and io-errors.test.ts.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import type { ProtectionDomain, SystemDescription } from '../../core/sdf/model.js';
import { checkPdNames } from '../../core/sdf/validate/system-checks.js';
import { parseXml } from '../../core/sdf/xml.js';
import { launchQemu } from '../../core/run/launch.js';
import { EXAMPLES } from '../conformance/golden.js';
import { syntheticSdk } from '../support/build.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
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

describe('sdf --from', () => {
  it('writes tab, newline and carriage return in a name as references, so the SDF reads back the same', async () => {
    const name = 'tab&#9;nl&#10;cr&#13;';
    const dir = workspace(`<system><protection_domain name="${name}"><program_image path="hello.elf"/></protection_domain></system>`);
    const args = ['--board', BOARD, '--config', 'debug'];
    const env = { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } };
    expect((await cli(['sdf', '--from', 'hello.system', '-o', 'once.system', ...args], env)).code).toBe(0);
    expect((await cli(['sdf', '--from', 'once.system', '-o', 'twice.system', ...args], env)).code).toBe(0);
    const once = readFileSync(join(dir, 'once.system'), 'utf8');
    // Written raw, the reader's attribute normalisation made them spaces: another PD name.
    expect(once).toContain(`<protection_domain name="${name}"`);
    expect(readFileSync(join(dir, 'twice.system'), 'utf8')).toBe(once);
  });
});

describe('small misuses of graph, run and sdk', () => {
  it("graph --format '' is an unknown format (it said \"cannot tell the format of 'undefined'\")", async () => {
    const dir = workspace();
    const run = await cli(['graph', 'hello.system', '--board', BOARD, '--format', ''], { cwd: dir });
    expectCleanFailure(run, "microkit: error: unknown format '' (svg, html or dot)");
  });

  it("run --expect '' is refused (it matched QEMU's first output and the run succeeded)", async () => {
    const dir = workspace();
    const run = await cli(['run', 'hello.system', '--board', BOARD, '--config', 'debug', '--dry-run', '--expect', ''], { cwd: dir });
    expectCleanFailure(run, "microkit: error: argument --expect: the text to wait for is empty (it would match QEMU's first output)");
    expect(run.stdout).toBe('');
  });

  it('a QEMU that is not installed is one error, not also "exited (code -2) before … appeared"', async () => {
    const stderr: string[] = [];
    const launch = launchQemu(
      { program: 'microkit-no-such-qemu', args: [] },
      {
        cwd: tmpdir(),
        env: { PATH: '' },
        expect: 'hello',
        qemuPackage: 'qemu-system-arm',
        interactive: false,
        stdout: () => {},
        stderr: (l) => stderr.push(l),
      },
    );
    await expect(launch).rejects.toThrow(/'microkit-no-such-qemu' was not found on PATH/);
    // The child's 'close' follows its 'error'; let it come.
    await new Promise((r) => setTimeout(r, 200));
    expect(stderr).toEqual([]);
  });

  it('sdk synth refuses a non-empty directory that is not a synthetic SDK, and leaves it as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-rel-'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const run = await cli(['sdk', 'synth', '--board', BOARD, '--config', 'debug', '--out', dir], { cwd: dir });
    expectCleanFailure(
      run,
      `microkit: error: could not write the synthetic SDK to '${dir}': the directory is not empty and not a synthetic SDK (it has no SYNTHETIC file)`,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    // A new or empty directory is written, and a synthetic SDK gains another board.
    const sdk = join(dir, 'sdk');
    expect((await cli(['sdk', 'synth', '--board', BOARD, '--config', 'debug', '--out', sdk], { cwd: dir })).code).toBe(0);
    expect((await cli(['sdk', 'synth', '--board', 'qemu_virt_riscv64', '--config', 'debug', '--out', sdk], { cwd: dir })).code).toBe(0);
    expect(readdirSync(join(sdk, 'board')).sort()).toEqual([BOARD, 'qemu_virt_riscv64']);
  });

  it('boards with an argument refuses it (it listed every board as if the name were not there)', async () => {
    const run = await cli(['boards', 'qemu_virt_aarch64', '--no-config'], { cwd: tmpdir() });
    expectCleanFailure(run, "microkit: error: unrecognized argument 'qemu_virt_aarch64'");
    expect(run.stdout).toBe('');
  });

  it('sdk with an unknown command says so (it printed the help alone)', async () => {
    const run = await cli(['sdk', 'synht'], { cwd: tmpdir() });
    expectCleanFailure(run, "microkit: error: unknown sdk command 'synht' (choose from: synth)");
  });
});

describe.skipIf(!HAS_SHARED)("inspect with an SDK or --arch that is not the image's", () => {
  const image = (board: string) => join(EXAMPLES, 'golden', board, 'debug', 'hello', 'loader.img');
  const inspect = (...args: string[]) => cli(['inspect', ...args], { cwd: tmpdir(), env: { MICROKIT_SDK: SHARED_SDK } });

  it('an ELF or uImage of one architecture with the SDK of another is said so', async () => {
    const run = await inspect(image('qemu_virt_riscv64'), '--board', BOARD, '--config', 'debug');
    expectCleanFailure(run, /: the image is for riscv64, but the SDK's sel4\.elf is for aarch64: give the board and config the image was built for$/);
    const x86 = await inspect(image('x86_64_generic'), '--board', BOARD, '--config', 'debug');
    expectCleanFailure(x86, /: the image is for x86_64, but the SDK's sel4\.elf is for aarch64/);
  });

  it('a raw binary is never x86_64 (it was read and shown as an x86_64 binary)', async () => {
    expectCleanFailure(
      await inspect(image(BOARD), '--arch', 'x86_64'),
      /^microkit: error: unknown architecture 'x86_64' for a raw binary image \(one of aarch64, riscv64\)/,
    );
    expectCleanFailure(
      await inspect(image(BOARD), '--board', 'x86_64_generic', '--config', 'debug'),
      /a raw binary image is never for x86_64 .*the SDK's board is x86$/,
    );
  });

  it("a raw binary with another board's SDK names the likely cause", async () => {
    const run = await inspect(image(BOARD), '--board', 'qemu_virt_riscv64', '--config', 'debug');
    expectCleanFailure(
      run,
      /is not inside the initialiser's memory in the image: the SDK's initialiser\.elf is not the one in this image \(another board or config\?\)$/,
    );
    expect((await inspect(image(BOARD), '--board', BOARD, '--config', 'debug')).code).toBe(0);
  });
});
