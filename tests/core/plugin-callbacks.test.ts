/**
 * Callbacks a plugin registers outside hooks (its ArchSupport's functions,
 * `pipeline.pdWordSymbols` values) are wrapped like its taps: an exception
 * names the plugin and the callback; a MicrokitError keeps its code and
 * gains plugin and hook; the core's own registrations stay unwrapped.
 */
import { describe, expect, it } from 'vitest';
import type { ArchSupport } from '../../core/arch.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { Pipeline } from '../../core/pipeline.js';
import type { ProtectionDomain } from '../../core/sdf/model.js';
import { cli } from '../support/cli.js';
import { helloProject, writeFiles } from '../support/project.js';

const boom = (what: string) => () => {
  throw new Error(`bad ${what}`);
};

/** An architecture every one of whose callbacks throws. */
const failingArch = {
  name: 'aarch64',
  displayName: 'Test',
  iommu: { domainIds: false, parseDeviceId: boom('device id'), formatDeviceId: boom('format') },
  vm: { attributes: ['id'], parseSchedParams: boom('sched'), checkVmm: boom('vmm'), checkChannel: boom('channel') },
  spec: { vspace: boom('vspace'), irqObject: boom('irq'), vcpuThreads: true },
  boot: boom('boot'),
  loader: { bootPageTables: boom('tables'), uimageArch: 26 },
} as unknown as ArchSupport;

function archOf(pluginName: string, support: ArchSupport = failingArch): ArchSupport {
  return new Pipeline().use({ name: pluginName, apply: (p) => p.registerArch(support) }).arch('aarch64');
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('ArchSupport callbacks', () => {
  const arch = archOf('myarch');
  const anyArgs = [] as never[];

  it.each([
    ['arch.iommu.parseDeviceId', 'device id', () => arch.iommu.parseDeviceId('01:00.0')],
    ['arch.iommu.formatDeviceId', 'format', () => arch.iommu.formatDeviceId!({} as never)],
    ['arch.vm.parseSchedParams', 'sched', () => arch.vm!.parseSchedParams!(...(anyArgs as [never, never]))],
    ['arch.vm.checkVmm', 'vmm', () => arch.vm!.checkVmm!(...(anyArgs as [never, never, never]))],
    ['arch.vm.checkChannel', 'channel', () => arch.vm!.checkChannel!(...(anyArgs as [never, never, never]))],
    ['arch.spec.vspace', 'vspace', () => arch.spec!.vspace({} as never)],
    ['arch.spec.irqObject', 'irq', () => arch.spec!.irqObject({} as never, {} as never)],
    ['arch.boot', 'boot', () => arch.boot!({} as never)],
    ['arch.loader.bootPageTables', 'tables', () => arch.loader!.bootPageTables({} as never)],
  ])('%s', (hook, what, call) => {
    const e = thrown(call);
    expect(e).toBeInstanceOf(MicrokitError);
    expect(e).toMatchObject({
      code: 'PLUGIN_FAILED',
      plugin: 'myarch',
      hook,
      message: `microkit: error: plugin 'myarch' failed in hook '${hook}': bad ${what}`,
    });
  });

  it('keeps the values that are not callbacks', () => {
    expect(arch.name).toBe('aarch64');
    expect(arch.vm!.attributes).toEqual(['id']);
    expect(arch.spec!.vcpuThreads).toBe(true);
    expect(arch.loader!.uimageArch).toBe(26);
  });

  it("a callback's MicrokitError keeps its code and message and gains plugin and hook", () => {
    const own = new MicrokitError('SDF_X86_VMM_CHILDREN', 'Error: no');
    const checked = archOf('myarch', {
      ...failingArch,
      vm: {
        attributes: [],
        checkVmm: () => {
          throw own;
        },
      },
    });
    expect(thrown(() => checked.vm!.checkVmm!({} as never, {} as never, {} as never))).toMatchObject({
      code: 'SDF_X86_VMM_CHILDREN',
      message: 'Error: no',
      plugin: 'myarch',
      hook: 'arch.vm.checkVmm',
    });
  });

  it("leaves a core plugin's callbacks alone", () => {
    expect(thrown(() => archOf('core/arch').iommu.parseDeviceId('x'))).toEqual(new Error('bad device id'));
  });
});

describe('pipeline.pdWordSymbols', () => {
  const pd = { name: 'a' } as ProtectionDomain;

  it("wraps a plugin's word function, naming the symbol", () => {
    const p = new Pipeline().use({ name: 'words', apply: (q) => q.pdWordSymbols.set('microkit_ioports', boom('word')) });
    expect(thrown(() => p.pdWordSymbols.get('microkit_ioports')!(pd))).toMatchObject({
      code: 'PLUGIN_FAILED',
      plugin: 'words',
      hook: 'pdWordSymbols:microkit_ioports',
      message: "microkit: error: plugin 'words' failed in hook 'pdWordSymbols:microkit_ioports': bad word",
    });
  });

  it("leaves the core's and core plugins' functions alone", () => {
    const p = new Pipeline().use({ name: 'core/words', apply: (q) => q.pdWordSymbols.set('w', boom('word')) });
    expect(p.pdWordSymbols.get('microkit_ioports')!(pd)).toBe(0n);
    expect(thrown(() => p.pdWordSymbols.get('w')!(pd))).toEqual(new Error('bad word'));
  });

  it('reports the failure from a real build', async () => {
    const dir = helloProject('mk-words-');
    writeFiles(dir, {
      'plugins/words.ts': `
import { definePlugin } from 'microkit-ts';
export const words = definePlugin(() => ({ name: 'words', apply(p: any) { p.pdWordSymbols.set('microkit_ioports', () => { throw new Error('no ports'); }); } }))();
`,
      'microkit.config.ts': `
import { words } from './plugins/words.js';
export default { system: 'hello.system', board: 'qemu_virt_aarch64', config: 'debug', sdk: 'synthetic', plugins: [words] };
`,
    });
    const run = await cli([], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe("microkit: error: plugin 'words' failed in hook 'pdWordSymbols:microkit_ioports': no ports");
    expect(run.stderr).not.toMatch(/internal error|bug in the tool|^\s+at /m);
  });
});
