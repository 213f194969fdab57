/**
 * Extension points of spec construction. The core builds what every
 * Microkit system has (monitor, memory regions, PDs' threads, CSpaces,
 * channels, cap maps, domain schedule); plugins add the rest through these
 * hooks and through ArchSupport.spec:
 *
 * | hook                | when                                             | e.g.                                  |
 * |---------------------|--------------------------------------------------|---------------------------------------|
 * | protectionDomain    | per PD, after its threads, maps, IRQs and ports  | x86 I/O ports, VMs, the ARM SMC cap   |
 * | system              | after every PD and channel, before cap maps      | VT-d IO spaces                        |
 */
import { SyncHook } from 'tapable';
import type { Cap, ObjectId } from '../spec.js';
import type { KernelConfig } from '../../kernel/config.js';
import { PERM_EXECUTE, PERM_READ, PERM_WRITE, type Map as SdfMap, type ProtectionDomain, type SystemDescription } from '../../sdf/model.js';
import type { AddressSpace, AddressSpaceGeometry } from './address-space.js';
import type { SpecBuilder } from './builder.js';

/** The objects the core made for a PD, for plugins to refer to. */
export interface PdObjects {
  readonly tcb: ObjectId;
  readonly vspace: AddressSpace;
  readonly notification: ObjectId;
  /** Present when the PD needs one (children, a VM, or a PPC callee). */
  readonly endpoint?: ObjectId;
  readonly schedContext: ObjectId;
  readonly reply: ObjectId;
}

/** A map to apply to an address space: a PD/VM `<map>` or an IO map. */
export interface RegionMapping {
  readonly mr: string;
  readonly addr: bigint;
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
  readonly cached: boolean;
  /** For messages: `map` or `iomap`, `vaddr` or `iovaddr`. */
  readonly element: string;
  readonly addrName: string;
}

/** A PD or VM `<map>` as a RegionMapping. */
export function mapping(map: SdfMap): RegionMapping {
  return {
    mr: map.mr,
    addr: map.vaddr,
    read: (map.perms & PERM_READ) !== 0,
    write: (map.perms & PERM_WRITE) !== 0,
    execute: (map.perms & PERM_EXECUTE) !== 0,
    cached: map.cached,
    element: 'map',
    addrName: 'vaddr',
  };
}

export interface SpecContext {
  readonly builder: SpecBuilder;
  readonly kernel: KernelConfig;
  readonly system: SystemDescription;
  /** Frame object ids of a memory region, in order. */
  regionFrames(mr: string): readonly ObjectId[];
  /** Map every frame of a region into `space`. */
  mapRegion(space: AddressSpace, mapping: RegionMapping): void;
  /** A new address space with the given geometry (its root object named `<root level name>_<name>`). */
  createAddressSpace(name: string, geometry: AddressSpaceGeometry, options?: { ept?: boolean }): AddressSpace;
  /** The architecture's VSpace geometry. */
  readonly vspaceGeometry: AddressSpaceGeometry;
  /** Objects of an already-built PD (parents come before children). */
  pdObjects(index: number): PdObjects;
  /** Put a cap into the monitor's CNode. */
  addMonitorCap(slot: number, cap: Cap): void;
  /** The next free slot of the monitor's VM-TCB range (for naming vCPU threads). */
  nextMonitorVmTcbSlot(): number;
}

export interface PdSpecContext extends SpecContext {
  readonly pd: ProtectionDomain;
  readonly objects: PdObjects;
  /** Put a cap into the PD's microkit CNode. */
  addCap(slot: number, cap: Cap): void;
  /** Bind a cap to the PD's TCB (TcbSlot). */
  bindToTcb(slot: number, cap: Cap): void;
}

export interface SpecHooks {
  readonly protectionDomain: SyncHook<[PdSpecContext]>;
  readonly system: SyncHook<[SpecContext]>;
}

export function createSpecHooks(): SpecHooks {
  return Object.freeze({
    protectionDomain: new SyncHook<[PdSpecContext]>(['pd']),
    system: new SyncHook<[SpecContext]>(['context']),
  });
}
