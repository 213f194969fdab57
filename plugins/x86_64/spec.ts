/** x86-64 in the spec: a 4-level VSpace, IOAPIC and MSI IRQ objects, and VT-x VMs on the VMM's own thread. */
import type { ArchSpecSupport } from '../../core/arch.js';
import { plainCap } from '../../core/capdl/construct/builder.js';
import { mapping, type PdSpecContext } from '../../core/capdl/construct/hooks.js';
import { PdSlot, TcbSlot } from '../../core/capdl/construct/layout.js';
import { pageTableGeometry, type PageTableShape } from '../../core/capdl/construct/page-table-geometry.js';
import type { KernelConfig } from '../../core/kernel/config.js';

export function x86VSpace(kernel: KernelConfig, ept = false): PageTableShape {
  return {
    levels: 4,
    rootLevel: 0,
    pageBits: kernel.objectSizes?.smallPage ?? 12,
    indexBits: () => kernel.addressSpace.pageTableIndexBits,
    levelNames: ['pml4', 'pdpt', 'pd', 'pt'],
    ept,
  };
}

export const x86Spec: ArchSpecSupport = {
  vspace: (kernel) => x86VSpace(kernel),
  irqObject(irq) {
    const k = irq.kind;
    if (k.type === 'ioapic') {
      return {
        object: {
          type: 'IrqIOApic',
          slots: [],
          extra: { ioapic: k.ioapic, pin: k.pin, level: k.trigger === 'level' ? 1n : 0n, polarity: k.polarity === 'low' ? 1n : 0n },
        },
        handlerCap: 'IrqIOApicHandler',
      };
    }
    if (k.type === 'msi') {
      return {
        object: {
          type: 'IrqMsi',
          slots: [],
          extra: { handle: k.handle, pciBus: BigInt(k.pciDevice.bus), pciDev: BigInt(k.pciDevice.device), pciFunc: BigInt(k.pciDevice.function) },
        },
        handlerCap: 'IrqMsiHandler',
      };
    }
    throw new Error(`internal error: ${k.type} IRQ on x86`);
  },
  // A VT-x vCPU runs on the VMM PD's own thread.
  vcpuThreads: false,
};

/** The VM's EPT tree and its one vCPU, bound to the VMM PD's TCB. */
export function buildX86VirtualMachine(ctx: PdSpecContext): void {
  const vm = ctx.pd.virtualMachine;
  if (vm === undefined) return;
  const space = ctx.createAddressSpace(vm.name, pageTableGeometry(x86VSpace(ctx.kernel, true)), { ept: true });
  for (const map of vm.maps) {
    ctx.mapRegion(space, mapping(map));
  }
  const [vcpu] = vm.vcpus;
  const vcpuObj = ctx.builder.vcpu(`${vm.name}_${vcpu.id}`);
  ctx.bindToTcb(TcbSlot.VCpu, plainCap('VCpu', vcpuObj));
  ctx.addCap(PdSlot.BaseVcpu + Number(vcpu.id), plainCap('VCpu', vcpuObj));
  ctx.bindToTcb(TcbSlot.X86EptPml4, plainCap('PageTable', space.root));
}
