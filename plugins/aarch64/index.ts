/**
 * The AArch64 architecture: conventional IRQs (with the target core in the
 * spec), virtual machines with their own scheduling parameters (ARM
 * hypervisor), no IOMMU device identifiers.
 */
import { unsupportedIommu, type ArchSupport } from '../../core/arch.js';
import { definePlugin } from '../../core/plugin.js';
import { parseConventionalIrq } from '../../core/sdf/parse/conventional-irq.js';
import { parseVmSchedParams } from './vm.js';

export const AARCH64_DISPLAY_NAME = 'AArch64';

export const aarch64Support: ArchSupport = {
  name: 'aarch64',
  displayName: AARCH64_DISPLAY_NAME,
  iommu: unsupportedIommu(AARCH64_DISPLAY_NAME),
  vm: { attributes: ['name', 'budget', 'period', 'priority'], parseSchedParams: parseVmSchedParams },
};

export const aarch64 = definePlugin(() => ({
  name: 'aarch64',
  apply(pipeline) {
    pipeline.registerArch(aarch64Support);
    pipeline.sdf.irqForm('irq', 10, parseConventionalIrq);
  },
}));
