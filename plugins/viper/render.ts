/**
 * Viper views (`--viper-output DIR`): for every PD, what the PD's world looks
 * like as Viper `define` macros, for verifying the PD's code against its
 * system description. The content follows upstream's viper.rs exactly:
 *
 * 1. `// exported invariants for PD <pd> in <sdf as given>`
 * 2. SDF facts: channel ids sorted by role, IRQ channel ids, child ids —
 *    in SDF order, neither sorted nor deduplicated;
 * 3. cap facts: the occupied slots of the PD's microkit CNode (`cnode_<pd>`)
 *    in the capDL spec, grouped by cap kind — sorted and deduplicated;
 * 4. memory facts: one `mem_<mr>_contains` range per mapping of the PD, in
 *    memory-region order, then the readable and writeable disjunctions.
 *
 * Every predicate `P` comes with a wrapper `f_P(heap,gv,x)`.
 */
import type { Cap, Spec } from '../../core/capdl/spec.js';
import { PERM_WRITE, type ChannelEnd, type SystemDescription } from '../../core/sdf/model.js';

const U64_MASK = (1n << 64n) - 1n;

/** `define P(x) (...)` plus its `f_P` wrapper; an empty set is `(false)`. */
function defineSet(name: string, values: readonly bigint[]): string {
  const body = values.length === 0 ? 'false' : `x in Set(${values.join(',')})`;
  return `define ${name}(x) (${body})\ndefine f_${name}(heap,gv,x) (${name}(x))\n`;
}

// ---------------------------------------------------------------------------
// The SDF view
// ---------------------------------------------------------------------------

/** The system from one PD's side: channel ids (local ends) by role, IRQ ids, child ids. */
export interface SdfView {
  /** Every local channel end id (computed as upstream does, not exported). */
  readonly channelEnds: bigint[];
  /** Channels whose other end may PPC into this PD (other end `pp`, lower priority). */
  readonly protectedSources: bigint[];
  /** Channels this PD may PPC through (own end `pp`, other end has higher priority). */
  readonly ppcallTargets: bigint[];
  /** IRQ ids, then channels whose other end may notify this PD. */
  readonly notifiedSources: bigint[];
  /** Channels this PD may notify through (own end `notify`). */
  readonly notifyTargets: bigint[];
  readonly irqs: bigint[];
  /** Child ids of this PD's direct children, in PD order. */
  readonly children: bigint[];
}

export function sdfView(system: SystemDescription, pdIndex: number): SdfView {
  const pd = system.protectionDomains[pdIndex];
  const view: SdfView = {
    channelEnds: [],
    protectedSources: [],
    ppcallTargets: [],
    notifiedSources: [],
    notifyTargets: [],
    irqs: [],
    children: [],
  };
  for (const irq of pd.irqs) {
    view.notifiedSources.push(irq.id);
    view.irqs.push(irq.id);
  }
  for (const channel of system.channels) {
    let local: ChannelEnd;
    let remote: ChannelEnd;
    if (channel.a.pd === pdIndex) [local, remote] = [channel.a, channel.b];
    else if (channel.b.pd === pdIndex) [local, remote] = [channel.b, channel.a];
    else continue;
    view.channelEnds.push(local.id);
    const localPriority = pd.priority;
    const remotePriority = system.protectionDomains[remote.pd].priority;
    if (local.pp && localPriority < remotePriority) view.ppcallTargets.push(local.id);
    if (remote.pp && remotePriority < localPriority) view.protectedSources.push(local.id);
    if (remote.notify) view.notifiedSources.push(local.id);
    if (local.notify) view.notifyTargets.push(local.id);
  }
  for (const other of system.protectionDomains) {
    if (other.parent === pdIndex && other.childId !== undefined) view.children.push(other.childId);
  }
  return view;
}

function renderSdfView(view: SdfView): string {
  return (
    defineSet('mk_is_protected_source', view.protectedSources) +
    defineSet('mk_is_ppcall_target', view.ppcallTargets) +
    defineSet('mk_is_notified_source', view.notifiedSources) +
    defineSet('mk_is_notify_target', view.notifyTargets) +
    defineSet('mk_is_irq_channel', view.irqs) +
    defineSet('mk_is_child', view.children)
  );
}

// ---------------------------------------------------------------------------
// The cap view
// ---------------------------------------------------------------------------

/** Slots of the PD's microkit CNode, all of them and by cap kind; each list sorted, without duplicates. */
export interface CapView {
  readonly occupied: bigint[];
  readonly endpoint: bigint[];
  readonly notification: bigint[];
  readonly reply: bigint[];
  readonly pageTable: bigint[];
  readonly irqHandler: bigint[];
  readonly tcb: bigint[];
  readonly vcpu: bigint[];
  readonly ioport: bigint[];
  readonly armSmc: bigint[];
}

type CapGroup = Exclude<keyof CapView, 'occupied'>;

/** The group a cap kind is listed under; kinds Viper has no use for are only counted as occupied. */
function capGroup(cap: Cap): CapGroup | undefined {
  switch (cap.type) {
    case 'Endpoint':
      return 'endpoint';
    case 'Notification':
      return 'notification';
    case 'Reply':
      return 'reply';
    case 'PageTable':
      return 'pageTable';
    case 'ArmIrqHandler':
    case 'IrqHandler':
    case 'IrqIOApicHandler':
    case 'IrqMsiHandler':
    case 'RiscvIrqHandler':
      return 'irqHandler';
    case 'Tcb':
      return 'tcb';
    case 'VCpu':
      return 'vcpu';
    case 'IOPorts':
      return 'ioport';
    case 'ArmSmc':
      return 'armSmc';
    case 'AsidPool':
    case 'CNode':
    case 'DomainSet':
    case 'Frame':
    case 'SchedContext':
    case 'IOSpace':
    case 'IOPageTable':
    case 'Untyped':
      return undefined;
    default: {
      const unhandled: never = cap;
      return unhandled;
    }
  }
}

function sortedUnique(values: bigint[]): bigint[] {
  const sorted = [...new Set(values)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  values.splice(0, values.length, ...sorted);
  return values;
}

/**
 * The cap view of the PD's microkit CNode: the first spec object named
 * `cnode_<pd>`. Undefined (upstream: no view, so no file for the PD) when
 * there is no such object or it is not a CNode.
 */
export function capView(spec: Spec, pdName: string): CapView | undefined {
  const name = `cnode_${pdName}`;
  const id = spec.objects.find(name);
  const named = id === undefined ? undefined : spec.objects.get(id);
  if (named === undefined || named.object.type !== 'CNode') return undefined;
  const view: CapView = {
    occupied: [],
    endpoint: [],
    notification: [],
    reply: [],
    pageTable: [],
    irqHandler: [],
    tcb: [],
    vcpu: [],
    ioport: [],
    armSmc: [],
  };
  for (const entry of named.object.slots) {
    const slot = BigInt(entry.slot);
    view.occupied.push(slot);
    const group = capGroup(entry.cap);
    if (group !== undefined) view[group].push(slot);
  }
  for (const list of Object.values(view)) sortedUnique(list);
  return view;
}

function renderCapView(view: CapView): string {
  return (
    defineSet('pansel4_has_cap', view.occupied) +
    defineSet('pansel4_has_endpoint_cap', view.endpoint) +
    defineSet('pansel4_has_notification_cap', view.notification) +
    defineSet('pansel4_has_reply_cap', view.reply) +
    defineSet('pansel4_has_page_table_cap', view.pageTable) +
    defineSet('pansel4_has_irq_handler_cap', view.irqHandler) +
    defineSet('pansel4_has_tcb_cap', view.tcb) +
    defineSet('pansel4_has_vcpu_cap', view.vcpu) +
    defineSet('pansel4_has_ioport_cap', view.ioport) +
    defineSet('pansel4_has_arm_smc_cap', view.armSmc)
  );
}

// ---------------------------------------------------------------------------
// The memory view
// ---------------------------------------------------------------------------

/** One mapping of a memory region: virtual addresses `[start, end)`. */
export interface MemRange {
  readonly mr: string;
  readonly start: bigint;
  readonly end: bigint;
}

export interface MemView {
  /** Every mapping (whatever its perms). */
  readonly readable: MemRange[];
  /** The mappings with write permission. */
  readonly writeable: MemRange[];
}

/** The PD's mappings, memory region by memory region (SDF order), each region's mappings in the PD's order. */
export function memView(system: SystemDescription, pdIndex: number): MemView {
  const pd = system.protectionDomains[pdIndex];
  const view: MemView = { readable: [], writeable: [] };
  for (const mr of system.memoryRegions) {
    for (const map of pd.maps) {
      if (map.mr !== mr.name) continue;
      const start = map.vaddr;
      // Upstream adds in wrapping u64 arithmetic and skips a mapping that wraps.
      const end = (start + mr.size) & U64_MASK;
      if (end < start) continue;
      const range: MemRange = { mr: mr.name, start, end };
      view.readable.push(range);
      if ((map.perms & PERM_WRITE) !== 0) view.writeable.push(range);
    }
  }
  return view;
}

function defineMemSet(perm: string, ranges: readonly MemRange[]): string {
  const body = ranges.length === 0 ? 'false' : ranges.map((r) => `mem_${r.mr}_contains(x)`).join(' || ');
  return `define mem_${perm}(x) (${body})\ndefine f_mem_${perm}(heap,gv,x) (mem_${perm}(x))\n`;
}

function renderMemView(view: MemView): string {
  let text = '';
  for (const r of view.readable) text += `define mem_${r.mr}_contains(x) (${r.start} <= x && x < ${r.end})\n`;
  return text + defineMemSet('readable', view.readable) + defineMemSet('writeable', view.writeable);
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

export interface ViperFile {
  readonly pd: string;
  readonly text: string;
}

/**
 * One file per PD, in PD order, for PDs whose microkit CNode is in the spec.
 * `sdfFile` is the system description as the user named it.
 */
export function renderViperViews(system: SystemDescription, spec: Spec, sdfFile: string): ViperFile[] {
  const files: ViperFile[] = [];
  system.protectionDomains.forEach((pd, index) => {
    const caps = capView(spec, pd.name);
    if (caps === undefined) return;
    const text =
      `// exported invariants for PD ${pd.name} in ${sdfFile}\n` +
      renderSdfView(sdfView(system, index)) +
      renderCapView(caps) +
      renderMemView(memView(system, index));
    files.push({ pd: pd.name, text });
  });
  return files;
}
