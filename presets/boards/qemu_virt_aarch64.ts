/**
 * QEMU virt, AArch64, seL4 in EL2 (hypervisor on): Cortex-A53, 2 GiB RAM,
 * 40-bit PA (3-level stage-2 VSpaces with a 10-bit root), 4 SMP cores.
 * Kernel facts are the project's shared SDK's (build_sdk.py options
 * `qemu-arm-virt`, `QEMU_MEMORY=2048`, `KernelArmExportPTMRUser`).
 */
import { definePreset, type QemuRecipe } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { aarch64BoardConfigs, aarch64Kernel } from '../families/aarch64.js';
import { archPlugins } from '../plugins.js';

/** What the AArch64 family's kernel facts follow from on QEMU virt (build_sdk.py's qemu_virt_aarch64). */
export const qemuVirtAarch64KernelFacts = { platform: 'qemu-arm-virt', cpu: 'cortex-a53', gicV3: false, exportPtmr: true } as const;

/** The release files; configs overlay them: the AArch64 family's, with this machine's memory map. */
export const qemuVirtAarch64Kernel: SdkKernelFiles = aarch64Kernel({
  ...qemuVirtAarch64KernelFacts,
  devices: [
    { start: 0x0, end: 0x800_0000 },
    { start: 0x800_1000, end: 0x801_0000 },
    { start: 0x801_1000, end: 0x803_0000 },
    { start: 0x803_1000, end: 0x4000_0000 },
    { start: 0xc000_0000, end: 0x100_0000_0000 },
  ],
  memory: [{ start: 0x4000_0000, end: 0xc000_0000 }],
});

/** build_sdk.py's config options on AArch64, as the kernel reports them, 4 SMP cores. */
export const aarch64Configs = aarch64BoardConfigs({ smpCores: 4 });

/** Read off the SDK's stub ELFs: kernel at 0x40000000 (EL2 window 0xffc0000000), loader at 0x70000000. */
export const qemuVirtAarch64Elfs: StubElfFacts = {
  kernelPaddr: 0x4000_0000n,
  kernelVaddr: 0xff_c000_0000n,
  kernelSize: 0x3_6000n,
  kernelBootSize: 0x5000n,
  loaderLinkAddress: 0x7000_0000n,
  machine: 183, // EM_AARCH64
  loaderUartAddr: 0x900_0000n, // PL011
};

/**
 * Microkit manual, QEMU virt (AArch64): the loader at its link address, -smp 4 for the smp-* configs;
 * `machine` is `virt,virtualization=on` for a kernel in EL2, `virt` in EL1.
 */
export function qemuVirtAarch64Recipe(machine: string): QemuRecipe {
  return {
    program: 'qemu-system-aarch64',
    args: [
      '-machine',
      machine,
      '-cpu',
      'cortex-a53',
      '-nographic',
      '-serial',
      'mon:stdio',
      '-device',
      'loader,file={image},addr=0x70000000,cpu-num=0',
      '-m',
      'size=2G',
    ],
    smpArgs: ['-smp', '4'],
    package: 'qemu-system-arm',
  };
}

export const qemuVirtAarch64 = definePreset({
  name: 'qemu_virt_aarch64',
  description: 'QEMU virt (AArch64), seL4 in EL2 with hypervisor support, Cortex-A53, 2 GiB, 4 cores',
  arch: 'aarch64',
  plugins: () => archPlugins('aarch64'),
  imageType: 'binary',
  kernel: qemuVirtAarch64Kernel,
  configs: aarch64Configs,
  synthetic: qemuVirtAarch64Elfs,
  cpu: 'cortex-a53',
  qemu: qemuVirtAarch64Recipe('virt,virtualization=on'),
  boot:
    'qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -nographic -serial mon:stdio ' +
    '-device loader,file=loader.img,addr=0x70000000,cpu-num=0 -m size=2G (add -smp 4 for smp-* configs)',
});
