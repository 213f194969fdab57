import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildContext, SystemBuild } from '../../core/build-types.js';
import { runPipeline } from '../../core/build.js';
import { checkSystem } from '../../core/check.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { StagedOutputs } from '../../core/output.js';
import { Pipeline } from '../../core/pipeline.js';
import { createPipeline } from '../../core/builtin.js';
import { definePlugin } from '../../core/plugin.js';
import type { SystemDescription } from '../../core/sdf/model.js';
import { VALIDATE_STAGES } from '../../core/sdf/validate/system-checks.js';
import { systemSummary } from '../../examples/plugins/system-summary.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';
import { searchPathAccess } from '../../core/cli/setup.js';
import { synthesizeSdk } from '../../core/sdk/synthetic.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { presetRegistry } from '../../presets/index.js';

const HELLO = `<system>
  <memory_region name="buf" size="0x1000" />
  <protection_domain name="hello" priority="10" owner="alice">
    <program_image path="hello.elf" />
    <map mr="buf" vaddr="0x400000" perms="rw" />
  </protection_domain>
</system>`;

/** A synthetic SDK and a stub hello.elf, made once: full builds need both. */
const WORK = mkdtempSync(join(tmpdir(), 'mk-pipe-sdk-'));
synthesizeSdk({ registry: presetRegistry(), board: 'qemu_virt_aarch64', configs: ['debug'], outDir: WORK });
writeFileSync(join(WORK, 'hello.elf'), stubProgramImage({ arch: 'aarch64' }));

function context(pipeline: Pipeline, outputs = new StagedOutputs(), info: string[] = []): BuildContext & { outputs: StagedOutputs } {
  const kernel = presetKernel('qemu_virt_aarch64');
  return {
    options: { mode: 'build', systemFile: 'hello.system', systemPath: 'hello.system', config: 'debug', searchPaths: [WORK], outputs: {}, settings: {} },
    kernel,
    arch: pipeline.arch(kernel.arch),
    sdk: { root: WORK, board: 'qemu_virt_aarch64', config: 'debug', dir: join(WORK, 'board/qemu_virt_aarch64/debug'), synthetic: true },
    pipeline,
    files: searchPathAccess([WORK], WORK),
    log: { info: (l) => info.push(l), error: () => {} },
    outputs,
  };
}

describe('pipeline', () => {
  it('runs every hook in order and hands the same data along', async () => {
    const seen: string[] = [];
    const objects: Record<string, unknown> = {};
    const probe = definePlugin(() => ({
      name: 'probe',
      apply(p) {
        p.hooks.parse.tap({ name: 'probe', stage: 10 }, (_src, _ctx) => undefined);
        p.hooks.validate.tap('probe', (sys) => void (objects.validate = sys));
        p.hooks.allocate.tap('probe', (build) => void (objects.allocate = build));
        p.hooks.emit.tap('probe', (build) => void (objects.emit = build));
        p.hooks.done.tap('probe', (result) => void (objects.done = result));
      },
    }));
    const dir = mkdtempSync(join(tmpdir(), 'mk-pipe-'));
    const out = join(dir, 'summary.md');
    const pipeline = createPipeline([...presetPlugins('qemu_virt_aarch64'), systemSummary({ output: out, onHook: (h) => seen.push(h) }), probe()]);
    const info: string[] = [];
    const ctx = context(pipeline, new StagedOutputs(), info);
    const result = await runPipeline({ file: 'hello.system', path: 'hello.system', text: HELLO }, ctx);

    expect(seen).toEqual(['configure', 'parse', 'validate', 'allocate', 'emit', 'done']);
    expect(info.filter((l) => l.startsWith('MICROKIT|'))).toEqual([
      'MICROKIT|CAPDL SPEC: number of root objects = 37, spec footprint = 5.32 KiB',
      'MICROKIT|INITIAL TASK: memory size = 256 KiB',
      `MICROKIT|SUMMARY: ${out}`,
    ]);
    expect(objects.validate).toBe(result.system);
    expect((objects.allocate as SystemBuild).system).toBe(result.system);
    expect(objects.emit).toBe(objects.allocate);
    expect(objects.done).toBe(result);
    // No image, report or capDL JSON was asked for.
    expect(result.written).toEqual([out]);
    expect(readFileSync(out, 'utf8')).toContain('| hello | 10 | alice | 1 | 0 |');
    expect(info).toContain(`MICROKIT|SUMMARY: ${out}`);
    expect(result.system.protectionDomains[0].owner).toBe('alice');
  });

  it('stops after validate in check mode', async () => {
    const seen: string[] = [];
    await checkSystem(HELLO, {
      file: 'hello.system',
      kernel: presetKernel('qemu_virt_aarch64'),
      plugins: [...presetPlugins('qemu_virt_aarch64'), systemSummary({ onHook: (h) => seen.push(h) })],
    });
    expect(seen).toEqual(['configure', 'parse', 'validate', 'done']);
  });

  it('a plugin validate rule runs at its stage among the core rules', async () => {
    const text = HELLO.replace('owner="alice"', '');
    const run = checkSystem(text, {
      file: 'hello.system',
      kernel: presetKernel('qemu_virt_aarch64'),
      plugins: [...presetPlugins('qemu_virt_aarch64'), systemSummary({ requireOwner: true })],
    });
    await expect(run).rejects.toThrow("Error: protection domain 'hello' has no owner");
    // A core rule at an earlier stage wins over the plugin's.
    const twoPds = text.replace('</system>', '<protection_domain name="hello"><program_image path="x"/></protection_domain></system>');
    await expect(
      checkSystem(twoPds, {
        file: 'hello.system',
        kernel: presetKernel('qemu_virt_aarch64'),
        plugins: [...presetPlugins('qemu_virt_aarch64'), systemSummary({ requireOwner: true })],
      }),
    ).rejects.toThrow("Error: duplicate protection domain name 'hello'.");
    expect(VALIDATE_STAGES.PD_NAMES).toBeLessThan(VALIDATE_STAGES.PD_NAMES + 1);
  });

  it('discards staged outputs when a later stage fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-pipe-'));
    const out = join(dir, 'summary.md');
    const failing = definePlugin(() => ({
      name: 'failing',
      apply(p) {
        p.hooks.emit.tap({ name: 'failing', stage: 100 }, () => {
          throw new MicrokitError('TEST', 'boom');
        });
      },
    }));
    const pipeline = createPipeline([...presetPlugins('qemu_virt_aarch64'), systemSummary({ output: out }), failing()]);
    await expect(runPipeline({ file: 'h', path: 'h', text: HELLO }, context(pipeline))).rejects.toThrow('boom');
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial-${process.pid}`)).toBe(false);
  });

  it('requires each requested output to be produced', async () => {
    // A board without the report plugin cannot produce a report.
    const pipeline = createPipeline(presetPlugins('qemu_virt_aarch64').filter((p) => p.name !== 'report'));
    const ctx = context(pipeline);
    const withReport = { ...ctx, options: { ...ctx.options, outputs: { report: '/tmp/never-written-report.txt' } } };
    await expect(runPipeline({ file: 'h', path: 'h', text: HELLO.replace(' owner="alice"', '') }, withReport)).rejects.toThrow(
      "microkit: error: no plugin produced the report '/tmp/never-written-report.txt'",
    );
  });
});

describe('plugins', () => {
  it('taps must carry the plugin name', () => {
    const bad = definePlugin(() => ({
      name: 'good-name',
      apply(p) {
        p.hooks.validate.tap('other-name', () => {});
      },
    }));
    expect(() => new Pipeline().use(bad())).toThrow(/plugin 'good-name' tapped hook 'validate' as 'other-name'/);
    const ok = definePlugin(() => ({
      name: 'good-name',
      apply(p) {
        p.hooks.validate.tap('good-name/detail', () => {});
      },
    }));
    expect(new Pipeline().use(ok()).plugins).toEqual(['good-name']);
  });

  it('rejects a plugin registered twice and objects that are not plugins', () => {
    const p = definePlugin(() => ({ name: 'twice', apply() {} }));
    expect(() => new Pipeline().use(p(), p())).toThrow("plugin 'twice' is registered twice");
    expect(() => new Pipeline().use({} as never)).toThrow('a plugin must be an object with a name and an apply(pipeline) method');
  });

  it('records which plugin owns which SDF construct', () => {
    const pipeline = createPipeline(presetPlugins('x86_64_generic'));
    expect(pipeline.sdf.ownerOf('irq-form', 'pin')).toBe('x86_64');
    expect(pipeline.sdf.ownerOf('pd', 'ioport')).toBe('x86-ioports');
    expect(pipeline.sdf.ownerOf('system', 'io_address_space')).toBe('iommu');
    expect(pipeline.sdf.ownerOf('irq-form', 'irq')).toBe('core/sdf-parse');
    const arm = createPipeline(presetPlugins('qemu_virt_aarch64'));
    expect(arm.sdf.ownerOf('irq-form', 'irq')).toBe('aarch64');
    expect(arm.sdf.ownerOf('pd-attribute', 'smc')).toBe('arm-smc');
  });

  it('needs exactly one plugin per architecture', () => {
    expect(() => new Pipeline().arch('aarch64')).toThrow("no plugin provides architecture 'aarch64'");
    const twice = presetPlugins('qemu_virt_aarch64')[0];
    const clone = { name: 'aarch64-again', apply: twice.apply };
    expect(() => new Pipeline().use(twice, clone)).toThrow("plugins 'aarch64' and 'aarch64-again' both provide architecture 'aarch64'");
  });

  it('without the arch plugin that owns a construct, reports it as upstream does on other arches', async () => {
    const text = `<system><protection_domain name="a"><program_image path="a"/><irq irq="5" id="1"/></protection_domain></system>`;
    const kernel = presetKernel('x86_64_generic');
    await expect(checkSystem(text, { file: 's', kernel, plugins: presetPlugins('x86_64_generic') })).rejects.toThrow(
      "Error: ARM and RISC-V IRQs are not supported on x86 on element 'irq': s:1:62",
    );
  });
});

export type { SystemDescription };

describe('built-in plugins', () => {
  it('are applied first, by name, and visible in pipeline.plugins', () => {
    const pipeline = createPipeline(presetPlugins('qemu_virt_aarch64'));
    expect(pipeline.plugins.slice(0, 5)).toEqual(['core/sdf-parse', 'core/sdf-validate', 'core/program-images', 'core/system', 'core/summary']);
    expect(pipeline.plugins).toContain('aarch64');
    expect(pipeline.plugins.indexOf('aarch64')).toBeGreaterThan(4);
  });

  it('a bare Pipeline has no behaviour of its own: nothing parses', async () => {
    const pipeline = new Pipeline().use(...presetPlugins('qemu_virt_aarch64'));
    await expect(runPipeline({ file: 'h.system', path: 'h.system', text: HELLO }, context(pipeline))).rejects.toThrow("no plugin could parse 'h.system'");
  });

  it('a plugin can order its tap before a core stage by name', async () => {
    const order: string[] = [];
    const early = {
      name: 'early',
      apply: (p: Pipeline) => p.hooks.allocate.tap({ name: 'early', before: 'core/program-images' }, () => void order.push('early')),
    };
    const pipeline = createPipeline([...presetPlugins('qemu_virt_aarch64'), early]);
    const taps = (pipeline.hooks.allocate as unknown as { taps: { name: string }[] }).taps.map((t) => t.name);
    expect(taps.indexOf('early')).toBeLessThan(taps.indexOf('core/program-images'));
    expect(order).toEqual([]);
  });
});
