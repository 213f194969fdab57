/**
 * QEMU virt, RISC-V 64-bit: Sv39, 2 GiB RAM (the kernel's image starts the
 * memory map at 0x80200000, above OpenSBI), 4 SMP cores. Kernel facts are
 * the project's shared SDK's (build_sdk.py options `qemu-riscv-virt`,
 * `QEMU_MEMORY=2048`).
 */
import { definePreset } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { riscv64BoardConfigs, riscv64Kernel } from '../families/riscv64.js';
import { archPlugins } from '../plugins.js';

/** The release files; configs overlay them: the RISC-V family's, with this machine's memory map. */
export const qemuVirtRiscv64Kernel: SdkKernelFiles = riscv64Kernel({
  platform: 'qemu-riscv-virt',
  devices: [
    { start: 0x0, end: 0x200_0000 },
    { start: 0x201_0000, end: 0xc00_0000 },
    { start: 0x1000_0000, end: 0x8020_0000 },
    { start: 0x1_0000_0000, end: 0x80_0000_0000 },
  ],
  memory: [{ start: 0x8020_0000, end: 0x1_0000_0000 }],
});

/** build_sdk.py's config options on RISC-V (no HardwareDebugAPI, no PMU export), 4 SMP cores. */
export const riscv64Configs = riscv64BoardConfigs(4);

/** Read off the SDK's stub ELFs: kernel at 0x80200000 (window 0xffffffff80200000), loader at 0x90000000. */
export const qemuVirtRiscv64Elfs: StubElfFacts = {
  kernelPaddr: 0x8020_0000n,
  kernelVaddr: 0xffff_ffff_8020_0000n,
  kernelSize: 0x3_6000n,
  kernelBootSize: 0x5000n,
  loaderLinkAddress: 0x9000_0000n,
  machine: 243, // EM_RISCV
  initialiserLinkAddress: 0x1_0000n,
};

export const qemuVirtRiscv64 = definePreset({
  name: 'qemu_virt_riscv64',
  description: 'QEMU virt (RISC-V 64-bit), Sv39, 2 GiB, 4 cores',
  arch: 'riscv64',
  plugins: () => archPlugins('riscv64'),
  imageType: 'uimage',
  kernel: qemuVirtRiscv64Kernel,
  configs: riscv64Configs,
  synthetic: qemuVirtRiscv64Elfs,
  cpu: 'rv64',
  // Microkit manual, QEMU virt (RISC-V 64-bit): QEMU's own OpenSBI starts the image given as -kernel.
  qemu: {
    program: 'qemu-system-riscv64',
    args: ['-machine', 'virt', '-nographic', '-serial', 'mon:stdio', '-kernel', '{image}', '-m', 'size=2G'],
    smpArgs: ['-smp', '4'],
    package: 'qemu-system-misc',
  },
  boot: 'qemu-system-riscv64 -machine virt -nographic -serial mon:stdio -kernel loader.img -m size=2G (add -smp 4 for smp-* configs)',
});
