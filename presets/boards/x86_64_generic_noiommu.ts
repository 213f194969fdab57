/**
 * Generic x86-64 with the IOMMU off. Not an upstream board: it exists to
 * cover the IOMMU-off path (no `<io_address_space>`, IO page tables unused).
 */
import { definePreset } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import { X86_QEMU_BASE, x86Qemu, x86_64GenericKernel } from './x86_64_generic.js';

export const x86_64GenericNoIommuKernel: SdkKernelFiles = {
  ...x86_64GenericKernel,
  genConfig: { ...x86_64GenericKernel.genConfig, IOMMU: false },
};

export const x86_64GenericNoIommu = definePreset({
  name: 'x86_64_generic_noiommu',
  extends: 'x86_64_generic',
  description: 'Generic x86-64 (pc99) with the IOMMU off, no VT-x, 16 cores (not an upstream board: covers the IOMMU-off path)',
  kernel: x86_64GenericNoIommuKernel,
  qemu: x86Qemu([]),
  boot: `${X86_QEMU_BASE} -kernel sel4_32.elf -initrd loader.img`,
});
