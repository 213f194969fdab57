/**
 * VT-x virtual machines: a VM's single vCPU runs on the VMM PD's own thread,
 * so the VMM can have no children and nothing may PPC into it (the kernel's
 * VMEnter only looks at the bound notification).
 */
import type { VirtualMachineSupport } from '../../core/arch.js';
import { sdfErrorAt, sdfErrorColon } from '../../core/sdf/errors.js';
import type { SystemDescription } from '../../core/sdf/model.js';

export const x86VirtualMachines: VirtualMachineSupport = {
  attributes: ['name'],
  checkVmm(pd) {
    if (pd.children.length > 0) {
      throw sdfErrorColon('SDF_X86_VMM_CHILDREN', `It is not possible for PD '${pd.name}' with a bound vCPU to have children on x86_64`, pd.location);
    }
  },
  checkChannel(ch, system) {
    const a = system.protectionDomains[ch.a.pd];
    const b = system.protectionDomains[ch.b.pd];
    if ((ch.a.pp && b.virtualMachine) || (ch.b.pp && a.virtualMachine)) {
      const [caller, callee] = ch.a.pp ? [a, b] : [b, a];
      // Upstream locates this at end a's PD whichever end calls.
      throw sdfErrorAt(
        'SDF_X86_PPC_INTO_VMM',
        `It is not possible to PPC to PD '${callee.name}' with a bound vCPU from PD '${caller.name}' on x86_64`,
        a.location,
      );
    }
  },
};

/** Upstream asserts (crashes) on this; we report it. */
export function checkSingleVcpu(system: SystemDescription): void {
  for (const pd of system.protectionDomains) {
    const vm = pd.virtualMachine;
    if (vm && vm.vcpus.length !== 1) {
      throw sdfErrorAt(
        'SDF_X86_VM_VCPUS',
        `virtual machine '${vm.name}' has ${vm.vcpus.length} vCPUs but x86-64 virtual machines have exactly one`,
        vm.location,
      );
    }
  }
}
