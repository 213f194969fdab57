/**
 * Building the capDL spec of a system (upstream capdl/builder.rs), in its
 * steps: the monitor; every memory region's frames; per PD its VSpace with
 * the ELF's pages, maps, IPC buffer, stack, scheduling context, fault
 * endpoint, notification/endpoint, reply, IRQs, plugin contributions,
 * CSpace and TCB; channels; plugin system-wide objects; cap maps; the domain
 * schedule; and the final deterministic sort.
 */
import type { ArchSpecSupport } from '../../arch.js';
import type { Cap, CapTableEntry, FillEntry, ObjectId, Spec } from '../spec.js';
import { sortAndRenumberInPlace } from '../sort.js';
import { progressStage } from '../../progress.js';
import { pdIpcBufferVaddr, pdStackBottom, type KernelConfig } from '../../kernel/config.js';
import type { ProgramImage, SystemImages } from '../../program/images.js';
import type { MemoryRegion, ProtectionDomain, SystemDescription } from '../../sdf/model.js';
import { hex, roundDown, roundUp } from '../../util/bigint.js';
import { AddressSpace, AddressSpaceMapError, mapFailure, type AddressSpaceGeometry } from './address-space.js';
import { cnodeCap, cte, endpointCap, frameCap, NO_FILL, notificationCap, plainCap, SpecBuilder } from './builder.js';
import { mapping, type PdObjects, type PdSpecContext, type RegionMapping, type SpecContext, type SpecHooks } from './hooks.js';
import {
  CAP_ADDRESS_BITS,
  FAULT_BADGE,
  MONITOR_BUDGET,
  MONITOR_DOMAIN,
  MONITOR_NAME,
  MONITOR_PRIORITY,
  MONITOR_STACK_SIZE,
  MonitorSlot,
  PD_CAP_BITS,
  PD_ROOT_CAP_BITS,
  PdSlot,
  PPC_BADGE,
  SCHED_CONTEXT_BADGE_BASE,
  SCHED_CONTEXT_SIZE_BITS,
  TcbSlot,
} from './layout.js';
import { pageTableGeometry, rootPageTable } from './page-table-geometry.js';
import { checkRegionFits, checkSegmentFits } from './region-bounds.js';
import { specDuplicateObjectName, specElfSegmentsOverlap, specMapOverlapsElf, specNoObjectSizes } from '../errors.js';

export interface BuildSpecInput {
  readonly system: SystemDescription;
  readonly kernel: KernelConfig;
  readonly images: SystemImages;
  readonly arch: ArchSpecSupport;
  readonly hooks: SpecHooks;
}

export interface BuiltSpec {
  /** Sorted and renumbered, as written to `--capdl-json`. */
  readonly spec: Spec;
}

const SMALL_PAGE = 0x1000n;

export function buildSpec(input: BuildSpecInput): BuiltSpec {
  const { system, kernel, images, arch, hooks } = input;
  const b = new SpecBuilder();
  const shape = arch.vspace(kernel);
  const vspaceGeometry = pageTableGeometry(shape);
  const smallBits = kernel.objectSizes?.smallPage ?? 12;
  const ipcBuffer = pdIpcBufferVaddr(kernel);
  const stackTop = ipcBuffer - SMALL_PAGE;

  const createAddressSpace = (name: string, geometry: AddressSpaceGeometry, options: { ept?: boolean } = {}): AddressSpace =>
    AddressSpace.create(b, name, geometry, rootPageTable({ ...shape, ept: options.ept }));

  // Step 1: the monitor.
  const monitorImage = images.images[system.protectionDomains.length];
  const monitor = addElfToSpec(b, kernel, vspaceGeometry, createAddressSpace, MONITOR_NAME, 0, system.protectionDomains.length, monitorImage);
  const monitorFaultEp = b.add(`ep_fault_${MONITOR_NAME}`, { type: 'Endpoint' });
  const monitorReply = b.reply(MONITOR_NAME);
  const monitorSc = b.schedContext(MONITOR_NAME, SCHED_CONTEXT_SIZE_BITS, MONITOR_BUDGET, MONITOR_BUDGET, 0n);
  const monitorCNode = b.cnode(MONITOR_NAME, PD_CAP_BITS, [
    cte(MonitorSlot.FaultEp, endpointCap(monitorFaultEp, 0n)),
    cte(MonitorSlot.Reply, plainCap('Reply', monitorReply)),
  ]);
  const monitorStack = b.frame(`${MONITOR_NAME}_stack`, smallBits, null);
  monitor.vspace.mapPage(frameCap(monitorStack, true, true, false, true), SMALL_PAGE, stackTop - MONITOR_STACK_SIZE);
  const monitorIpc = b.frame(`ipcbuf_${MONITOR_NAME}`, smallBits, null);
  const monitorIpcCap = frameCap(monitorIpc, true, true, false, true);
  monitor.vspace.mapPage(monitorIpcCap, SMALL_PAGE, ipcBuffer);
  {
    const tcb = b.object(monitor.tcb);
    if (tcb.type !== 'Tcb') throw new Error('internal error: monitor TCB');
    Object.assign(tcb.extra, {
      ipcBufferAddr: ipcBuffer,
      sp: stackTop,
      prio: MONITOR_PRIORITY,
      maxPrio: MONITOR_PRIORITY,
      resume: true,
      domain: MONITOR_DOMAIN,
    });
    // Upstream's order (not sorted): VSpace, IPC buffer, CSpace, scheduling context.
    tcb.slots.push(cte(TcbSlot.IpcBuffer, monitorIpcCap));
    tcb.slots.push(cte(TcbSlot.CSpace, cnodeCap(monitorCNode, 0n, CAP_ADDRESS_BITS - PD_CAP_BITS)));
    tcb.slots.push(cte(TcbSlot.SchedContext, plainCap('SchedContext', monitorSc)));
  }

  // Step 2: memory regions.
  const regionFrames = new Map<string, ObjectId[]>();
  for (const mr of system.memoryRegions) regionFrames.set(mr.name, createRegionFrames(b, kernel, mr));

  const framesOf = (mr: string): readonly ObjectId[] => {
    const frames = regionFrames.get(mr);
    if (!frames) throw new Error(`internal error: unknown memory region '${mr}'`);
    return frames;
  };
  const mapRegion = (space: AddressSpace, m: RegionMapping): void => {
    const frames = framesOf(m.mr);
    const pageBytes = 1n << BigInt(frameSizeBits(b, frames[0]));
    let addr = m.addr;
    for (const frame of frames) {
      try {
        space.mapPage(frameCap(frame, m.read, m.write, m.execute, m.cached), pageBytes, addr);
      } catch (e) {
        if (e instanceof AddressSpaceMapError) throw mapFailure(m.element, m.mr, space.name, m.addrName, addr, e.message);
        throw e;
      }
      addr += pageBytes;
    }
  };

  const pdObjects: PdObjects[] = [];
  const pdCNodes: { root: ObjectId; microkit: ObjectId }[] = [];
  let monitorVmTcbSlot = MonitorSlot.BaseVmTcb;
  const common: SpecContext = {
    builder: b,
    kernel,
    system,
    regionFrames: framesOf,
    mapRegion,
    createAddressSpace,
    vspaceGeometry,
    pdObjects: (index) => {
      const o = pdObjects[index];
      if (!o) throw new Error(`internal error: PD ${index} not built yet`);
      return o;
    },
    addMonitorCap: (slot, cap) => b.insertCap(monitorCNode, slot, cap),
    nextMonitorVmTcbSlot: () => monitorVmTcbSlot++,
  };

  // Step 3: protection domains.
  for (const pd of system.protectionDomains) {
    const program = images.images[pd.index];
    const { tcb, vspace } = addElfToSpec(b, kernel, vspaceGeometry, createAddressSpace, pd.name, pd.cpu, pd.index, program);
    const cnodeCaps: CapTableEntry[] = [];
    const tcbCaps: CapTableEntry[] = [];

    if (kernel.benchmark) cnodeCaps.push(cte(PdSlot.Tcb, plainCap('Tcb', tcb)));
    cnodeCaps.push(cte(PdSlot.VSpace, plainCap('PageTable', vspace.root)));

    for (const map of pd.maps) {
      checkElfOverlap(pd, program, map.mr, map.vaddr, framesOf(map.mr).length, 1n << BigInt(frameSizeBits(b, framesOf(map.mr)[0])));
      mapRegion(vspace, mapping(map));
    }

    const ipc = b.frame(`ipcbuf_${pd.name}`, smallBits, null);
    const ipcCap = frameCap(ipc, true, true, false, true);
    vspace.mapPage(ipcCap, SMALL_PAGE, ipcBuffer);
    tcbCaps.push(cte(TcbSlot.IpcBuffer, ipcCap));

    let stackVaddr = pdStackBottom(kernel, pd.stackSize);
    for (let i = 0n; i < pd.stackSize / SMALL_PAGE; i++) {
      const frame = b.seriesFrame(`${pd.name}_stack`, i, smallBits, null);
      vspace.mapPage(frameCap(frame, true, true, false, true), SMALL_PAGE, stackVaddr);
      stackVaddr += SMALL_PAGE;
    }

    const sc = b.schedContext(pd.name, SCHED_CONTEXT_SIZE_BITS, pd.period, pd.budget, SCHED_CONTEXT_BADGE_BASE + BigInt(pd.index));
    tcbCaps.push(cte(TcbSlot.SchedContext, plainCap('SchedContext', sc)));

    let faultEpCap: Cap;
    if (pd.parent !== undefined) {
      const parent = pdObjects[pd.parent];
      if (parent.endpoint === undefined) throw new Error('internal error: parent PD without an endpoint');
      faultEpCap = endpointCap(parent.endpoint, FAULT_BADGE | pd.childId!);
      b.insertCap(pdCNodes[pd.parent].microkit, PdSlot.BaseChildTcb + Number(pd.childId!), plainCap('Tcb', tcb));
    } else {
      // Badge 0 means unbadged to seL4, hence index + 1.
      faultEpCap = endpointCap(monitorFaultEp, BigInt(pd.index) + 1n);
    }
    cnodeCaps.push(cte(PdSlot.FaultEp, faultEpCap));
    tcbCaps.push(cte(TcbSlot.FaultEp, faultEpCap));

    if (pd.passive) cnodeCaps.push(cte(PdSlot.MonitorEp, endpointCap(monitorFaultEp, BigInt(pd.index) + 1n)));

    const ntfn = b.notification(pd.name);
    const ntfnCap = notificationCap(ntfn, 0n);
    let endpoint: ObjectId | undefined;
    if (needsEndpoint(pd, system)) {
      endpoint = b.endpoint(pd.name);
      cnodeCaps.push(cte(PdSlot.Input, endpointCap(endpoint, 0n)));
    } else {
      cnodeCaps.push(cte(PdSlot.Input, ntfnCap));
    }
    tcbCaps.push(cte(TcbSlot.BoundNotification, ntfnCap));

    const reply = b.reply(pd.name);
    cnodeCaps.push(cte(PdSlot.Reply, plainCap('Reply', reply)));

    for (const irq of pd.irqs) {
      const { object, handlerCap } = arch.irqObject(irq, pd);
      const id = b.add(`irq_${irq.number}_${pd.name}`, object);
      b.spec.irqs.push({ irq: irq.number, handler: id });
      b.insertCap(id, 0, notificationCap(ntfn, 1n << irq.id));
      cnodeCaps.push(cte(PdSlot.BaseIrq + Number(irq.id), plainCap(handlerCap, id)));
    }

    const objects: PdObjects = { tcb, vspace, notification: ntfn, endpoint, schedContext: sc, reply };
    pdObjects[pd.index] = objects;
    const pdCtx: PdSpecContext = {
      ...common,
      pd,
      objects,
      addCap: (slot, cap) => cnodeCaps.push(cte(slot, cap)),
      bindToTcb: (slot, cap) => tcbCaps.push(cte(slot, cap)),
    };
    hooks.protectionDomain.call(pdCtx);

    const microkit = b.cnode(pd.name, PD_CAP_BITS, cnodeCaps);
    const root = b.cnode(`${pd.name}_root`, PD_ROOT_CAP_BITS, [cte(0, cnodeCap(microkit, 0n, CAP_ADDRESS_BITS - PD_CAP_BITS - PD_ROOT_CAP_BITS))]);
    pdCNodes[pd.index] = { root, microkit };
    tcbCaps.push(cte(TcbSlot.CSpace, cnodeCap(root, 0n, 0)));

    const tcbObject = b.object(tcb);
    if (tcbObject.type !== 'Tcb') throw new Error('internal error: PD TCB');
    Object.assign(tcbObject.extra, {
      ipcBufferAddr: ipcBuffer,
      sp: stackTop,
      masterFaultEp: null,
      prio: pd.priority,
      maxPrio: pd.priority,
      fpuDisabled: !pd.fpu,
      resume: true,
      domain: pd.domain ?? null,
    });
    tcbObject.slots.push(...tcbCaps);
    tcbObject.slots.sort((x, y) => x.slot - y.slot);

    b.insertCap(monitorCNode, MonitorSlot.BasePdTcb + pd.index, plainCap('Tcb', tcb));
    if (pd.passive) {
      // The monitor moves a passive PD's scheduling context to its notification after init().
      b.insertCap(monitorCNode, MonitorSlot.BaseSchedContext + pd.index, plainCap('SchedContext', sc));
      b.insertCap(monitorCNode, MonitorSlot.BaseNotification + pd.index, notificationCap(ntfn, 0n));
    }
  }

  // Step 4: channels. Badges carry the receiver's id for the channel.
  for (const ch of system.channels) {
    for (const [from, to] of [
      [ch.a, ch.b],
      [ch.b, ch.a],
    ] as const) {
      const cnode = pdCNodes[from.pd].microkit;
      if (from.notify) {
        b.insertCap(cnode, PdSlot.BaseOutputNotification + Number(from.id), notificationCap(pdObjects[to.pd].notification, 1n << to.id));
      }
    }
    for (const [from, to] of [
      [ch.a, ch.b],
      [ch.b, ch.a],
    ] as const) {
      if (!from.pp) continue;
      const ep = pdObjects[to.pd].endpoint;
      if (ep === undefined) throw new Error('internal error: PPC callee without an endpoint');
      b.insertCap(pdCNodes[from.pd].microkit, PdSlot.BaseOutputEndpoint + Number(from.id), endpointCap(ep, PPC_BADGE | to.id));
    }
  }

  // Step 5: system-wide objects from plugins (IO spaces).
  hooks.system.call(common);

  // Step 6: cap maps into the user root CNodes.
  for (const pd of system.protectionDomains) {
    for (const m of pd.capMaps) {
      const src = pdObjects[m.pd];
      const cap =
        m.type === 'tcb' ? plainCap('Tcb', src.tcb) : m.type === 'sc' ? plainCap('SchedContext', src.schedContext) : plainCap('PageTable', src.vspace.root);
      b.insertCap(pdCNodes[pd.index].root, Number(m.slot), cap);
    }
  }

  // Step 7: the domain schedule.
  const ds = system.domainSchedule;
  if (ds !== undefined) {
    b.spec.domainSchedule = ds.schedule.map((e) => ({
      domain: e.domain,
      duration: e.duration.type === 'end_marker' ? { type: 'EndMarker' } : { type: e.duration.type === 'us' ? 'Us' : 'Ticks', value: e.duration.value },
    }));
    b.spec.domainSetStart = ds.startIndex;
    b.spec.domainIdxShift = ds.indexShift ?? null;
  }

  if (!kernel.objectSizes) throw specNoObjectSizes();
  checkUniqueNames(b);
  progressStage('allocate: final sort');
  return { spec: sortAndRenumberInPlace(b.spec, kernel.objectSizes) };
}

function frameSizeBits(b: SpecBuilder, frame: ObjectId): number {
  const o = b.object(frame);
  if (o.type !== 'Frame') throw new Error('internal error: not a frame');
  return o.sizeBits;
}

/** Upstream's needs_ep: children, a VM, or the callee of a PPC channel. */
function needsEndpoint(pd: ProtectionDomain, system: SystemDescription): boolean {
  return (
    pd.children.length > 0 ||
    pd.virtualMachine !== undefined ||
    system.channels.some((ch) => (ch.a.pp && ch.b.pd === pd.index) || (ch.b.pp && ch.a.pd === pd.index))
  );
}

/**
 * The frames of a memory region, with their fills: prefill file bytes, a
 * bootinfo reference, or nothing (zeroed by the kernel).
 */
function createRegionFrames(b: SpecBuilder, kernel: KernelConfig, mr: MemoryRegion): ObjectId[] {
  checkRegionFits(kernel, mr);
  const pageBytes = mr.pageSize;
  const sizeBits = pageBytes === 0x1000n ? (kernel.objectSizes?.smallPage ?? 12) : (kernel.objectSizes?.largePage ?? 21);
  const base = mr.physAddr.kind === 'specified' ? mr.physAddr.paddr : mr.physAddr.kind === 'tool' ? mr.physAddr.paddr : undefined;
  const count = Number(mr.size / pageBytes);
  const frames: ObjectId[] = new Array(count);
  const prefill = mr.prefill;
  const prefix = `mr_${mr.name}`;
  if (base === undefined && prefill === undefined) {
    // The common case, millions of pages: no per-page bigint arithmetic.
    for (let i = 0; i < count; i++) frames[i] = b.seriesFrame(prefix, i, sizeBits, null);
    return frames;
  }
  for (let i = 0n; i < BigInt(count); i++) {
    const offset = i * pageBytes;
    let init: FillEntry[] = NO_FILL;
    if (prefill?.kind === 'file') {
      const fileLength = BigInt(prefill.bytes.length);
      // Pages past the end of the file get an empty entry (upstream underflows and crashes there).
      const n = offset >= fileLength ? 0n : fileLength - offset < pageBytes ? fileLength - offset : pageBytes;
      const start = Number(offset < fileLength ? offset : fileLength);
      init = [{ range: { start: 0n, end: n }, content: { type: 'BytesContent', bytes: prefill.bytes.subarray(start, start + Number(n)) } }];
    } else if (prefill?.kind === 'bootinfo') {
      const remaining = mr.size - offset;
      init = [{ range: { start: 0n, end: remaining < pageBytes ? remaining : pageBytes }, content: { type: 'BootInfo', id: prefill.id, offset } }];
    }
    frames[Number(i)] = b.seriesFrame(prefix, i, sizeBits, base === undefined ? null : base + offset, init);
  }
  return frames;
}

interface ElfSpecResult {
  readonly tcb: ObjectId;
  readonly vspace: AddressSpace;
}

/**
 * A VSpace with every loadable segment mapped page by page with 4 KiB frames
 * whose fills reference the (patched) segment bytes, and a TCB at the entry.
 */
function addElfToSpec(
  b: SpecBuilder,
  kernel: KernelConfig,
  geometry: AddressSpaceGeometry,
  createAddressSpace: (name: string, geometry: AddressSpaceGeometry) => AddressSpace,
  name: string,
  cpu: number,
  elfId: number,
  program: ProgramImage,
): ElfSpecResult {
  const vspace = createAddressSpace(name, geometry);
  const smallBits = kernel.objectSizes?.smallPage ?? 12;
  let sequence = 0;
  program.segments.forEach((seg, segIdx) => {
    if (seg.memsz === 0n) return;
    checkSegmentFits(kernel, program.path, name, seg);
    const base = seg.vaddr;
    const end = base + seg.memsz;
    for (let page = roundDown(base, SMALL_PAGE); page < end; page += SMALL_PAGE) {
      const destOffset = page < base ? base - page : 0n;
      const sectionOffset = page + destOffset - base;
      const init: FillEntry[] = [];
      if (sectionOffset < seg.memsz) {
        const room = SMALL_PAGE - destOffset;
        const left = seg.memsz - sectionOffset;
        const len = room < left ? room : left;
        init.push({
          range: { start: destOffset, end: destOffset + len },
          content: { type: 'ElfContent', elfId, elfSegIdx: segIdx, elfSegDataRange: { start: sectionOffset, end: sectionOffset + len } },
        });
      }
      const frame = b.seriesFrame(`elf_${name}`, sequence, smallBits, null, init);
      const flags = seg.flags;
      try {
        vspace.mapPage(frameCap(frame, (flags & 4) !== 0, (flags & 2) !== 0, (flags & 1) !== 0, true), SMALL_PAGE, page);
      } catch (e) {
        if (e instanceof AddressSpaceMapError) {
          throw specElfSegmentsOverlap(program.path, hex(page), e.message);
        }
        throw e;
      }
      sequence++;
    }
  });
  const tcb = b.add(`tcb_${name}`, {
    type: 'Tcb',
    slots: [cte(TcbSlot.VSpace, plainCap('PageTable', vspace.root))],
    extra: {
      ipcBufferAddr: 0n,
      affinity: BigInt(cpu),
      prio: 0,
      maxPrio: 0,
      fpuDisabled: false,
      resume: false,
      domain: null,
      ip: program.image.elf.header.entry,
      sp: 0n,
      gprs: [],
      masterFaultEp: null,
    },
  });
  return { tcb, vspace };
}

/** B6: a map must not cover the PD's own ELF segments (segment ends rounded up to a page). */
function checkElfOverlap(pd: ProtectionDomain, program: ProgramImage, mr: string, vaddr: bigint, frames: number, pageBytes: bigint): void {
  const end = vaddr + pageBytes * BigInt(frames);
  for (const seg of program.segments) {
    const segEnd = seg.vaddr + roundUp(seg.memsz, SMALL_PAGE);
    if (vaddr < segEnd && seg.vaddr < end) {
      throw specMapOverlapsElf(mr, pd.name, hex(vaddr), hex(end), hex(seg.vaddr), hex(segEnd));
    }
  }
}

/**
 * Object names must be unique (the final sort keys off them). Legal SDFs
 * can collide (PD `a` beside PD `a_root`, a VM named like a PD); upstream
 * crashes, we name the clash.
 */
function checkUniqueNames(b: SpecBuilder): void {
  const name = b.duplicateName();
  if (name !== undefined) {
    throw specDuplicateObjectName(name);
  }
}
