/**
 * QEMU virt, AArch64, seL4 in EL1 (`KernelArmHypervisorSupport=OFF`): no
 * virtual machines, usable under KVM. Otherwise qemu_virt_aarch64: 4-level
 * VSpaces from level 0 (9-bit root, 48-bit user top), the kernel in the EL1
 * window, and a device map in which the GIC's hypervisor control page
 * (0x8030000, which an EL2 kernel keeps for itself) is a user device.
 */
import { definePreset } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { aarch64Kernel } from '../families/aarch64.js';
import { qemuVirtAarch64Elfs, qemuVirtAarch64KernelFacts, qemuVirtAarch64Recipe } from './qemu_virt_aarch64.js';

/** The AArch64 family's kernel without the hypervisor, with the EL1 device map. */
export const qemuVirtAarch64El1Kernel: SdkKernelFiles = aarch64Kernel({
  ...qemuVirtAarch64KernelFacts,
  hypervisor: false,
  devices: [
    { start: 0x0, end: 0x800_0000 },
    { start: 0x800_1000, end: 0x801_0000 },
    { start: 0x801_1000, end: 0x4000_0000 },
    { start: 0xc000_0000, end: 0x100_0000_0000 },
  ],
  memory: [{ start: 0x4000_0000, end: 0xc000_0000 }],
});

const elfs: StubElfFacts = { ...qemuVirtAarch64Elfs, kernelVaddr: 0xffff_ffff_c000_0000n };

export const qemuVirtAarch64El1 = definePreset({
  name: 'qemu_virt_aarch64_el1',
  extends: 'qemu_virt_aarch64',
  description: 'QEMU virt (AArch64), seL4 in EL1 (no hypervisor, no virtual machines), Cortex-A53, 2 GiB, 4 cores',
  kernel: qemuVirtAarch64El1Kernel,
  synthetic: elfs,
  // Microkit manual, QEMU virt (AArch64) in EL1: as qemu_virt_aarch64 without virtualization=on.
  qemu: qemuVirtAarch64Recipe('virt'),
  boot:
    'qemu-system-aarch64 -machine virt -cpu cortex-a53 -nographic -serial mon:stdio ' +
    '-device loader,file=loader.img,addr=0x70000000,cpu-num=0 -m size=2G (add -smp 4 for smp-* configs)',
});
