/**
 * The AArch64 architecture: conventional IRQs (targeted at the PD's core),
 * virtual machines with their own threads and scheduling parameters (ARM
 * hypervisor), the VSpace shape, no IOMMU device identifiers.
 */
import { unsupportedIommu, type ArchSupport } from '../../core/arch.js';
import { definePlugin } from '../../core/plugin.js';
import { aarch64LoaderSupport } from './loader.js';
import { aarch64BootArch } from '../../core/boot/arch-facts.js';
import { parseConventionalIrq } from '../../core/sdf/parse/conventional-irq.js';
import { aarch64Spec } from './spec.js';
import { parseVmSchedParams } from './vm.js';
import { buildAarch64VirtualMachine } from './vm-spec.js';

export const AARCH64_DISPLAY_NAME = 'AArch64';

export const aarch64Support: ArchSupport = {
  name: 'aarch64',
  displayName: AARCH64_DISPLAY_NAME,
  iommu: unsupportedIommu(AARCH64_DISPLAY_NAME),
  vm: { attributes: ['name', 'budget', 'period', 'priority'], parseSchedParams: parseVmSchedParams },
  spec: aarch64Spec,
  boot: (kernel) => aarch64BootArch(kernel.hypervisor, kernel.armPaSizeBits),
  loader: aarch64LoaderSupport,
};

export const aarch64 = definePlugin(() => ({
  name: 'aarch64',
  apply(pipeline) {
    pipeline.registerArch(aarch64Support);
    pipeline.sdf.irqForm('irq', 10, parseConventionalIrq);
    pipeline.spec.protectionDomain.tap('aarch64/virtual-machine', buildAarch64VirtualMachine);
  },
}));
