/**
 * The x86-64 architecture: IOAPIC and MSI IRQs, VT-x virtual machines, PCI
 * device identifiers for VT-d, and the rule that the tool cannot choose
 * physical addresses (no memory map is known before boot).
 */
import type { ArchSupport } from '../../core/arch.js';
import { definePlugin } from '../../core/plugin.js';
import { regionsNeedingPaddr, memoryRegionError, VALIDATE_STAGES } from '../../core/sdf/validate/system-checks.js';
import { parseIoapicIrq, parseMsiIrq, writeIoapicIrq, writeMsiIrq } from './irq.js';
import { formatPciDevice, parsePciDevice } from './pci.js';
import { checkSingleVcpu, x86VirtualMachines } from './vm.js';
import { buildX86VirtualMachine, x86Spec } from './spec.js';

export const X86_64_DISPLAY_NAME = 'x86-64';

export const x86_64Support: ArchSupport = {
  name: 'x86_64',
  displayName: X86_64_DISPLAY_NAME,
  iommu: {
    domainIds: true,
    parseDeviceId(text) {
      const r = parsePciDevice(text);
      if (!r.ok) return r;
      const { bus, device, function: fn } = r.device;
      const display = `PCI device ${formatPciDevice(r.device)}`;
      return { ok: true, id: { kind: 'pci', key: display, display, fields: { bus, device, function: fn } } };
    },
    formatDeviceId(id) {
      const { bus, device, function: fn } = id.fields;
      return `${bus.toString(16)}:${device.toString(16)}.${fn.toString(16)}`;
    },
  },
  vm: x86VirtualMachines,
  spec: x86Spec,
};

export const x86_64 = definePlugin(() => ({
  name: 'x86_64',
  apply(pipeline) {
    pipeline.registerArch(x86_64Support);
    pipeline.sdf.irqForm('pin', 20, parseIoapicIrq);
    pipeline.sdf.irqForm('pcidev', 30, parseMsiIrq);
    pipeline.sdf.irqWriter('ioapic', writeIoapicIrq);
    pipeline.sdf.irqWriter('msi', writeMsiIrq);
    pipeline.hooks.validate.tap({ name: 'x86_64/region-paddr', stage: VALIDATE_STAGES.REGION_PADDRS - 10 }, (system) => {
      const [first] = regionsNeedingPaddr(system);
      if (first) {
        throw memoryRegionError('SDF_X86_REGION_PADDR', "setvar with 'region_paddr' for MR without a specified paddr is unsupported on x86-64", first);
      }
    });
    pipeline.spec.protectionDomain.tap('x86_64/virtual-machine', buildX86VirtualMachine);
    pipeline.hooks.validate.tap({ name: 'x86_64/vcpus', stage: VALIDATE_STAGES.REGION_PADDRS + 100 }, (system) => checkSingleVcpu(system));
  },
}));
