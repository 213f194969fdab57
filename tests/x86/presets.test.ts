/** The machine presets qemu-x86 and vb-105: what they inherit, what they set, how they boot. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presetKernelFiles } from '../../core/preset.js';
import { kernelConfigFromSdkFiles } from '../../core/sdk/kernel-files.js';
import { builtinPresets, machinePresets, presetRegistry } from '../../presets/index.js';
import { cli } from '../support/cli.js';

const resolve = (name: string) => presetRegistry().resolve(name);
const kernel = (name: string, config = 'debug') => {
  const files = presetKernelFiles(resolve(name), config)!;
  return kernelConfigFromSdkFiles(files, config, { genConfigPath: name, objectSizesPath: name, addressSpacePath: name });
};

describe('qemu-x86', () => {
  const p = resolve('qemu-x86');

  it('is x86_64_generic with IOMMU levels 3', () => {
    const generic = resolve('x86_64_generic');
    expect(p.arch).toBe('x86_64');
    expect(p.imageType).toBe('elf');
    expect(p.kernel).toEqual(generic.kernel);
    expect(p.configs).toEqual(generic.configs);
    expect(p.synthetic).toEqual(generic.synthetic);
    expect(p.plugins().map((x) => x.name)).toEqual(generic.plugins().map((x) => x.name));
    expect(p.options).toEqual({ iommu: { levels: 3 } });
    expect(kernel('qemu-x86').iommu).toBe(true);
    expect(kernel('qemu-x86').hypervisor).toBe(false);
    expect(p.description).toMatch(/intel-iommu/);
  });

  it('boots QEMU q35 with a 39-bit intel-iommu and the edu device at 00:04.0', () => {
    const boot = p.boot!;
    const args = boot.split(/\s+/);
    expect(args[0]).toBe('qemu-system-x86_64');
    const value = (flag: string) => args.filter((_, i) => args[i - 1] === flag);
    expect(value('-machine')).toEqual(['q35']);
    expect(value('-cpu')).toEqual(['qemu64,+fsgsbase,+pdpe1gb,+xsaveopt,+xsave']);
    expect(value('-m')).toEqual(['4G']);
    expect(value('-kernel')).toEqual(['sel4_32.elf']);
    expect(value('-initrd')).toEqual(['loader.img']);
    const devices = value('-device');
    expect(devices).toEqual(['intel-iommu,intremap=off,aw-bits=39', 'edu,dma_mask=0xffffffffffffffff,bus=pcie.0,addr=0x04.0']);
    // QEMU wants the IOMMU before the PCI devices it translates.
    expect(boot.indexOf('intel-iommu')).toBeLessThan(boot.indexOf('edu,'));
  });
});

describe('vb-105', () => {
  const p = resolve('vb-105');

  it('is x86_64_generic_vtx (IOMMU and VT-x) with IOMMU levels auto', () => {
    const vtx = resolve('x86_64_generic_vtx');
    expect(presetRegistry().has('vb-105')).toBe(true);
    expect(machinePresets.find((m) => m.name === 'vb-105')!.extends).toBe('x86_64_generic_vtx');
    expect(p.kernel).toEqual(vtx.kernel);
    expect(p.configs).toEqual(vtx.configs);
    expect(p.options).toEqual({ iommu: { levels: 'auto' } });
    for (const config of Object.keys(p.configs)) {
      const k = kernel('vb-105', config);
      expect([k.iommu, k.hypervisor], config).toEqual([true, true]);
    }
    expect(p.description).toMatch(/VT-d/);
    expect(p.boot).toMatch(/Multiboot/);
  });
});

describe('registration', () => {
  it('both are in the registry and `microkit boards`, and neither is an SDK board', async () => {
    expect(machinePresets.map((m) => m.name)).toEqual(['qemu-x86', 'vb-105']);
    expect(builtinPresets.map((m) => m.name)).not.toContain('qemu-x86');
    const names = presetRegistry().names();
    expect(names).toContain('qemu-x86');
    expect(names).toContain('vb-105');
    // A directory without a config file.
    const run = await cli(['boards'], { cwd: mkdtempSync(join(tmpdir(), 'mk-x86-boards-')), env: {} });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^qemu-x86 +x86_64 +debug,release,benchmark,smp-\* +elf +- +yes +16$/m);
    expect(run.stdout).toMatch(/^vb-105 +x86_64 /m);
    const long = await cli(['boards', '--long'], { cwd: mkdtempSync(join(tmpdir(), 'mk-x86-boards-')), env: {} });
    expect(long.stdout).toMatch(/^qemu-x86 — QEMU q35/m);
  });
});
