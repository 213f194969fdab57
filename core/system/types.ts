/**
 * Options of the typed system API, one interface per SDF element. Names are
 * the SDF attributes in camelCase; numbers may be `number` or `bigint`
 * (use bigint above 2^53). Every option is checked by the SDF parser with
 * the same rules and texts as the attribute it stands for.
 */

export type Num = number | bigint;

/** `prefill_bootinfo` values. */
export type BootInfoName = 'x86_vbe' | 'x86_mbmmap' | 'x86_acpi_rsdp' | 'x86_framebuffer' | 'x86_tsc_freq' | 'fdt';

/** `r`, `w`, `x` in any combination (SDF `perms`). */
export type Perms = string;

export interface MemoryRegionOptions {
  /** Bytes; may be left out when prefilled (the prefill's size rounded up to the page size). */
  readonly size?: Num;
  readonly pageSize?: Num;
  readonly physAddr?: Num;
  readonly prefillPath?: string;
  readonly prefillBootinfo?: BootInfoName;
}

export interface ProgramImage {
  readonly path: string;
  readonly pathForSymbols?: string;
}

export interface ProtectionDomainOptions {
  readonly programImage: string | ProgramImage;
  readonly priority?: Num;
  readonly budget?: Num;
  readonly period?: Num;
  readonly passive?: boolean;
  readonly stackSize?: Num;
  /** ARM SMC forwarding (arm-smc plugin). */
  readonly smc?: boolean;
  readonly cpu?: Num;
  /** Domain name, when the system has a domain schedule. */
  readonly domain?: string;
  readonly fpu?: boolean;
  /** Where automatic map addresses start (default 0x20000000). */
  readonly mapBase?: Num;
}

export interface ChildOptions extends ProtectionDomainOptions {
  /** The id the parent knows the child by; default: the lowest free id. */
  readonly id?: Num;
  readonly setvarId?: string;
}

export interface MapOptions {
  /** Default: the next free address of the PD at or above its `mapBase`, aligned to the region's page size. */
  readonly vaddr?: Num;
  /** Default `rw`. */
  readonly perms?: Perms;
  readonly cached?: boolean;
  readonly setvarVaddr?: string;
  readonly setvarSize?: string;
  readonly setvarPrefillSize?: string;
}

/** Maps of a virtual machine carry no setvars (a VM has no program image). */
export type VmMapOptions = Omit<MapOptions, 'setvarVaddr' | 'setvarSize' | 'setvarPrefillSize'>;

interface IrqCommonOptions {
  /** Channel id in the PD; default: the lowest id no IRQ or channel of the PD has. */
  readonly id?: Num;
  readonly setvarId?: string;
}

/** ARM and RISC-V. */
export interface ConventionalIrqOptions extends IrqCommonOptions {
  readonly irq: Num;
  readonly trigger?: 'level' | 'edge';
}

/** x86 I/O APIC. */
export interface IoapicIrqOptions extends IrqCommonOptions {
  readonly pin: Num;
  readonly ioapic?: Num;
  readonly trigger?: 'level' | 'edge';
  readonly polarity?: 'low' | 'high';
  readonly vector: Num;
}

/** x86 MSI. */
export interface MsiIrqOptions extends IrqCommonOptions {
  /** `bus:device.function`, hex fields. */
  readonly pcidev: string;
  readonly handle: Num;
  readonly vector: Num;
}

export type IrqOptions = ConventionalIrqOptions | IoapicIrqOptions | MsiIrqOptions;

/** x86 I/O ports (x86-ioports plugin). */
export interface IoPortOptions {
  /** Default: the lowest I/O port id the PD does not use. */
  readonly id?: Num;
  readonly addr: Num;
  readonly size: Num;
  readonly setvarId?: string;
  readonly setvarAddr?: string;
}

export interface ChannelEndOptions {
  /** Default: the lowest id no IRQ or channel of the PD has. */
  readonly id?: Num;
  readonly notify?: boolean;
  readonly pp?: boolean;
  readonly setvarId?: string;
}

export interface ChannelOptions {
  readonly a?: ChannelEndOptions;
  readonly b?: ChannelEndOptions;
}

export interface VirtualMachineOptions {
  /** AArch64 only: the VM's own scheduling parameters. */
  readonly priority?: Num;
  readonly budget?: Num;
  readonly period?: Num;
}

export interface VcpuOptions {
  /** Default: the lowest id free among the VM's vCPUs and the PD's children. */
  readonly id?: Num;
  readonly cpu?: Num;
  readonly setvarId?: string;
}

export type CapType = 'tcb' | 'sc' | 'vspace';

export interface IoAddressSpaceOptions {
  /** The device, in the architecture's syntax (x86: `bus:device.function`). */
  readonly peripheralId: string;
  /** VT-d domain id (x86). */
  readonly domainId?: Num;
}

export interface IoMapOptions {
  readonly iovaddr: Num;
  /** `r`, `w` or `rw` (default). */
  readonly perms?: 'r' | 'w' | 'rw';
}

export type Duration = `${number} us` | `${number} ticks` | { readonly us: Num } | { readonly ticks: Num };

export interface DomainScheduleOptions {
  /** Domain names, or names with fixed ids. */
  readonly domains: readonly (string | { readonly name: string; readonly id?: Num })[];
  /** Entries in order; `'end'` is a `<schedule_end_marker>`. */
  readonly schedule: readonly ({ readonly domain: string; readonly duration: Duration } | 'end')[];
  readonly startIndex?: Num;
  readonly indexShift?: Num;
}
