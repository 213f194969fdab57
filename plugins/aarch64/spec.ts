/** AArch64 in the spec: VSpace shape, ARM IRQ objects (targeted at the PD's core), VMs with their own threads. */
import type { ArchSpecSupport } from '../../core/arch.js';
import type { KernelConfig } from '../../core/kernel/config.js';
import type { PageTableShape } from '../../core/capdl/construct/page-table-geometry.js';

/**
 * Four levels (pgd, pud, pd, pt). With the hypervisor and a 40-bit physical
 * address space the kernel uses stage-2 tables that start at level 1 with a
 * 10-bit root (vspace_index_bits).
 */
export function aarch64VSpace(kernel: KernelConfig): PageTableShape {
  const rootLevel = kernel.hypervisor && kernel.armPaSizeBits === 40 ? 1 : 0;
  const { pageTableIndexBits, vspaceIndexBits } = kernel.addressSpace;
  return {
    levels: 4,
    rootLevel,
    pageBits: kernel.objectSizes?.smallPage ?? 12,
    indexBits: (level) => (level === rootLevel ? (vspaceIndexBits ?? pageTableIndexBits) : pageTableIndexBits),
    levelNames: ['pgd', 'pud', 'pd', 'pt'],
  };
}

export const aarch64Spec: ArchSpecSupport = {
  vspace: aarch64VSpace,
  irqObject(irq, pd) {
    if (irq.kind.type !== 'conventional') throw new Error(`internal error: ${irq.kind.type} IRQ on AArch64`);
    return {
      object: { type: 'ArmIrq', slots: [], extra: { trigger: irq.kind.trigger === 'level' ? 0 : 1, target: BigInt(pd.cpu) } },
      handlerCap: 'ArmIrqHandler',
    };
  },
  vcpuThreads: true,
};
