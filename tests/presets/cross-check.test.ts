/** With an SDK, its kernel facts are compared with the board preset's: one warning per disagreement, then the SDK's facts are used. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crossCheckKernelFiles } from '../../core/sdk/cross-check.js';
import { presetKernelFiles } from '../../core/preset.js';
import { presetRegistry } from '../../presets/index.js';
import { resolveBuildSetup } from '../../core/cli/setup.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, REPO, SHARED_SDK } from '../support/paths.js';

const HELLO = join(REPO, 'examples/hello/hello.system');

describe('crossCheckKernelFiles', () => {
  it('reports each field both sides state differently, integers compared by value', () => {
    const mine = presetKernelFiles(presetRegistry().resolve('qemu_virt_riscv64'), 'debug')!;
    expect(crossCheckKernelFiles(mine, mine)).toEqual([]);
    const sdk = {
      ...mine,
      genConfig: { ...mine.genConfig, NUM_PRIORITIES: '128', EXTRA_ONLY_IN_SDK: true },
      addressSpaceConstants: { ...mine.addressSpaceConstants, vspace_user_top: BigInt(mine.addressSpaceConstants.vspace_user_top as number) },
      platformGen: { devices: mine.platformGen!.devices, memory: [{ start: 0x8020_0000, end: 0xc000_0000 }] },
    };
    expect(crossCheckKernelFiles(mine, sdk)).toEqual([
      { file: 'gen_config.json', field: 'NUM_PRIORITIES', preset: '256', sdk: '128' },
      { file: 'platform_gen.json', field: 'memory', preset: '0x80200000-0x100000000', sdk: '0x80200000-0xc0000000' },
    ]);
  });
});

describe.skipIf(!HAS_SHARED)('SDK cross-check in builds', () => {
  it('is silent for the shared SDK, whose facts the presets equal', async () => {
    for (const board of ['qemu_virt_aarch64', 'qemu_virt_aarch64_el1', 'qemu_virt_riscv64']) {
      const r = await cli(['check', HELLO, '--board', board, '--config', 'smp-debug'], {
        cwd: mkdtempSync(join(tmpdir(), 'xc-')),
        env: { MICROKIT_SDK: SHARED_SDK },
      });
      expect(r.stderr, board).toBe('');
      expect(r.code).toBe(0);
    }
  });

  it('warns once per disagreement (field, preset value, SDK value) and uses the SDK', async () => {
    const root = mkdtempSync(join(tmpdir(), 'xc-sdk-'));
    cpSync(SHARED_SDK, root, { recursive: true });
    const dir = join(root, 'board/qemu_virt_aarch64/debug');
    const gen = JSON.parse(readFileSync(join(dir, 'include/kernel/gen_config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'include/kernel/gen_config.json'), JSON.stringify({ ...gen, NUM_DOMAINS: '4' }));
    const plat = JSON.parse(readFileSync(join(dir, 'platform_gen.json'), 'utf8')) as { memory: { start: number; end: number }[] };
    writeFileSync(join(dir, 'platform_gen.json'), JSON.stringify({ ...plat, memory: [{ start: 0x4000_0000, end: 0x8000_0000 }] }));
    const cwd = mkdtempSync(join(tmpdir(), 'xc-'));
    // The run resolves its setup twice (run, then build): still one warning each.
    const r = await cli(['run', HELLO, '--board', 'qemu_virt_aarch64', '--config', 'debug', '--search-path', join(REPO, 'examples/hello'), '--timeout', '1'], {
      cwd,
      env: { MICROKIT_SDK: root, PATH: cwd },
    });
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('microkit: warning:'));
    expect(warnings).toEqual([
      "microkit: warning: board 'qemu_virt_aarch64' config 'debug': the SDK's gen_config.json has NUM_DOMAINS = 4, the preset 16; using the SDK's",
      "microkit: warning: board 'qemu_virt_aarch64' config 'debug': the SDK's platform_gen.json has memory = 0x40000000-0x80000000, " +
        "the preset 0x40000000-0xc0000000; using the SDK's",
    ]);
    // The SDK's facts are the ones used.
    const stderr: string[] = [];
    const env = {
      cwd,
      env: { MICROKIT_SDK: root },
      stdout: () => {},
      stderr: (l: string) => stderr.push(l),
      presets: presetRegistry(),
      genericPreset: () => 'qemu_virt_aarch64',
    };
    const setup = await resolveBuildSetup('check', { system: HELLO, board: 'qemu_virt_aarch64', config: 'debug' }, env);
    expect(setup.kernel.numDomains).toBe(4);
    expect(setup.kernel.memory!.normal.at(-1)!.end).toBe(0x8000_0000n);
    expect(stderr).toHaveLength(2);
  });
});
