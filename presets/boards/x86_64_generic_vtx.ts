/** Generic x86-64 with VT-x (`KernelVTX=ON`, 64-bit guests) and the IOMMU on. */
import { definePreset } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import { X86_QEMU_BASE, x86_64GenericKernel } from './x86_64_generic.js';

export const x86_64GenericVtxKernel: SdkKernelFiles = {
  ...x86_64GenericKernel,
  genConfig: { ...x86_64GenericKernel.genConfig, VTX: true, X86_64_VTX_64BIT_GUESTS: true },
};

export const x86_64GenericVtx = definePreset({
  name: 'x86_64_generic_vtx',
  extends: 'x86_64_generic',
  description: 'Generic x86-64 (pc99) with VT-x (64-bit guests) and the IOMMU (VT-d) on, 16 cores',
  kernel: x86_64GenericVtxKernel,
  // QEMU's TCG has no VT-x: no QEMU recipe (`microkit run` says so).
  qemu: undefined,
  unknown: { 'QEMU machine': "QEMU's TCG emulates no VT-x; under KVM with nested virtualisation the x86_64_generic command may work" },
  boot:
    `${X86_QEMU_BASE} -machine q35 -device intel-iommu,intremap=off,aw-bits=39 -kernel sel4_32.elf -initrd loader.img ` +
    '(needs a CPU or emulator with VT-x, e.g. KVM with nested virtualisation)',
});
