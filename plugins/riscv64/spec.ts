/** RISC-V in the spec: an Sv39 (or deeper) VSpace and RISC-V IRQ objects (no core targeting). */
import type { ArchSpecSupport } from '../../core/arch.js';

export const riscv64Spec: ArchSpecSupport = {
  vspace: (kernel) => ({
    levels: kernel.riscvPtLevels ?? 3,
    rootLevel: 0,
    pageBits: kernel.objectSizes?.smallPage ?? 12,
    indexBits: () => kernel.addressSpace.pageTableIndexBits,
    levelNames: ['pgd', 'pmd', 'pte'],
  }),
  irqObject(irq) {
    if (irq.kind.type !== 'conventional') throw new Error(`internal error: ${irq.kind.type} IRQ on RISC-V`);
    return { object: { type: 'RiscvIrq', slots: [], extra: { trigger: irq.kind.trigger === 'level' ? 0 : 1 } }, handlerCap: 'RiscvIrqHandler' };
  },
  vcpuThreads: true,
};
