import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSymbol, loadableSegments, parseElf, readSymbolWord } from '../../core/elf/index.js';
import { ARCH_NAMES } from '../../core/kernel/config.js';
import { presetKernelFiles, type ResolvedPreset } from '../../core/preset.js';
import { kernelConfigFromSdkFiles, type SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import { defaultInitialiserLinkAddress, type StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { archPlugins, builtinPresets, genericPresetFor, machinePresets, presetRegistry, upstreamBoardPresets } from '../../presets/index.js';
import { commonPlugins } from '../../presets/plugins.js';
import { SHARED_SDK } from '../support/paths.js';

const BOARDS = ['qemu_virt_aarch64', 'qemu_virt_aarch64_el1', 'qemu_virt_riscv64', 'x86_64_generic', 'x86_64_generic_vtx', 'x86_64_generic_noiommu'];
const SHARED_CONFIGS = ['debug', 'release', 'benchmark', 'smp-debug'];
const ALL_CONFIGS = [...SHARED_CONFIGS, 'smp-release', 'smp-benchmark'];
const HAS_SDK = existsSync(join(SHARED_SDK, 'board'));

const resolve = (board: string): ResolvedPreset => presetRegistry().resolve(board);
const files = (board: string, config: string): SdkKernelFiles => {
  const f = presetKernelFiles(resolve(board), config);
  if (!f) throw new Error(`${board} has no config ${config}`);
  return f;
};
const readJson = (board: string, config: string, file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(SHARED_SDK, 'board', board, config, file), 'utf8')) as Record<string, unknown>;
const origin = (board: string) => ({ genConfigPath: board, objectSizesPath: board, addressSpacePath: board });

/** Key by key, in file order: the same keys in the same order with the same values. */
function expectSameKeys(actual: object | undefined, expected: Record<string, unknown>, what: string): void {
  expect(actual, what).toBeDefined();
  expect(Object.keys(actual!), `${what}: keys`).toEqual(Object.keys(expected));
  for (const [k, v] of Object.entries(expected)) expect((actual as Record<string, unknown>)[k], `${what}: ${k}`).toEqual(v);
}

describe('built-in presets', () => {
  it('has the six boards of the shared SDK, each resolving completely', () => {
    expect(builtinPresets.map((p) => p.name)).toEqual(BOARDS);
    // Plus upstream's other boards and the machine presets (qemu-x86, vb-105), which extend SDK boards.
    expect(presetRegistry().names()).toEqual([...BOARDS, ...upstreamBoardPresets.map((p) => p.name), ...machinePresets.map((p) => p.name)].sort());
    for (const board of BOARDS) {
      const p = resolve(board);
      expect(p.name).toBe(board);
      expect(Object.keys(p.configs)).toEqual(ALL_CONFIGS);
      expect(p.boot, board).toMatch(/^qemu-system-/);
      expect(p.synthetic, board).toBeDefined();
    }
  });

  it('uses the architecture defaults for image type and plugins', () => {
    const COMMON = commonPlugins().map((p) => p.name);
    const expected = {
      aarch64: { imageType: 'binary', plugins: ['aarch64', 'arm-smc', 'iommu', 'loader-image', ...COMMON] },
      riscv64: { imageType: 'uimage', plugins: ['riscv64', 'iommu', 'loader-image', ...COMMON] },
      x86_64: { imageType: 'elf', plugins: ['x86_64', 'x86-ioports', 'iommu', 'x86-vtd', 'boot-module', ...COMMON] },
    } as const;
    for (const board of BOARDS) {
      const p = resolve(board);
      expect(p.imageType, board).toBe(expected[p.arch].imageType);
      expect(
        p.plugins().map((x) => x.name),
        board,
      ).toEqual(expected[p.arch].plugins);
    }
    // Fresh instances every time, so two pipelines never share plugin state.
    expect(archPlugins('aarch64')[0]).not.toBe(archPlugins('aarch64')[0]);
  });

  it('shares facts through extends', () => {
    const presets = new Map(builtinPresets.map((p) => [p.name, p]));
    expect(presets.get('qemu_virt_aarch64_el1')!.extends).toBe('qemu_virt_aarch64');
    expect(presets.get('x86_64_generic_vtx')!.extends).toBe('x86_64_generic');
    expect(presets.get('x86_64_generic_noiommu')!.extends).toBe('x86_64_generic');
    const el1 = resolve('qemu_virt_aarch64_el1');
    expect(el1.arch).toBe('aarch64');
    expect(el1.configs).toEqual(resolve('qemu_virt_aarch64').configs);
    expect(el1.synthetic!.kernelVaddr).toBe(0xffff_ffff_c000_0000n);
    expect(el1.boot).not.toContain('virtualization=on');
    expect(resolve('qemu_virt_aarch64').boot).toContain('virtualization=on');
    expect(resolve('x86_64_generic_noiommu').description).toMatch(/not an upstream board/);
    expect(resolve('x86_64_generic_vtx').synthetic).toEqual(resolve('x86_64_generic').synthetic);
  });

  it('serves each architecture with a generic preset', () => {
    expect(ARCH_NAMES.map((a) => genericPresetFor(a).name)).toEqual(['qemu_virt_aarch64', 'qemu_virt_riscv64', 'x86_64_generic']);
    for (const arch of ARCH_NAMES) expect(genericPresetFor(arch).arch).toBe(arch);
  });

  it('gives kernel facts kernelConfigFromSdkFiles accepts, for every config', () => {
    for (const board of BOARDS) {
      for (const config of ALL_CONFIGS) {
        const k = kernelConfigFromSdkFiles(files(board, config), config, origin(board));
        const p = resolve(board);
        expect(k.arch).toBe(p.arch);
        expect(k.numCores, `${board}/${config}`).toBe(config.startsWith('smp-') ? (p.arch === 'x86_64' ? 16 : 4) : 1);
        expect(k.numDomains).toBe(config.startsWith('smp-') ? 1 : 16);
        expect(k.benchmark).toBe(config.endsWith('benchmark'));
        expect(k.memory === undefined).toBe(p.arch === 'x86_64');
      }
    }
    const k = (board: string) => kernelConfigFromSdkFiles(files(board, 'debug'), 'debug', origin(board));
    expect([k('qemu_virt_aarch64').hypervisor, k('qemu_virt_aarch64_el1').hypervisor]).toEqual([true, false]);
    expect([k('x86_64_generic').hypervisor, k('x86_64_generic_vtx').hypervisor, k('x86_64_generic_noiommu').hypervisor]).toEqual([false, true, false]);
    expect([k('x86_64_generic').iommu, k('x86_64_generic_vtx').iommu, k('x86_64_generic_noiommu').iommu]).toEqual([true, true, false]);
    expect(k('qemu_virt_aarch64').objectSizes!.tcb).toBe(12);
    expect(kernelConfigFromSdkFiles(files('qemu_virt_aarch64', 'smp-release'), 'smp-release', origin('x')).objectSizes!.tcb).toBe(11);
  });

  it('derives smp-release and smp-benchmark as build_sdk.py does', () => {
    for (const board of BOARDS) {
      const cores = resolve(board).arch === 'x86_64' ? '16' : '4';
      for (const config of ['release', 'benchmark']) {
        const plain = files(board, config);
        const smp = files(board, `smp-${config}`);
        expect(smp.genConfig).toEqual({ ...plain.genConfig, ENABLE_SMP_SUPPORT: true, MAX_NUM_NODES: cores, NUM_DOMAINS: '1' });
        expect(Object.keys(smp.genConfig)).toEqual(Object.keys(plain.genConfig));
        expect(smp.objectSizes).toEqual(plain.objectSizes);
        expect(smp.addressSpaceConstants).toEqual(plain.addressSpaceConstants);
        expect(smp.platformGen).toEqual(plain.platformGen);
      }
    }
  });
});

describe.skipIf(!HAS_SDK)('presets against the shared SDK', () => {
  it.each(BOARDS)('%s reproduces the SDK JSON files of every shared config', (board) => {
    for (const config of SHARED_CONFIGS) {
      const f = files(board, config);
      const where = `${board}/${config}`;
      expectSameKeys(f.genConfig, readJson(board, config, 'include/kernel/gen_config.json'), `${where} gen_config`);
      expectSameKeys(f.objectSizes, readJson(board, config, 'object_sizes.json'), `${where} object_sizes`);
      expectSameKeys(f.addressSpaceConstants, readJson(board, config, 'address_space_constants.json'), `${where} address_space_constants`);
      const platform = join(SHARED_SDK, 'board', board, config, 'platform_gen.json');
      if (existsSync(platform)) expectSameKeys(f.platformGen, readJson(board, config, 'platform_gen.json'), `${where} platform_gen`);
      else expect(f.platformGen, where).toBeUndefined();
    }
  });

  it.each(BOARDS)('%s has the ELF facts of the SDK stubs', (board) => {
    const p = resolve(board);
    const facts = p.synthetic as StubElfFacts;
    for (const config of SHARED_CONFIGS) {
      const elf = (name: string) => {
        const path = join(SHARED_SDK, 'board', board, config, 'elf', name);
        return parseElf(readFileSync(path), path);
      };
      const kernel = elf('sel4.elf');
      const [seg] = loadableSegments(kernel);
      expect(kernel.header.machine).toBe(facts.machine);
      expect(seg.paddr).toBe(facts.kernelPaddr);
      expect(seg.vaddr).toBe(facts.kernelVaddr);
      expect(kernel.header.entry).toBe(facts.kernelVaddr);
      expect(readSym(kernel, 'ki_end') - seg.vaddr).toBe(facts.kernelSize);
      expect(readSym(kernel, 'ki_boot_end') - seg.vaddr).toBe(facts.kernelBootSize);
      expect(elf('initialiser.elf').header.entry).toBe(facts.initialiserLinkAddress ?? defaultInitialiserLinkAddress(p.arch));
      if (p.arch === 'x86_64') {
        expect(facts.loaderLinkAddress).toBeUndefined();
        expect(existsSync(join(SHARED_SDK, 'board', board, config, 'elf', 'loader.elf'))).toBe(false);
        continue;
      }
      const loader = elf('loader.elf');
      expect(loader.header.entry).toBe(facts.loaderLinkAddress);
      const uart = findSymbol(loader, 'uart_addr');
      const prints = files(board, config).genConfig.PRINTING === true;
      if (uart.ok) {
        expect(prints).toBe(true);
        expect(readSymbolWord(loader, 'uart_addr')).toBe(facts.loaderUartAddr);
      } else {
        expect(!prints || facts.loaderUartAddr === undefined).toBe(true);
      }
    }
  });
});

function readSym(elf: ReturnType<typeof parseElf>, name: string): bigint {
  const s = findSymbol(elf, name);
  if (!s.ok) throw new Error(`no ${name}`);
  return s.value;
}
