/**
 * The runtime contract between the spec and the software that runs it:
 * CNode slots libmicrokit and the monitor expect (libmicrokit/microkit.h,
 * monitor/main.c), TCB slots the capDL initialiser binds, badge bits.
 * Changing any of these breaks every system at boot.
 */

/** Slots of the TCB cap table the initialiser binds (sel4-capdl-initializer cap_table.rs). */
export const TcbSlot = Object.freeze({
  CSpace: 0,
  VSpace: 1,
  IpcBuffer: 4,
  FaultEp: 5,
  SchedContext: 6,
  BoundNotification: 8,
  VCpu: 9,
  /** x86: the guest's EPT root. */
  X86EptPml4: 10,
});

/** The monitor's CNode. */
export const MonitorSlot = Object.freeze({
  FaultEp: 1,
  Reply: 2,
  BasePdTcb: 10,
  BaseVmTcb: 10 + 64,
  BaseSchedContext: 10 + 128,
  BaseNotification: 10 + 192,
});

/** A PD's microkit CNode (microkit.h). */
export const PdSlot = Object.freeze({
  Input: 1,
  FaultEp: 2,
  VSpace: 3,
  Reply: 4,
  /** Passive PDs only. */
  MonitorEp: 5,
  /** Benchmark kernels only. */
  Tcb: 6,
  ArmSmc: 7,
  BaseOutputNotification: 10,
  BaseOutputEndpoint: 10 + 64,
  BaseIrq: 10 + 128,
  BaseChildTcb: 10 + 192,
  BaseVmTcb: 10 + 256,
  BaseVcpu: 10 + 320,
  BaseIoPort: 10 + 384,
});

/** The microkit CNode has 512 slots; the user root CNode 64 (PD_ROOT_CAP_BITS). */
export const PD_CAP_BITS = 9;
export const PD_ROOT_CAP_BITS = 6;
export const CAP_ADDRESS_BITS = 64;

/** Bit 62 marks a fault, bit 63 a protected procedure call. */
export const FAULT_BADGE = 1n << 62n;
export const PPC_BADGE = 1n << 63n;

/** Scheduling contexts get 256 bytes: room for extra refills. */
export const SCHED_CONTEXT_SIZE_BITS = 8;
/** Scheduling-context badges are 0x100 + the PD (or vCPU) index. */
export const SCHED_CONTEXT_BADGE_BASE = 0x100n;

export const MONITOR_NAME = 'monitor';
export const MONITOR_PRIORITY = 255;
export const MONITOR_DOMAIN = 0;
export const MONITOR_BUDGET = 1000n;
export const MONITOR_STACK_SIZE = 0x1000n;

/** Capacity of the monitor's name tables (MAX_PDS/MAX_VMS + 1 entries of 64 bytes). */
export const MONITOR_NAME_SLOTS = 64;
export const NAME_LENGTH = 64;
