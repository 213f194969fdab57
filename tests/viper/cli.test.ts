/**
 * `--viper-output DIR` through the CLI on the golden example systems (and a
 * few systems of our own), against what upstream's viper.rs writes for them,
 * derived by hand: channel ids, microkit CNode slots, mapped ranges.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../conformance/golden.js';
import { cli, firstErrorLine, type CliRun } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';

const env = { MICROKIT_SDK: SHARED_SDK };

interface ViperRun extends CliRun {
  readonly out: string;
  readonly viperDir: string;
  /** `<pd>.vpr` contents by PD name. */
  readonly files: Map<string, string>;
}

/** Build a system (path relative to EXAMPLES, or absolute) with `--viper-output`. */
async function build(
  system: string,
  board: string,
  config: string,
  searchPaths: readonly string[],
  opts: { viperDir?: (out: string) => string | undefined; extra?: readonly string[] } = {},
): Promise<ViperRun> {
  const out = mkdtempSync(join(tmpdir(), 'mk-viper-'));
  const viperDir = opts.viperDir ? opts.viperDir(out) : join(out, 'viper');
  const argv = [system, '--board', board, '--config', config, '--search-path', ...searchPaths, '-o', join(out, 'loader.img'), '-r', join(out, 'report.txt')];
  if (viperDir !== undefined) argv.push('--viper-output', viperDir);
  const run = await cli([...argv, ...(opts.extra ?? [])], { cwd: EXAMPLES, env });
  const files = new Map<string, string>();
  if (viperDir !== undefined && existsSync(viperDir) && statSync(viperDir).isDirectory()) {
    for (const f of readdirSync(viperDir))
      if (f.endsWith('.vpr') && statSync(join(viperDir, f)).isFile()) files.set(f.slice(0, -4), readFileSync(join(viperDir, f), 'utf8'));
  }
  return { ...run, out, viperDir: viperDir ?? '', files };
}

/** A golden example as the conformance runs name it. */
function example(name: string, board = 'qemu_virt_aarch64', config = 'debug', opts?: Parameters<typeof build>[4]): Promise<ViperRun> {
  return build(`systems/${name}/${name}.system`, board, config, [`golden/${board}/${config}/${name}/imgs`, `systems/${name}`], opts);
}

/** The two lines upstream writes for a set predicate. */
function set(name: string, items: readonly (number | bigint)[]): string {
  const body = items.length === 0 ? 'false' : `x in Set(${items.join(',')})`;
  return `define ${name}(x) (${body})\ndefine f_${name}(heap,gv,x) (${name}(x))`;
}

/** The line defining `name` (the first one when there are several). */
function def(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`define ${name}(`));
  if (line === undefined) throw new Error(`no define ${name} in:\n${text}`);
  return line;
}

/** The lines defining `name` plus its wrapper, as `set()` writes them. */
function pred(text: string, name: string): string {
  return `${def(text, name)}\n${def(text, `f_${name}`)}`;
}

/** Every `mem_<mr>_contains` line, in order. */
function memLines(text: string): string[] {
  return text.split('\n').filter((l) => /^define mem_\S+_contains\(x\) /.test(l));
}

/** `define mem_<mr>_contains(x) (<start> <= x && x < <start+size>)`, numbers in decimal. */
function range(mr: string, start: bigint, size: bigint): string {
  return `define mem_${mr}_contains(x) (${start.toString(10)} <= x && x < ${(start + size).toString(10)})`;
}

function expectOk(run: ViperRun): void {
  expect(run.code, run.stderr).toBe(0);
}

describe.skipIf(!HAS_SHARED)('--viper-output on the example systems', () => {
  it('hello: one file with exactly upstream content', async () => {
    const run = await example('hello');
    expectOk(run);
    expect([...run.files.keys()]).toEqual(['hello']);
    expect(run.files.get('hello')).toBe(
      [
        '// exported invariants for PD hello in systems/hello/hello.system',
        'define mk_is_protected_source(x) (false)',
        'define f_mk_is_protected_source(heap,gv,x) (mk_is_protected_source(x))',
        'define mk_is_ppcall_target(x) (false)',
        'define f_mk_is_ppcall_target(heap,gv,x) (mk_is_ppcall_target(x))',
        'define mk_is_notified_source(x) (false)',
        'define f_mk_is_notified_source(heap,gv,x) (mk_is_notified_source(x))',
        'define mk_is_notify_target(x) (false)',
        'define f_mk_is_notify_target(heap,gv,x) (mk_is_notify_target(x))',
        'define mk_is_irq_channel(x) (false)',
        'define f_mk_is_irq_channel(heap,gv,x) (mk_is_irq_channel(x))',
        'define mk_is_child(x) (false)',
        'define f_mk_is_child(heap,gv,x) (mk_is_child(x))',
        // input notification, fault endpoint, VSpace, reply
        'define pansel4_has_cap(x) (x in Set(1,2,3,4))',
        'define f_pansel4_has_cap(heap,gv,x) (pansel4_has_cap(x))',
        'define pansel4_has_endpoint_cap(x) (x in Set(2))',
        'define f_pansel4_has_endpoint_cap(heap,gv,x) (pansel4_has_endpoint_cap(x))',
        'define pansel4_has_notification_cap(x) (x in Set(1))',
        'define f_pansel4_has_notification_cap(heap,gv,x) (pansel4_has_notification_cap(x))',
        'define pansel4_has_reply_cap(x) (x in Set(4))',
        'define f_pansel4_has_reply_cap(heap,gv,x) (pansel4_has_reply_cap(x))',
        'define pansel4_has_page_table_cap(x) (x in Set(3))',
        'define f_pansel4_has_page_table_cap(heap,gv,x) (pansel4_has_page_table_cap(x))',
        'define pansel4_has_irq_handler_cap(x) (false)',
        'define f_pansel4_has_irq_handler_cap(heap,gv,x) (pansel4_has_irq_handler_cap(x))',
        'define pansel4_has_tcb_cap(x) (false)',
        'define f_pansel4_has_tcb_cap(heap,gv,x) (pansel4_has_tcb_cap(x))',
        'define pansel4_has_vcpu_cap(x) (false)',
        'define f_pansel4_has_vcpu_cap(heap,gv,x) (pansel4_has_vcpu_cap(x))',
        'define pansel4_has_ioport_cap(x) (false)',
        'define f_pansel4_has_ioport_cap(heap,gv,x) (pansel4_has_ioport_cap(x))',
        'define pansel4_has_arm_smc_cap(x) (false)',
        'define f_pansel4_has_arm_smc_cap(heap,gv,x) (pansel4_has_arm_smc_cap(x))',
        'define mem_readable(x) (false)',
        'define f_mem_readable(heap,gv,x) (mem_readable(x))',
        'define mem_writeable(x) (false)',
        'define f_mem_writeable(heap,gv,x) (mem_writeable(x))',
        '',
      ].join('\n'),
    );
    // The other outputs are still written.
    expect(existsSync(join(run.out, 'report.txt'))).toBe(true);
    expect(existsSync(join(run.out, 'loader.img'))).toBe(true);
  });

  it('passive_server: the client PPCs into the passive server', async () => {
    const run = await example('passive_server');
    expectOk(run);
    expect([...run.files.keys()].sort()).toEqual(['client', 'server']);
    const server = run.files.get('server')!;
    const client = run.files.get('client')!;
    expect(server.split('\n')[0]).toBe('// exported invariants for PD server in systems/passive_server/passive_server.system');
    // server (100) end 0; client (99) end 0 pp: a protected source for the server.
    expect(pred(server, 'mk_is_protected_source')).toBe(set('mk_is_protected_source', [0]));
    expect(pred(server, 'mk_is_ppcall_target')).toBe(set('mk_is_ppcall_target', []));
    expect(pred(server, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [0]));
    expect(pred(server, 'mk_is_notify_target')).toBe(set('mk_is_notify_target', [0]));
    // Endpoint input (PPC target), fault EP, VSpace, reply, monitor EP (passive), notification to client at 10+0.
    expect(pred(server, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 5, 10]));
    expect(pred(server, 'pansel4_has_endpoint_cap')).toBe(set('pansel4_has_endpoint_cap', [1, 2, 5]));
    expect(pred(server, 'pansel4_has_notification_cap')).toBe(set('pansel4_has_notification_cap', [10]));
    expect(pred(client, 'mk_is_protected_source')).toBe(set('mk_is_protected_source', []));
    expect(pred(client, 'mk_is_ppcall_target')).toBe(set('mk_is_ppcall_target', [0]));
    expect(pred(client, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [0]));
    // Notification input, fault EP, VSpace, reply, notification out at 10, PPC endpoint at 74+0.
    expect(pred(client, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 10, 74]));
    expect(pred(client, 'pansel4_has_endpoint_cap')).toBe(set('pansel4_has_endpoint_cap', [2, 74]));
    expect(pred(client, 'pansel4_has_notification_cap')).toBe(set('pansel4_has_notification_cap', [1, 10]));
  });

  it('hierarchy: the parent lists its child ids and holds their TCBs', async () => {
    const run = await example('hierarchy');
    expectOk(run);
    expect([...run.files.keys()].sort()).toEqual(['crasher', 'hello', 'restarter']);
    const restarter = run.files.get('restarter')!;
    expect(pred(restarter, 'mk_is_child')).toBe(set('mk_is_child', [1, 2]));
    // Endpoint input (has children), child TCBs at 202+1, 202+2.
    expect(pred(restarter, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 203, 204]));
    expect(pred(restarter, 'pansel4_has_endpoint_cap')).toBe(set('pansel4_has_endpoint_cap', [1, 2]));
    expect(pred(restarter, 'pansel4_has_notification_cap')).toBe(set('pansel4_has_notification_cap', []));
    expect(pred(restarter, 'pansel4_has_tcb_cap')).toBe(set('pansel4_has_tcb_cap', [203, 204]));
    for (const child of ['crasher', 'hello']) {
      const text = run.files.get(child)!;
      expect(pred(text, 'mk_is_child')).toBe(set('mk_is_child', []));
      expect(pred(text, 'pansel4_has_tcb_cap')).toBe(set('pansel4_has_tcb_cap', []));
      expect(pred(text, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4]));
    }
  });

  it('ethernet: IRQ and channel ids unsorted, one range per mapping in memory-region order', async () => {
    const run = await example('ethernet');
    expectOk(run);
    expect([...run.files.keys()].sort()).toEqual(['eth_inner', 'eth_outer', 'gpt', 'pass']);
    const outer = run.files.get('eth_outer')!;
    // IRQ 3 first, then the channel ends 1 and 2 (pass notifies both).
    expect(pred(outer, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [3, 1, 2]));
    expect(pred(outer, 'mk_is_notify_target')).toBe(set('mk_is_notify_target', [1, 2]));
    expect(pred(outer, 'mk_is_irq_channel')).toBe(set('mk_is_irq_channel', [3]));
    expect(pred(outer, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 11, 12, 141]));
    expect(pred(outer, 'pansel4_has_irq_handler_cap')).toBe(set('pansel4_has_irq_handler_cap', [141]));
    expect(pred(outer, 'pansel4_has_notification_cap')).toBe(set('pansel4_has_notification_cap', [1, 11, 12]));
    // Memory regions in SDF order: eth_outer_output, eth_outer_input, ring_buffer_outer, packet_buffer_outer, eth0, eth_clk.
    expect(memLines(outer)).toEqual([
      range('eth_outer_output', 0x3_600_000n, 0x200_000n),
      range('eth_outer_input', 0x3_a00_000n, 0x200_000n),
      range('ring_buffer_outer', 0x3_000_000n, 0x1000n),
      range('packet_buffer_outer', 0x2_400_000n, 0x200_000n),
      range('eth0', 0x2_000_000n, 0x10_000n),
      range('eth_clk', 0x2_200_000n, 0x1_000n),
    ]);
    const all =
      'mem_eth_outer_output_contains(x) || mem_eth_outer_input_contains(x) || mem_ring_buffer_outer_contains(x) || mem_packet_buffer_outer_contains(x) || mem_eth0_contains(x) || mem_eth_clk_contains(x)';
    expect(pred(outer, 'mem_readable')).toBe(`define mem_readable(x) (${all})\ndefine f_mem_readable(heap,gv,x) (mem_readable(x))`);
    expect(pred(outer, 'mem_writeable')).toBe(`define mem_writeable(x) (${all})\ndefine f_mem_writeable(heap,gv,x) (mem_writeable(x))`);

    const gpt = run.files.get('gpt')!;
    // gpt (254) end 1; pass (100) end 0 pp.
    expect(pred(gpt, 'mk_is_protected_source')).toBe(set('mk_is_protected_source', [1]));
    expect(pred(gpt, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [3, 1]));
    expect(pred(gpt, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 11, 141]));
    expect(memLines(gpt)).toEqual([range('lsio_gpt0_clk', 0x2_200_000n, 0x1000n), range('lsio_gpt0', 0x2_000_000n, 0x1000n)]);

    const pass = run.files.get('pass')!;
    expect(pred(pass, 'mk_is_ppcall_target')).toBe(set('mk_is_ppcall_target', [0]));
    expect(pred(pass, 'mk_is_protected_source')).toBe(set('mk_is_protected_source', []));
    expect(pred(pass, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [0, 1, 2, 3, 4]));
    expect(pred(pass, 'mk_is_irq_channel')).toBe(set('mk_is_irq_channel', []));
    // Notifications out at 10+0..4, the PPC endpoint to gpt at 74+0.
    expect(pred(pass, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 10, 11, 12, 13, 14, 74]));
    expect(pred(pass, 'pansel4_has_endpoint_cap')).toBe(set('pansel4_has_endpoint_cap', [2, 74]));
    expect(memLines(pass)).toEqual([
      range('eth_outer_output', 0x2000000n, 0x200_000n),
      range('eth_outer_input', 0x2400000n, 0x200_000n),
      range('eth_inner_output', 0x2800000n, 0x200_000n),
      range('eth_inner_input', 0x2c00000n, 0x200_000n),
    ]);
  });

  it('arm_smc: the SMC cap in slot 7', async () => {
    const run = await example('arm_smc');
    expectOk(run);
    const text = run.files.get('arm_smc')!;
    expect(pred(text, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 7]));
    expect(pred(text, 'pansel4_has_arm_smc_cap')).toBe(set('pansel4_has_arm_smc_cap', [7]));
  });

  it('x86_64_ioport: the I/O port cap at 394+id', async () => {
    const run = await example('x86_64_ioport', 'x86_64_generic');
    expectOk(run);
    expect([...run.files.keys()]).toEqual(['x86_64_ioport']);
    const text = run.files.get('x86_64_ioport')!;
    expect(pred(text, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 394]));
    expect(pred(text, 'pansel4_has_ioport_cap')).toBe(set('pansel4_has_ioport_cap', [394]));
    expect(pred(text, 'pansel4_has_arm_smc_cap')).toBe(set('pansel4_has_arm_smc_cap', []));
    expect(pred(text, 'mem_readable')).toBe('define mem_readable(x) (false)\ndefine f_mem_readable(heap,gv,x) (mem_readable(x))');
  });

  it('timer on RISC-V: the IRQ handler cap at 138+0 and the mapped registers', async () => {
    const run = await example('timer', 'qemu_virt_riscv64');
    expectOk(run);
    const text = run.files.get('timer')!;
    expect(pred(text, 'mk_is_irq_channel')).toBe(set('mk_is_irq_channel', [0]));
    expect(pred(text, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [0]));
    expect(pred(text, 'pansel4_has_irq_handler_cap')).toBe(set('pansel4_has_irq_handler_cap', [138]));
    expect(memLines(text)).toEqual([range('timer', 0x2_000_000n, 0x10_000n)]);
    expect(def(text, 'mem_writeable')).toBe('define mem_writeable(x) (mem_timer_contains(x))');
  });

  it('benchmark configs: the PD TCB cap in slot 6', async () => {
    const run = await example('hello', 'qemu_virt_aarch64', 'benchmark');
    expectOk(run);
    const text = run.files.get('hello')!;
    expect(pred(text, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 6]));
    expect(pred(text, 'pansel4_has_tcb_cap')).toBe(set('pansel4_has_tcb_cap', [6]));
  });

  it('cap_sharing: caps placed by <cspace> live in the root CNode and do not count', async () => {
    const run = await example('cap_sharing');
    expectOk(run);
    const primary = run.files.get('primary')!;
    expect(pred(primary, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 10]));
    expect(pred(primary, 'pansel4_has_tcb_cap')).toBe(set('pansel4_has_tcb_cap', []));
    expect(pred(primary, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [0]));
    expect(pred(primary, 'mk_is_notify_target')).toBe(set('mk_is_notify_target', [0]));
  });

  it('writes nothing without --viper-output, or when the build fails', async () => {
    const none = await example('hello', 'qemu_virt_aarch64', 'debug', { viperDir: () => undefined });
    expectOk(none);
    expect(readdirSync(none.out).sort()).toEqual(['loader.img', 'report.txt']);
    const failed = await example('x86_64_ioport', 'qemu_virt_aarch64');
    expect(failed.code).toBe(1);
    expect(existsSync(failed.viperDir)).toBe(false);
  });

  it('reuses an existing directory and names the SDF as given', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mk-viper-'));
    const dir = join(out, 'views');
    mkdirSync(dir);
    writeFileSync(join(dir, 'hello.vpr'), 'stale');
    writeFileSync(join(dir, 'other.txt'), 'keep');
    const run = await build('./systems/hello/../hello/hello.system', 'qemu_virt_aarch64', 'debug', ['golden/qemu_virt_aarch64/debug/hello/imgs'], {
      viperDir: () => `${dir}/`,
    });
    expectOk(run);
    expect(readdirSync(dir).sort()).toEqual(['hello.vpr', 'other.txt']);
    expect(readFileSync(join(dir, 'hello.vpr'), 'utf8').split('\n')[0]).toBe('// exported invariants for PD hello in ./systems/hello/../hello/hello.system');
  });

  it('fails with upstream messages when the directory cannot be made', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mk-viper-'));
    const file = join(out, 'plain');
    writeFileSync(file, '');
    const exists = await example('hello', 'qemu_virt_aarch64', 'debug', { viperDir: () => file });
    expect(exists.code).toBe(1);
    expect(firstErrorLine(exists)).toBe(`ERROR: cannot write Viper output directory ${file}: File exists (os error 17)`);
    // No output is left behind by a failed build.
    expect(existsSync(join(exists.out, 'report.txt'))).toBe(false);
    const notDir = await example('hello', 'qemu_virt_aarch64', 'debug', { viperDir: () => `${file}/sub` });
    expect(notDir.code).toBe(1);
    expect(firstErrorLine(notDir)).toBe(`ERROR: cannot write Viper output directory ${file}/sub: Not a directory (os error 20)`);
  });

  it('fails with upstream messages when a file cannot be written', async () => {
    const out = mkdtempSync(join(tmpdir(), 'mk-viper-'));
    mkdirSync(join(out, 'views', 'client.vpr'), { recursive: true });
    const run = await example('passive_server', 'qemu_virt_aarch64', 'debug', { viperDir: () => join(out, 'views') });
    expect(run.code).toBe(1);
    expect(firstErrorLine(run)).toBe(`ERROR: cannot write Viper output file ${join(out, 'views')}/client.vpr: Is a directory (os error 21)`);
    expect(readdirSync(join(out, 'views'))).toEqual(['client.vpr']);
  });
});

describe.skipIf(!HAS_SHARED)('--viper-output on systems of our own', () => {
  /** A system in a fresh directory whose PDs all run the hello stub image. */
  async function custom(sdf: string, viperDir?: (out: string) => string): Promise<ViperRun> {
    const dir = mkdtempSync(join(tmpdir(), 'mk-viper-sys-'));
    copyFileSync(join(EXAMPLES, 'golden/qemu_virt_aarch64/debug/hello/imgs/hello.elf'), join(dir, 'img.elf'));
    writeFileSync(join(dir, 'custom.system'), sdf);
    return build(join(dir, 'custom.system'), 'qemu_virt_aarch64', 'debug', [dir], { viperDir });
  }

  const vmm = `<?xml version="1.0" encoding="UTF-8"?>
<system>
    <memory_region name="shared" size="0x2000" />
    <memory_region name="ro" size="0x1000" />
    <memory_region name="guest_ram" size="0x200000" page_size="0x200000" />
    <memory_region name="dev" size="0x1000" phys_addr="0x9000000" />
    <protection_domain name="vmm" priority="200">
        <program_image path="img.elf" />
        <map mr="dev" vaddr="0x5000000" perms="rw" cached="false" />
        <map mr="ro" vaddr="0x4000000" perms="r" />
        <map mr="shared" vaddr="0x3000000" perms="rw" />
        <map mr="ro" vaddr="0x4100000" perms="rx" />
        <map mr="shared" vaddr="0x3100000" perms="r" />
        <irq irq="40" id="5" />
        <irq irq="41" id="2" />
        <virtual_machine name="linux" priority="100">
            <vcpu id="3" />
            <map mr="guest_ram" vaddr="0x40000000" perms="rwx" />
        </virtual_machine>
        <protection_domain name="child" priority="150" id="7">
            <program_image path="img.elf" />
            <map mr="shared" vaddr="0x3000000" perms="r" />
        </protection_domain>
    </protection_domain>
    <protection_domain name="peer" priority="100">
        <program_image path="img.elf" />
    </protection_domain>
    <channel>
        <end pd="vmm" id="9" notify="false" />
        <end pd="child" id="4" pp="true" />
    </channel>
    <channel>
        <end pd="peer" id="1" pp="true" />
        <end pd="vmm" id="0" notify="false" />
    </channel>
</system>
`;

  it('a VMM with IRQs, a VM, a child and repeated mappings', async () => {
    const run = await custom(vmm);
    expectOk(run);
    expect([...run.files.keys()].sort()).toEqual(['child', 'peer', 'vmm']);
    const text = run.files.get('vmm')!;
    expect(text.split('\n')[0]).toMatch(/^\/\/ exported invariants for PD vmm in \/.*\/custom\.system$/);
    // Both lower-priority ends call in by PPC; IRQs 5, 2 come first and stay unsorted.
    expect(pred(text, 'mk_is_protected_source')).toBe(set('mk_is_protected_source', [9, 0]));
    expect(pred(text, 'mk_is_ppcall_target')).toBe(set('mk_is_ppcall_target', []));
    expect(pred(text, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', [5, 2, 9, 0]));
    expect(pred(text, 'mk_is_notify_target')).toBe(set('mk_is_notify_target', []));
    expect(pred(text, 'mk_is_irq_channel')).toBe(set('mk_is_irq_channel', [5, 2]));
    expect(pred(text, 'mk_is_child')).toBe(set('mk_is_child', [7]));
    // IRQs at 138+2, 138+5; child TCB at 202+7; VM TCB at 266+3; vCPU at 330+3.
    expect(pred(text, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 140, 143, 209, 269, 333]));
    expect(pred(text, 'pansel4_has_endpoint_cap')).toBe(set('pansel4_has_endpoint_cap', [1, 2]));
    expect(pred(text, 'pansel4_has_notification_cap')).toBe(set('pansel4_has_notification_cap', []));
    expect(pred(text, 'pansel4_has_irq_handler_cap')).toBe(set('pansel4_has_irq_handler_cap', [140, 143]));
    expect(pred(text, 'pansel4_has_tcb_cap')).toBe(set('pansel4_has_tcb_cap', [209, 269]));
    expect(pred(text, 'pansel4_has_vcpu_cap')).toBe(set('pansel4_has_vcpu_cap', [333]));
    // Memory-region order, every mapping of a region (the VM's mapping is not the PD's).
    expect(memLines(text)).toEqual([
      range('shared', 0x3000000n, 0x2000n),
      range('shared', 0x3100000n, 0x2000n),
      range('ro', 0x4000000n, 0x1000n),
      range('ro', 0x4100000n, 0x1000n),
      range('dev', 0x5000000n, 0x1000n),
    ]);
    expect(def(text, 'mem_readable')).toBe(
      'define mem_readable(x) (mem_shared_contains(x) || mem_shared_contains(x) || mem_ro_contains(x) || mem_ro_contains(x) || mem_dev_contains(x))',
    );
    expect(def(text, 'mem_writeable')).toBe('define mem_writeable(x) (mem_shared_contains(x) || mem_dev_contains(x))');

    const child = run.files.get('child')!;
    expect(pred(child, 'mk_is_ppcall_target')).toBe(set('mk_is_ppcall_target', [4]));
    expect(pred(child, 'mk_is_notified_source')).toBe(set('mk_is_notified_source', []));
    expect(pred(child, 'mk_is_notify_target')).toBe(set('mk_is_notify_target', [4]));
    // Notification to vmm at 10+4, PPC endpoint at 74+4.
    expect(pred(child, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 14, 78]));
    expect(memLines(child)).toEqual([range('shared', 0x3000000n, 0x2000n)]);
    expect(def(child, 'mem_writeable')).toBe('define mem_writeable(x) (false)');

    const peer = run.files.get('peer')!;
    expect(pred(peer, 'mk_is_ppcall_target')).toBe(set('mk_is_ppcall_target', [1]));
    expect(pred(peer, 'pansel4_has_cap')).toBe(set('pansel4_has_cap', [1, 2, 3, 4, 11, 75]));
  });

  it('a PD name with a slash needs the sub-directory to exist (upstream only creates DIR)', async () => {
    const sdf = `<?xml version="1.0" encoding="UTF-8"?>
<system>
    <protection_domain name="sub/p">
        <program_image path="img.elf" />
    </protection_domain>
</system>
`;
    const missing = await custom(sdf);
    expect(missing.code).toBe(1);
    expect(firstErrorLine(missing)).toBe(`ERROR: cannot write Viper output file ${missing.viperDir}/sub/p.vpr: No such file or directory (os error 2)`);
    const present = await custom(sdf, (out) => {
      mkdirSync(join(out, 'viper', 'sub'), { recursive: true });
      return join(out, 'viper');
    });
    expectOk(present);
    expect(readFileSync(join(present.viperDir, 'sub', 'p.vpr'), 'utf8').split('\n')[0]).toMatch(/^\/\/ exported invariants for PD sub\/p in /);
  });
});
