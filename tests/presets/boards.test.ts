/**
 * Every upstream board as a preset: identity, kernel facts, memory maps and
 * boot recipes; `check` of hello (x86: the IOMMU example) without an SDK,
 * and a full build against each board's synthetic SDK.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presetKernelFiles, type ResolvedPreset } from '../../core/preset.js';
import { kernelConfigFromSdkFiles } from '../../core/sdk/kernel-files.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { synthesizeSdk } from '../../core/sdk/synthetic.js';
import { presetRegistry } from '../../presets/index.js';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';

/** build_sdk.py's SUPPORTED_BOARDS (seL4/microkit cfd5216): name, arch, loader link address, smp_cores. */
const UPSTREAM: readonly [string, string, bigint | undefined, number | undefined][] = [
  ['kria_k26', 'aarch64', 0x4000_0000n, undefined],
  ['stm32mp2', 'aarch64', 0x8800_0000n, 2],
  ['tqma8xqp1gb', 'aarch64', 0x9000_0000n, 4],
  ['zcu102', 'aarch64', 0x4000_0000n, 4],
  ['maaxboard', 'aarch64', 0x5000_0000n, 4],
  ['imx8mm_evk', 'aarch64', 0x4100_0000n, 4],
  ['imx8mp_evk', 'aarch64', 0x4100_0000n, 4],
  ['imx8mq_evk', 'aarch64', 0x4100_0000n, 4],
  ['imx8mp_iotgate', 'aarch64', 0x5000_0000n, 4],
  ['odroidc2', 'aarch64', 0x2000_0000n, 4],
  ['odroidc4', 'aarch64', 0x2000_0000n, 4],
  ['ultra96v2', 'aarch64', 0x4000_0000n, 4],
  ['qemu_virt_aarch64', 'aarch64', 0x7000_0000n, 4],
  ['qemu_virt_aarch64_el1', 'aarch64', 0x7000_0000n, 4],
  ['qemu_virt_riscv64', 'riscv64', 0x9000_0000n, 4],
  ['rpi4b_1gb', 'aarch64', 0x1000_0000n, 4],
  ['rpi4b_2gb', 'aarch64', 0x1000_0000n, 4],
  ['rpi4b_4gb', 'aarch64', 0x1000_0000n, 4],
  ['rpi4b_8gb', 'aarch64', 0x1000_0000n, 4],
  ['rpi5b_2gb', 'aarch64', 0x1000_0000n, 4],
  ['rockpro64', 'aarch64', 0x3000_0000n, 4],
  ['rock3b', 'aarch64', 0x3000_0000n, undefined],
  ['hifive_p550', 'riscv64', 0x9000_0000n, 4],
  ['star64', 'riscv64', 0x6000_0000n, 4],
  ['ariane', 'riscv64', 0x9000_0000n, undefined],
  ['cheshire', 'riscv64', 0x9000_0000n, undefined],
  ['serengeti', 'riscv64', 0x9000_0000n, undefined],
  ['x86_64_generic', 'x86_64', undefined, 16],
  ['x86_64_generic_vtx', 'x86_64', undefined, 16],
];
const NAMES = UPSTREAM.map(([n]) => n);
const registry = presetRegistry();
const resolve = (board: string): ResolvedPreset => registry.resolve(board);
const kernel = (board: string, config: string) => {
  const files = presetKernelFiles(resolve(board), config)!;
  return kernelConfigFromSdkFiles(files, config, { genConfigPath: board, objectSizesPath: board, addressSpacePath: board });
};

describe('a preset for every upstream board', () => {
  it.each(UPSTREAM)('%s: arch, loader address, configs and cores as build_sdk.py has them', (board, arch, loader, cores) => {
    const p = resolve(board);
    expect(p.arch).toBe(arch);
    expect(p.synthetic?.loaderLinkAddress).toBe(loader);
    const configs = ['debug', 'release', 'benchmark', ...(cores ? ['smp-debug', 'smp-release', 'smp-benchmark'] : [])];
    expect(Object.keys(p.configs)).toEqual(configs);
    if (cores) expect(kernel(board, 'smp-release').numCores).toBe(cores);
    expect(kernel(board, 'release').numCores).toBe(1);
    expect(p.boot, board).toBeTruthy();
  });

  it('defaults image types as the tool does (CVA6 boards ELF, other RISC-V uImage, AArch64 binary, x86 ELF)', () => {
    const types = Object.fromEntries(NAMES.map((n) => [n, resolve(n).imageType]));
    for (const [n, arch] of UPSTREAM.map(([a, b]) => [a, b])) {
      const expected = ['ariane', 'cheshire', 'serengeti'].includes(n) ? 'elf' : { aarch64: 'binary', riscv64: 'uimage', x86_64: 'elf' }[arch];
      expect(types[n], n).toBe(expected);
    }
  });

  it('gives physical-address bits, hypervisor and the VSpace geometry per CPU', () => {
    for (const board of NAMES.filter((n) => resolve(n).arch === 'aarch64')) {
      const k = kernel(board, 'release');
      const a72 = resolve(board).cpu === 'cortex-a72';
      expect(k.armPaSizeBits, board).toBe(a72 ? 44 : 40);
      expect(k.paddrUserDeviceTop).toBe(1n << (a72 ? 44n : 40n));
      expect(k.hypervisor, board).toBe(board !== 'qemu_virt_aarch64_el1');
      expect(k.addressSpace.vspaceIndexBits, board).toBe(k.hypervisor && !a72 ? 10 : 9);
    }
    expect(resolve('rpi4b_4gb').kernel.addressSpaceConstants.vspace_user_top).toBe(0xfff_ffff_ffff);
    // zynqmp has no hardware debug API; other AArch64 debug kernels do.
    for (const b of ['zcu102', 'kria_k26', 'ultra96v2']) expect(presetKernelFiles(resolve(b), 'debug')!.genConfig.HARDWARE_DEBUG_API).toBe(false);
    expect(presetKernelFiles(resolve('imx8mm_evk'), 'debug')!.genConfig.HARDWARE_DEBUG_API).toBe(true);
    expect(resolve('imx8mm_evk').kernel.genConfig.ARM_GIC_V3_SUPPORT).toBe(true);
    expect(resolve('rpi4b_1gb').kernel.genConfig.ARM_GIC_V3_SUPPORT).toBe(false);
  });

  it('has well-formed memory maps: sorted, disjoint, below the device top, kernel at the start of memory', () => {
    for (const board of NAMES.filter((n) => resolve(n).arch !== 'x86_64')) {
      const p = resolve(board);
      const k = kernel(board, 'release');
      const all = [...k.memory!.normal.map((r) => ({ ...r, m: true })), ...k.memory!.device.map((r) => ({ ...r, m: false }))].sort((a, b) =>
        a.start < b.start ? -1 : 1,
      );
      for (let i = 0; i < all.length; i++) {
        expect(all[i].start < all[i].end, board).toBe(true);
        if (i > 0) expect(all[i - 1].end <= all[i].start, `${board}: overlap at ${all[i].start.toString(16)}`).toBe(true);
      }
      expect(all.at(-1)!.end <= k.paddrUserDeviceTop, board).toBe(true);
      expect(p.synthetic!.kernelPaddr).toBe(k.memory!.normal[0].start);
      const loader = p.synthetic!.loaderLinkAddress!;
      expect(
        k.memory!.normal.some((r) => r.start <= loader && loader < r.end),
        `${board}: loader in RAM`,
      ).toBe(true);
    }
    // RAM sizes follow RPI4_MEMORY.
    const ram = (b: string) => kernel(b, 'release').memory!.normal.reduce((s, r) => s + (r.end - r.start), 0n);
    expect(ram('rpi4b_1gb') < ram('rpi4b_2gb') && ram('rpi4b_2gb') < ram('rpi4b_4gb') && ram('rpi4b_4gb') < ram('rpi4b_8gb')).toBe(true);
  });

  it('has a QEMU recipe for the QEMU boards only', () => {
    const withQemu = registry.names().filter((n) => resolve(n).qemu !== undefined);
    expect(withQemu).toEqual(['qemu-x86', 'qemu_virt_aarch64', 'qemu_virt_aarch64_el1', 'qemu_virt_riscv64', 'x86_64_generic', 'x86_64_generic_noiommu']);
    expect(resolve('x86_64_generic_vtx').qemu).toBeUndefined();
    expect(resolve('vb-105').qemu).toBeUndefined();
    expect(resolve('imx8mm_evk').uboot).toEqual({ loadAddress: 0x4100_0000n, commands: ['tftp 0x41000000 {image}', 'go 0x41000000'] });
  });
});

// The QEMU presets are built by their families (aarch64Board, riscv64Board), so the family facts are the
// shared SDK's facts exactly when those presets reproduce the SDK: tests/presets/presets.test.ts checks that
// file by file ("presets against the shared SDK").

describe('every upstream board builds', () => {
  const hello = join(REPO, 'examples/hello');
  const iommu = join(REPO, 'examples/x86-iommu-dma');
  const root = mkdtempSync(join(tmpdir(), 'boards-'));

  it.each(NAMES)('%s: check without an SDK, then a full build against its synthetic SDK', async (board) => {
    const x86 = resolve(board).arch === 'x86_64';
    const [dir, system] = x86 ? [iommu, 'x86-iommu-dma.system'] : [hello, 'hello.system'];
    // --config-file /dev/null-like: an empty config dir keeps the example's own config file out.
    const checked = await cli(['check', join(dir, system), '--board', board, '--config', 'debug', '--search-path', dir], { cwd: root });
    expect(checked.stderr + checked.stdout, board).toBe('');
    expect(checked.code).toBe(0);

    const sdk = join(root, `sdk-${board}`);
    synthesizeSdk({ registry, board, configs: ['debug'], outDir: sdk });
    const image = join(root, `${board}.img`);
    // The examples' ELFs are AArch64 (hello) and x86-64: a stub program of the board's architecture, found first.
    const imgs = join(root, `imgs-${board}`);
    mkdirSync(imgs, { recursive: true });
    const program = x86 ? 'dma.elf' : 'hello.elf';
    writeFileSync(
      join(imgs, program),
      stubProgramImage({
        arch: resolve(board).arch,
        extraWordSymbols: x86 ? ['edu_regs_vaddr', 'dma_buffer_vaddr', 'dma_buffer_size', 'edu_bar0_paddr', 'pci_config_ioport'] : [],
      }),
    );
    const built = await cli(
      [join(dir, system), '--board', board, '--config', 'debug', '--search-path', imgs, dir, '-o', image, '-r', join(root, `${board}.txt`)],
      {
        cwd: root,
        env: { MICROKIT_SDK: sdk },
      },
    );
    expect(built.stderr, board).toBe('');
    expect(built.code, board).toBe(0);
    expect(statSync(image).size).toBeGreaterThan(0);
    expect(readFileSync(join(root, `${board}.txt`), 'utf8')).toContain('# Kernel Objects Details');
    if (x86) expect(existsSync(join(root, 'sel4_32.elf'))).toBe(true);
  });
});
