/**
 * An AArch64 virtual machine in the spec: a guest address space shared by
 * its vCPUs, and per vCPU a thread of its own (TCB, scheduling context,
 * empty CSpace, IPC buffer, VCpu object) that faults to the VMM PD and
 * starts suspended. The VMM gets the vCPU and TCB caps; the monitor gets the
 * TCB to name the thread.
 */
import { cnodeCap, cte, endpointCap, frameCap, plainCap } from '../../core/capdl/construct/builder.js';
import { mapping, type PdSpecContext } from '../../core/capdl/construct/hooks.js';
import {
  CAP_ADDRESS_BITS,
  FAULT_BADGE,
  PD_CAP_BITS,
  PdSlot,
  SCHED_CONTEXT_BADGE_BASE,
  SCHED_CONTEXT_SIZE_BITS,
  TcbSlot,
} from '../../core/capdl/construct/layout.js';

export function buildAarch64VirtualMachine(ctx: PdSpecContext): void {
  const vm = ctx.pd.virtualMachine;
  if (vm === undefined) return;
  const b = ctx.builder;
  const space = ctx.createAddressSpace(vm.name, ctx.vspaceGeometry);
  for (const map of vm.maps) {
    ctx.mapRegion(space, mapping(map));
  }
  const sched = vm.sched;
  if (sched === undefined) throw new Error('internal error: AArch64 VM without scheduling parameters');
  const endpoint = ctx.objects.endpoint;
  if (endpoint === undefined) throw new Error('internal error: VMM PD without an endpoint');
  const smallBits = ctx.kernel.objectSizes?.smallPage ?? 12;

  vm.vcpus.forEach((vcpu, index) => {
    const name = `${vm.name}_${vcpu.id}`;
    const cnode = b.cnode(name, PD_CAP_BITS);
    // Bound to the thread, never mapped: the vCPU thread has no user-level code.
    const ipc = b.frame(`ipcbuf_${name}`, smallBits, null);
    const sc = b.schedContext(name, SCHED_CONTEXT_SIZE_BITS, sched.period, sched.budget, SCHED_CONTEXT_BADGE_BASE + BigInt(index));
    const vcpuObj = b.vcpu(name);
    const tcb = b.add(`tcb_${name}`, {
      type: 'Tcb',
      // Upstream's (unsorted) order.
      slots: [
        cte(TcbSlot.VSpace, plainCap('PageTable', space.root)),
        cte(TcbSlot.CSpace, cnodeCap(cnode, 0n, CAP_ADDRESS_BITS - PD_CAP_BITS)),
        cte(TcbSlot.IpcBuffer, frameCap(ipc, true, true, false, true)),
        cte(TcbSlot.FaultEp, endpointCap(endpoint, FAULT_BADGE | vcpu.id)),
        cte(TcbSlot.SchedContext, plainCap('SchedContext', sc)),
        cte(TcbSlot.VCpu, plainCap('VCpu', vcpuObj)),
      ],
      extra: {
        ipcBufferAddr: 0n,
        affinity: BigInt(vcpu.cpu ?? ctx.pd.cpu),
        prio: sched.priority,
        maxPrio: sched.priority,
        fpuDisabled: false,
        // VMs start suspended until their VMM resumes them.
        resume: false,
        domain: null,
        ip: 0n,
        sp: 0n,
        gprs: [],
        masterFaultEp: null,
      },
    });
    ctx.addCap(PdSlot.BaseVcpu + Number(vcpu.id), plainCap('VCpu', vcpuObj));
    ctx.addCap(PdSlot.BaseVmTcb + Number(vcpu.id), plainCap('Tcb', tcb));
    ctx.addMonitorCap(ctx.nextMonitorVmTcbSlot(), plainCap('Tcb', tcb));
  });
}
