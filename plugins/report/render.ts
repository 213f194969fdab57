/**
 * report.txt: the human-readable summary of a built system, byte for byte as
 * upstream's `report.rs` writes it (it is explicitly "not machine readable",
 * but users diff it between tool versions, so we keep it identical).
 *
 * Sections, in order, each introduced by a `# ` header line:
 * - `Initial Task (CapDL Initialiser) Details`: header only.
 * - `IRQ Details`: every `spec.irqs` entry with its handler object's name and
 *   the architecture's details (ARM: number, trigger, target CPU; RISC-V:
 *   number, trigger; x86 MSI: vector, PCI bus/device/function, handle; x86
 *   IOAPIC: vector, IOAPIC, pin, trigger, polarity).
 * - `TCB Details`: every TCB in object order with IP, SP, IPC buffer,
 *   priority, affinity and the objects bound in its TCB slots.
 * - `CNode Details`: every CNode's occupied slots with the target object,
 *   rights and badge where the cap has them.
 * - `Architecture Specific Details`: AArch64 notes SMC access; x86 lists the
 *   I/O port ranges; RISC-V has nothing.
 * - `Kernel Objects Details`: every object that takes physical memory, with
 *   its final id, type and name, plus (not on x86, where memory is only known
 *   at boot) the physical address the allocation simulation predicts for it.
 *
 * Indentation is literal tabs; every section but the first is preceded by a
 * blank line, and every IRQ, TCB and CNode block is followed by one.
 */

import type { ArchName, ObjectSizes } from '../../core/kernel/config.js';
import { physicalSizeBits } from '../../core/capdl/object-sizes.js';
import { getRootObject } from '../../core/capdl/spec.js';
import type { Cap, CapdlObject, ObjectId, ObjectType, Rights, Spec } from '../../core/capdl/spec.js';

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

export interface ReportOptions {
  readonly arch: ArchName;
  /** Kernel object sizes: decide which objects take memory and name frame sizes. */
  readonly objectSizes: ObjectSizes;
  /**
   * Physical address of each object (by final id) from the allocation
   * simulation; ignored on x86. Objects missing here are printed with
   * upstream's "cannot be allocated" marker.
   */
  readonly paddrs?: ReadonlyMap<ObjectId, bigint>;
}

// ---------------------------------------------------------------------------
// Texts
// ---------------------------------------------------------------------------

/** Names for the TCB slots the initialiser binds (the rust-sel4 cap table layout). */
const TCB_BOUND_SLOT_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'CSpace'],
  [1, 'VSpace'],
  [4, 'IPC Buffer'],
  [5, 'Fault Endpoint'],
  [6, 'Scheduling Context'],
  [8, 'Notification'],
  [9, 'VCpu'],
  [10, 'x86 EPT PML4'],
]);

const NOT_ALLOCATED = '<Cannot be allocated/Previous fatal error>';

function fail(what: string): never {
  throw new Error(`report: ${what}`);
}

/** The type column of the object list (upstream's `capdl_obj_human_name`). */
export function objectHumanName(object: CapdlObject, sizes: ObjectSizes): string {
  switch (object.type) {
    case 'Endpoint':
      return 'Endpoint';
    case 'Notification':
      return 'Notification';
    case 'CNode':
      return 'CNode';
    case 'Tcb':
      return 'TCB';
    case 'VCpu':
      return 'VCPU';
    case 'Frame':
      if (object.sizeBits === sizes.smallPage) return 'Page(4 KiB)';
      if (object.sizeBits === sizes.largePage) return 'Page(2 MiB)';
      return fail(`unknown frame size bits ${object.sizeBits}`);
    case 'PageTable':
      return 'PageTable';
    case 'AsidPool':
      return 'AsidPool';
    case 'IOSpace':
      return 'x86 IOSpace';
    case 'IOPageTable':
      return 'x86 IOPageTable';
    case 'ArmIrq':
      return 'ARM IRQ';
    case 'IrqMsi':
      return 'x86 MSI IRQ';
    case 'IrqIOApic':
      return 'x86 IOAPIC IRQ';
    case 'RiscvIrq':
      return 'RISC-V IRQ';
    case 'IOPorts':
      return 'x86 I/O Ports';
    case 'SchedContext':
      return 'SchedContext';
    case 'Reply':
      return 'Reply';
    case 'ArmSmc':
      return 'ARM SMC';
    case 'Untyped':
      return 'Untyped';
    case 'Irq':
      return 'IRQ';
    case 'DomainSet':
      return 'DomainSet';
  }
}

/** "Read, Write, Grant, Grant Reply" for the rights that are set (empty if none). */
export function rightsHumanName(rights: Rights): string {
  const parts: string[] = [];
  if (rights.read) parts.push('Read');
  if (rights.write) parts.push('Write');
  if (rights.grant) parts.push('Grant');
  if (rights.grantReply) parts.push('Grant Reply');
  return parts.join(', ');
}

// ARM and RISC-V encode the trigger as 0 = level, 1 = edge; the x86 IOAPIC
// `level` field is the opposite (1 = level), and polarity 0 = high.
function armRiscvTrigger(trigger: number): string {
  if (trigger === 0) return 'level';
  if (trigger === 1) return 'edge';
  return fail(`unknown ARM/RISC-V IRQ trigger ${trigger.toString(16)}`);
}

function ioapicTrigger(level: bigint): string {
  if (level === 0n) return 'edge';
  if (level === 1n) return 'level';
  return fail(`unknown x86 IOAPIC IRQ trigger ${level.toString(16)}`);
}

function ioapicPolarity(polarity: bigint): string {
  if (polarity === 0n) return 'high-triggered';
  if (polarity === 1n) return 'low-triggered';
  return fail(`unknown x86 IOAPIC IRQ polarity ${polarity.toString(16)}`);
}

function hex(n: bigint): string {
  return '0x' + n.toString(16);
}

function capRights(cap: Cap): Rights | null {
  return cap.type === 'Endpoint' || cap.type === 'Notification' || cap.type === 'Frame' ? cap.rights : null;
}

function capBadge(cap: Cap): bigint | null {
  return cap.type === 'Endpoint' || cap.type === 'Notification' ? cap.badge : null;
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

function irqSection(spec: Spec, out: ReportSink): void {
  out.push('\n# IRQ Details\n');
  for (const irq of spec.irqs) {
    const handler = getRootObject(spec, irq.handler);
    out.push(`\t- IRQ: '${handler.name}'\n`);
    const object = handler.object;
    switch (object.type) {
      case 'ArmIrq':
        out.push(`\t\t* Number: ${irq.irq}\n`);
        out.push(`\t\t* Trigger: ${armRiscvTrigger(object.extra.trigger)}\n`);
        out.push(`\t\t* CPU: ${object.extra.target}\n`);
        break;
      case 'RiscvIrq':
        out.push(`\t\t* Number: ${irq.irq}\n`);
        out.push(`\t\t* Trigger: ${armRiscvTrigger(object.extra.trigger)}\n`);
        break;
      case 'IrqMsi':
        out.push(`\t\t* Vector: ${irq.irq}\n`);
        out.push(`\t\t* PCI Bus: ${object.extra.pciBus}\n`);
        out.push(`\t\t* PCI Device: ${object.extra.pciDev}\n`);
        out.push(`\t\t* PCI Function: ${object.extra.pciFunc}\n`);
        out.push(`\t\t* Handle: ${object.extra.handle}\n`);
        break;
      case 'IrqIOApic':
        out.push(`\t\t* Vector: ${irq.irq}\n`);
        out.push(`\t\t* IOAPIC: ${object.extra.ioapic}\n`);
        out.push(`\t\t* Pin: ${object.extra.pin}\n`);
        out.push(`\t\t* Trigger: ${ioapicTrigger(object.extra.level)}\n`);
        out.push(`\t\t* Polarity: ${ioapicPolarity(object.extra.polarity)}\n`);
        break;
      default:
        fail(`IRQ handler '${handler.name}' is a ${object.type}, not an IRQ object`);
    }
    out.push('\n');
  }
}

function tcbSection(spec: Spec, out: ReportSink): void {
  out.push('\n# TCB Details\n');
  for (let id = 0; id < spec.objects.length; id++) {
    if (spec.objects.type(id) !== 'Tcb') continue;
    const named = spec.objects.get(id);
    const tcb = named.object;
    if (tcb.type !== 'Tcb') continue;
    const x = tcb.extra;
    out.push(`\t- TCB: '${named.name}'\n`);
    out.push(`\t\t* IP: ${hex(x.ip)}\n`);
    out.push(`\t\t* SP: ${hex(x.sp)}\n`);
    out.push(`\t\t* IPC Buffer: ${hex(x.ipcBufferAddr)}\n`);
    out.push(`\t\t* Priority: ${x.prio}\n`);
    out.push(`\t\t* CPU Affinity: ${x.affinity}\n`);
    out.push('\t\t* Bound Objects:\n');
    for (const entry of tcb.slots) {
      const label = TCB_BOUND_SLOT_NAMES.get(entry.slot) ?? fail(`unknown TCB slot ${entry.slot} in '${named.name}'`);
      out.push(`\t\t\t-> ${label}: '${getRootObject(spec, entry.cap.object).name}'\n`);
    }
    out.push('\n');
  }
}

function cnodeSection(spec: Spec, out: ReportSink): void {
  out.push('\n# CNode Details\n');
  for (let id = 0; id < spec.objects.length; id++) {
    if (spec.objects.type(id) !== 'CNode') continue;
    const named = spec.objects.get(id);
    const cnode = named.object;
    if (cnode.type !== 'CNode') continue;
    out.push(`\t- CNode: '${named.name}'\n`);
    for (const entry of cnode.slots) {
      out.push(`\t\t* Slot: ${entry.slot}\n`);
      out.push(`\t\t\t-> Object: '${getRootObject(spec, entry.cap.object).name}'\n`);
      const rights = capRights(entry.cap);
      if (rights !== null) out.push(`\t\t\t-> Rights: ${rightsHumanName(rights)}\n`);
      const badge = capBadge(entry.cap);
      if (badge !== null) out.push(`\t\t\t-> Badge: ${hex(badge)}\n`);
    }
    out.push('\n');
  }
}

function hasObjectOfType(spec: Spec, type: ObjectType): boolean {
  for (let id = 0; id < spec.objects.length; id++) if (spec.objects.type(id) === type) return true;
  return false;
}

function archSection(spec: Spec, options: ReportOptions, out: ReportSink): void {
  out.push('\n# Architecture Specific Details\n');
  if (options.arch === 'aarch64') {
    if (hasObjectOfType(spec, 'ArmSmc')) {
      out.push('ARM SMC access is granted to userspace.\n');
    }
  } else if (options.arch === 'x86_64') {
    for (let id = 0; id < spec.objects.length; id++) {
      if (spec.objects.type(id) !== 'IOPorts') continue;
      const named = spec.objects.get(id);
      const ports = named.object;
      if (ports.type !== 'IOPorts') continue;
      out.push(`\t- ${objectHumanName(ports, options.objectSizes)}: '${named.name}'\n`);
      out.push(`\t\t* Start Port: ${hex(ports.startPort)}\n`);
      out.push(`\t\t* End Port: ${hex(ports.endPort)}\n`);
    }
  }
}

function objectLine(id: number, name: string, object: CapdlObject, options: ReportOptions): string {
  const prefix = `\t${id} - ${objectHumanName(object, options.objectSizes)}: '${name}'`;
  if (options.arch === 'x86_64') return prefix + '\n';
  const paddr = options.paddrs?.get(id);
  return paddr === undefined ? `${prefix} @ ${NOT_ALLOCATED}\n` : `${prefix} @ 0x${paddr.toString(16).padStart(12, '0')}\n`;
}

function kernelObjectsSection(spec: Spec, options: ReportOptions, out: ReportSink): void {
  out.push(options.arch === 'x86_64' ? '\n# Kernel Objects Details: ID, Type, Name\n' : '\n# Kernel Objects Details: ID, Type, Name, Physical Address\n');
  const objects = spec.objects;
  for (let id = 0; id < objects.length; id++) {
    const object = objects.object(id);
    if (physicalSizeBits(object, options.objectSizes) > 0) out.push(objectLine(id, objects.name(id), object, options));
  }
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/** Where the sections put their lines (an array, or the batching writer of {@link writeReport}). */
export interface ReportSink {
  push(text: string): void;
}

function renderInto(spec: Spec, options: ReportOptions, out: ReportSink): void {
  out.push('# Initial Task (CapDL Initialiser) Details\n');
  irqSection(spec, out);
  tcbSection(spec, out);
  cnodeSection(spec, out);
  archSection(spec, options, out);
  kernelObjectsSection(spec, options, out);
}

/** report.txt as consecutive pieces of text (a large report need not become one string). */
export function renderReportParts(spec: Spec, options: ReportOptions): string[] {
  const out: string[] = [];
  renderInto(spec, options, out);
  return out;
}

/** Characters per chunk handed to `emit` by {@link writeReport}. */
const REPORT_CHUNK = 1 << 16;

/**
 * Stream report.txt to `emit` in chunks of about 64 Ki characters, as it is
 * rendered: a report of millions of objects is never held whole, as one
 * string or as an array of its lines.
 */
export function writeReport(spec: Spec, options: ReportOptions, emit: (chunk: string) => void): void {
  const pieces: string[] = [];
  let pending = 0;
  const flush = () => {
    if (pending === 0) return;
    emit(pieces.join(''));
    pieces.length = 0;
    pending = 0;
  };
  renderInto(spec, options, {
    push(text) {
      pieces.push(text);
      pending += text.length;
      if (pending >= REPORT_CHUNK) flush();
    },
  });
  flush();
}

/** The full text of report.txt for a final (sorted) spec. */
export function renderReport(spec: Spec, options: ReportOptions): string {
  return renderReportParts(spec, options).join('');
}
