/**
 * Symbol patching (upstream symbols.rs): the monitor learns every PD's name,
 * VM thread names and stack bottoms; each PD learns its name, passive flag,
 * channel/IRQ/ioport bit sets and every setvar value. Runs before the spec is
 * built, because ELF-backed frames carry the patched bytes.
 */
import { findSymbol, writeSymbolBytes } from '../elf/index.js';
import { pdStackBottom, type KernelConfig } from '../kernel/config.js';
import { memoryRegionPaddr, type ProtectionDomain, type SetVar, type SystemDescription } from '../sdf/model.js';
import { MONITOR_NAME_SLOTS, NAME_LENGTH } from '../capdl/construct/layout.js';
import type { ProgramImage, SystemImages } from './images.js';
import { setvarSize, symbolMissing, symbolTooSmall } from './errors.js';

function u64le(value: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return b;
}

/** Names as the monitor stores them: 64-byte NUL-terminated slots, truncated to 63 bytes. */
export function serialiseNames(names: readonly string[]): Uint8Array {
  const out = new Uint8Array(MONITOR_NAME_SLOTS * NAME_LENGTH);
  names.forEach((name, i) => {
    const bytes = Buffer.from(name, 'utf8');
    out.set(bytes.subarray(0, NAME_LENGTH - 1), i * NAME_LENGTH);
  });
  return out;
}

/** u64 values followed by a zero terminator word. */
export function serialiseWords(values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array((values.length + 1) * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, v), true));
  return out;
}

function write(program: ProgramImage, pdName: string, symbol: string, bytes: Uint8Array): void {
  const found = findSymbol(program.image, symbol);
  if (!found.ok) {
    throw symbolMissing(symbol, pdName, program.path, found.reason);
  }
  if (BigInt(bytes.length) > found.size) {
    throw symbolTooSmall(symbol, pdName, program.path, found.size, bytes.length);
  }
  writeSymbolBytes(program.image, symbol, bytes);
}

function setVarValue(sv: SetVar, system: SystemDescription): bigint {
  const v = sv.value;
  if (v.type === 'constant') return v.value;
  const mr = system.memoryRegions.find((m) => m.name === v.mr);
  if (mr === undefined) throw new Error(`internal error: setvar '${sv.symbol}' names unknown region '${v.mr}'`);
  switch (v.type) {
    case 'mr_size':
      return mr.size;
    case 'mr_paddr':
      // Tool-placed regions read 0 until placed (upstream: unwrap_or_default).
      return memoryRegionPaddr(mr) ?? 0n;
    case 'mr_prefill_size':
      return mr.prefill?.kind === 'file' ? BigInt(mr.prefill.bytes.length) : 0n;
  }
}

function channelBits(system: SystemDescription, pd: ProtectionDomain): { notifications: bigint; pps: bigint } {
  let notifications = 0n;
  let pps = 0n;
  for (const ch of system.channels) {
    for (const end of [ch.a, ch.b]) {
      if (end.pd !== pd.index) continue;
      if (end.notify) notifications |= 1n << end.id;
      if (end.pp) pps |= 1n << end.id;
    }
  }
  return { notifications, pps };
}

export interface PatchOptions {
  readonly kernel: KernelConfig;
  /** Whether vCPUs have threads the monitor names (vm_names_len counts them). */
  readonly vcpuThreads: boolean;
  /**
   * Word symbols every PD image has whose value plugins decide (e.g.
   * `microkit_ioports`), patched after the core's own.
   */
  readonly pdWords: ReadonlyMap<string, (pd: ProtectionDomain) => bigint>;
}

export function patchSymbols(system: SystemDescription, images: SystemImages, options: PatchOptions): void {
  const pds = system.protectionDomains;
  const monitor = images.images[pds.length];
  const monitorWord = (name: string, value: bigint) => write(monitor, 'monitor', name, u64le(value));

  monitorWord('pd_names_len', BigInt(pds.length));
  write(monitor, 'monitor', 'pd_names', serialiseNames(pds.map((pd) => pd.name)));
  const vmNames = pds.flatMap((pd) => (pd.virtualMachine ? pd.virtualMachine.vcpus.map(() => pd.virtualMachine!.name) : []));
  monitorWord('vm_names_len', options.vcpuThreads ? BigInt(vmNames.length) : 0n);
  write(monitor, 'monitor', 'vm_names', serialiseNames(vmNames));
  write(monitor, 'monitor', 'pd_stack_bottom_addrs', serialiseWords(pds.map((pd) => pdStackBottom(options.kernel, pd.stackSize))));

  for (const pd of pds) {
    const program = images.images[pd.index];
    const nameBytes = Buffer.from(pd.name, 'utf8');
    write(program, pd.name, 'microkit_name', nameBytes.subarray(0, NAME_LENGTH));
    write(program, pd.name, 'microkit_passive', Uint8Array.of(pd.passive ? 1 : 0));
    let irqs = 0n;
    for (const irq of pd.irqs) irqs |= 1n << irq.id;
    const { notifications, pps } = channelBits(system, pd);
    write(program, pd.name, 'microkit_irqs', u64le(irqs));
    write(program, pd.name, 'microkit_notifications', u64le(notifications));
    write(program, pd.name, 'microkit_pps', u64le(pps));
    for (const [symbol, value] of options.pdWords) write(program, pd.name, symbol, u64le(value(pd)));

    // Check every setvar before writing any, as upstream.
    const wordBytes = BigInt(options.kernel.wordSize / 8);
    const values: [string, bigint][] = [];
    for (const sv of pd.setvars) {
      const found = findSymbol(program.image, sv.symbol);
      if (!found.ok) {
        throw symbolMissing(sv.symbol, pd.name, pd.programImage, found.reason);
      }
      if (found.size !== wordBytes) {
        throw setvarSize(sv.symbol, pd.name, found.size, wordBytes);
      }
      values.push([sv.symbol, setVarValue(sv, system)]);
    }
    for (const [symbol, value] of values) writeSymbolBytes(program.image, symbol, u64le(value));
  }
}
