/**
 * `microkit run`: the exact QEMU command per board (--dry-run), and the
 * serial watch (--expect, --timeout, QEMU exiting or missing, abort)
 * against a fake QEMU on PATH.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchQemu } from '../../core/run/launch.js';
import { formatCommand, qemuCommand } from '../../core/run/qemu-command.js';
import { ExpectWatcher, LineSplitter } from '../../core/run/serial.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, REPO, SHARED_SDK } from '../support/paths.js';

const HELLO = join(REPO, 'examples/hello');
const IOMMU = join(REPO, 'examples/x86-iommu-dma');

function workdir(): string {
  return mkdtempSync(join(tmpdir(), 'mk-run-'));
}

/** The QEMU command `run --dry-run` prints, split on spaces (no argument here has one). */
async function dryRun(board: string, config: string, system = join(HELLO, 'hello.system')): Promise<string[]> {
  const cwd = workdir();
  const r = await cli(['run', system, '--board', board, '--config', config, '--dry-run'], { cwd });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout.trim().split(' ');
}

describe('microkit run --dry-run', () => {
  it('qemu_virt_aarch64: virt with virtualization, the loader at its link address, 2 GiB', async () => {
    expect(await dryRun('qemu_virt_aarch64', 'debug')).toEqual([
      'qemu-system-aarch64',
      '-machine',
      'virt,virtualization=on',
      '-cpu',
      'cortex-a53',
      '-nographic',
      '-serial',
      'mon:stdio',
      '-device',
      'loader,file=loader.img,addr=0x70000000,cpu-num=0',
      '-m',
      'size=2G',
    ]);
    expect((await dryRun('qemu_virt_aarch64', 'smp-release')).slice(-2)).toEqual(['-smp', '4']);
    expect(await dryRun('qemu_virt_aarch64_el1', 'debug')).toContain('virt');
  });

  it('qemu_virt_riscv64: virt, the image as -kernel', async () => {
    expect(await dryRun('qemu_virt_riscv64', 'release')).toEqual([
      'qemu-system-riscv64',
      '-machine',
      'virt',
      '-nographic',
      '-serial',
      'mon:stdio',
      '-kernel',
      'loader.img',
      '-m',
      'size=2G',
    ]);
  });

  it('qemu-x86: q35 with intel-iommu and edu, sel4_32.elf with the image as boot module', async () => {
    expect(await dryRun('qemu-x86', 'debug', join(IOMMU, 'x86-iommu-dma.system'))).toEqual([
      'qemu-system-x86_64',
      '-machine',
      'q35',
      '-device',
      'intel-iommu,intremap=off,aw-bits=39',
      '-device',
      'edu,dma_mask=0xffffffffffffffff,bus=pcie.0,addr=0x04.0',
      '-cpu',
      'qemu64,+fsgsbase,+pdpe1gb,+xsaveopt,+xsave',
      '-m',
      '4G',
      '-display',
      'none',
      '-serial',
      'mon:stdio',
      '-kernel',
      'sel4_32.elf',
      '-initrd',
      'loader.img',
    ]);
  });

  it('puts -o paths in the command, x86 kernel beside the image', async () => {
    const cwd = workdir();
    const r = await cli(['run', join(IOMMU, 'x86-iommu-dma.system'), '--board', 'x86_64_generic', '--config', 'debug', '-o', 'out/img', '--dry-run'], { cwd });
    expect(r.stdout).toContain('-kernel out/sel4_32.elf -initrd out/img');
  });

  it('refuses boards without a QEMU machine, saying how they boot', async () => {
    const r = await cli(['run', join(HELLO, 'hello.system'), '--board', 'rpi4b_4gb', '--config', 'debug', '--dry-run'], { cwd: workdir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "microkit: error: board 'rpi4b_4gb' has no QEMU machine to run on\nboot it from U-Boot: fatload mmc 0 0x10000000 loader.img; go 0x10000000\n",
    );
    const vtx = await cli(['run', join(IOMMU, 'x86-iommu-dma.system'), '--board', 'x86_64_generic_vtx', '--config', 'debug', '--dry-run'], { cwd: workdir() });
    expect(vtx.stderr).toMatch(/^microkit: error: board 'x86_64_generic_vtx' has no QEMU machine to run on \(QEMU's TCG emulates no VT-x/);
  });

  it('rejects a bad --timeout', async () => {
    const r = await cli(['run', join(HELLO, 'hello.system'), '--board', 'qemu_virt_aarch64', '--config', 'debug', '--timeout', 'soon'], { cwd: workdir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^microkit: error: argument --timeout: 'soon' is not a positive number of seconds/);
  });

  // Node's timers hold at most 2^31 - 1 ms; a longer one fired after 1 ms and the run "timed out" at once.
  it('rejects a --timeout longer than a timer can wait', async () => {
    const args = ['run', join(HELLO, 'hello.system'), '--board', 'qemu_virt_aarch64', '--config', 'debug', '--dry-run', '--timeout'];
    const r = await cli([...args, '99999999999'], { cwd: workdir() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^microkit: error: argument --timeout: '99999999999' is more than 2147483 seconds/);
    expect((await cli([...args, '2147483'], { cwd: workdir() })).code).toBe(0);
  });
});

describe('serial helpers', () => {
  it('finds expected text split across chunks, and splits lines', () => {
    const w = new ExpectWatcher('hello, world');
    expect(w.push('boot...\nhel')).toBe(false);
    expect(w.push('lo, wo')).toBe(false);
    expect(w.push('rld!\n')).toBe(true);
    const s = new LineSplitter();
    expect(s.push('a\r\nb')).toEqual(['a']);
    expect(s.push('c\n')).toEqual(['bc']);
    expect(s.push('tail')).toEqual([]);
    expect(s.flush()).toBe('tail');
  });

  it('formats commands for a shell', () => {
    const cmd = qemuCommand({ program: 'q', args: ['-kernel', '{dir}/k.elf', '-x', 'a b'], package: 'p' }, { image: 'out/it s.img', smp: false });
    expect(formatCommand(cmd)).toBe("q -kernel out/k.elf -x 'a b'");
  });
});

/** A fake QEMU: records its arguments, prints `lines` (one write each), then exits with `exit` or runs until killed. */
function fakeQemu(program: string, lines: readonly string[], exit?: number): { bin: string; argsFile: string } {
  const bin = workdir();
  const argsFile = join(bin, 'args.json');
  const script = [
    '#!/usr/bin/env node',
    `require('node:fs').writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));`,
    `for (const l of ${JSON.stringify(lines)}) process.stdout.write(l);`,
    exit === undefined ? 'setInterval(() => {}, 1000);' : `process.exitCode = ${exit};`,
  ].join('\n');
  writeFileSync(join(bin, program), script);
  chmodSync(join(bin, program), 0o755);
  return { bin, argsFile };
}

const pathWith = (dir: string): string => `${dir}:${process.env.PATH ?? ''}`;

describe.skipIf(!HAS_SHARED)('microkit run against a fake QEMU', () => {
  const runHello = (cwd: string, bin: string, extra: string[]) =>
    cli(['run', join(HELLO, 'hello.system'), '--board', 'qemu_virt_aarch64', '--config', 'debug', '--search-path', HELLO, ...extra], {
      cwd,
      env: { MICROKIT_SDK: SHARED_SDK, PATH: pathWith(bin) },
    });

  it('builds, starts QEMU with the preset command, streams output and stops at --expect', async () => {
    const { bin, argsFile } = fakeQemu('qemu-system-aarch64', ['Bootstrapping kernel\n', 'MICROKIT|hello: hel', 'lo, world\n', 'never seen\n']);
    const cwd = workdir();
    const r = await runHello(cwd, bin, ['--expect', 'hello, world', '--timeout', '60']);
    expect(r.stderr).toContain('microkit: running qemu-system-aarch64 -machine virt,virtualization=on');
    expect(r.code).toBe(0);
    expect(existsSync(join(cwd, 'loader.img'))).toBe(true);
    expect(r.stdout).toContain('Bootstrapping kernel\nMICROKIT|hello: hello, world\n');
    expect(JSON.parse(readFileSync(argsFile, 'utf8'))).toContain('loader,file=loader.img,addr=0x70000000,cpu-num=0');
  });

  it('fails after --timeout when the text never comes', async () => {
    const { bin } = fakeQemu('qemu-system-aarch64', ['Bootstrapping kernel\n']);
    const r = await runHello(workdir(), bin, ['--expect', 'PASS', '--timeout', '0.5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("microkit: error: timed out after 0.5 s without seeing 'PASS'; stopped qemu-system-aarch64");
  });

  it('fails when QEMU exits before the text, and passes its exit code through otherwise', async () => {
    const early = fakeQemu('qemu-system-aarch64', ['panic\n'], 3);
    const r = await runHello(workdir(), early.bin, ['--expect', 'PASS']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("microkit: error: qemu-system-aarch64 exited (code 3) before 'PASS' appeared");
    const plain = await runHello(workdir(), early.bin, []);
    expect(plain.code).toBe(3);
    expect(plain.stdout).toContain('panic');
  });

  it('names the package when QEMU is missing', async () => {
    const empty = workdir();
    const r = await cli(['run', join(HELLO, 'hello.system'), '--board', 'qemu_virt_riscv64', '--config', 'debug', '--search-path', HELLO], {
      cwd: workdir(),
      env: { MICROKIT_SDK: SHARED_SDK, PATH: empty },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "microkit: error: 'qemu-system-riscv64' was not found on PATH\nQEMU provides it: on Debian or Ubuntu, `apt-get install qemu-system-misc`",
    );
  });

  it('refuses to boot a synthetic SDK image', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'sdk'));
    const synth = await cli(['sdk', 'synth', '--board', 'qemu_virt_aarch64', '--config', 'debug', '--out', 'sdk'], { cwd });
    expect(synth.code).toBe(0);
    const { bin } = fakeQemu('qemu-system-aarch64', ['x\n']);
    const r = await cli(['run', join(HELLO, 'hello.system'), '--board', 'qemu_virt_aarch64', '--config', 'debug', '--search-path', HELLO], {
      cwd,
      env: { MICROKIT_SDK: join(cwd, 'sdk'), PATH: pathWith(bin) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^microkit: error: the SDK at '.*' is synthetic: its kernel, monitor and loader are stubs, so the image cannot boot/);
    expect(existsSync(join(cwd, 'loader.img'))).toBe(false);
  });

  it('stops QEMU when aborted (Ctrl-C), with exit code 130', async () => {
    const { bin } = fakeQemu('qemu-system-aarch64', ['running\n']);
    const abort = new AbortController();
    const out: string[] = [];
    const done = launchQemu(
      { program: 'qemu-system-aarch64', args: [] },
      {
        cwd: workdir(),
        env: { PATH: pathWith(bin) },
        qemuPackage: 'qemu-system-arm',
        interactive: false,
        signal: abort.signal,
        stdout: (l) => {
          out.push(l);
          abort.abort();
        },
        stderr: (l) => out.push(l),
      },
    );
    expect(await done).toBe(130);
    expect(out).toEqual(['running', 'microkit: interrupted; stopped qemu-system-aarch64']);
  });
});
