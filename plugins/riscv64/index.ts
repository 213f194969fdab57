/**
 * The RISC-V 64-bit architecture (Sv39): conventional IRQs without core
 * targeting, no virtual machines, no IOMMU device identifiers.
 */
import { unsupportedIommu, type ArchSupport } from '../../core/arch.js';
import { definePlugin } from '../../core/plugin.js';
import { riscv64LoaderSupport } from './loader.js';
import { RISCV64_SV39_BOOT_ARCH } from '../../core/boot/arch-facts.js';
import { parseConventionalIrq } from '../../core/sdf/parse/conventional-irq.js';
import { riscv64Spec } from './spec.js';

export const RISCV64_DISPLAY_NAME = 'RISC-V (64-bit)';

export const riscv64Support: ArchSupport = {
  name: 'riscv64',
  displayName: RISCV64_DISPLAY_NAME,
  iommu: unsupportedIommu(RISCV64_DISPLAY_NAME),
  spec: riscv64Spec,
  boot: () => RISCV64_SV39_BOOT_ARCH,
  loader: riscv64LoaderSupport,
};

export const riscv64 = definePlugin(() => ({
  name: 'riscv64',
  apply(pipeline) {
    pipeline.registerArch(riscv64Support);
    pipeline.sdf.irqForm('irq', 10, parseConventionalIrq);
  },
}));
