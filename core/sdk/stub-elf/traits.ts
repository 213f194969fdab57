/** Per-architecture toolchain habits the stub ELFs reproduce (instructions, alignment, mapping symbols, symbol order). */
import { EM_AARCH64, EM_RISCV, EM_X86_64, ElfError } from '../../elf/types.js';
import type { ArchName } from '../../kernel/config.js';

/** Per-architecture toolchain habits the stubs reproduce. */
export interface ArchTraits {
  readonly machine: number;
  readonly flags: number;
  /** A branch to itself: `b .`, `c.j .`, `jmp .`. */
  readonly insn: Uint8Array;
  /** Section alignment of code. */
  readonly codeAlign: bigint;
  /** Alignment of .bss, and of bss objects of 32 bytes or more (x86-64 GCC aligns those to 32). */
  readonly bssAlign: bigint;
  readonly bigObjectAlign: bigint;
  /** The code mapping symbol; undefined: no mapping symbols at all. */
  readonly codeMapping?: string;
  /** AArch64 marks every section after the first with `$d`; RISC-V only executable ones. */
  readonly dataMapping: 'all' | 'exec' | 'none';
  readonly sectionSymbols: boolean;
  /** Padding inside code: zeros, or x86 multi-byte NOPs as GNU as emits them. */
  readonly codePadding: (length: number) => Uint8Array;
  readonly initialiserLinkAddress: bigint;
  /** Order of the monitor's bss objects (the linker's). */
  readonly monitorBss: readonly MonitorBssObject[];
  /** Order of the loader's boot page tables in its bss. */
  readonly loaderTables: readonly string[];
  /** Program images: the linker puts `microkit_name` (64 bytes) first in .bss, not last. */
  readonly programNameFirst: boolean;
}

export type MonitorBssObject = 'pd_stack_bottom_addrs' | 'vm_names_len' | 'vm_names' | 'pd_names_len' | 'pd_names';

/** e_machine of the 32-bit x86 kernel copy (core/elf has 64-bit machines only). */
export const EM_386 = 3;

const zeros = (length: number): Uint8Array => new Uint8Array(length);

/** GNU as x86 NOP fill: 10-byte NOPs, then one shorter NOP for the rest. */
const X86_NOPS: readonly (readonly number[])[] = [
  [],
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

function x86Nops(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  while (length - o >= 10) {
    out.set(X86_NOPS[10], o);
    o += 10;
  }
  out.set(X86_NOPS[length - o], o);
  return out;
}

const RISCV_ISA_MAPPING = '$xrv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zmmul1p0';

export const ARCH: Record<ArchName, ArchTraits> = {
  aarch64: {
    machine: EM_AARCH64,
    flags: 0,
    insn: Uint8Array.of(0x00, 0x00, 0x00, 0x14),
    codeAlign: 4n,
    bssAlign: 8n,
    bigObjectAlign: 8n,
    codeMapping: '$x',
    dataMapping: 'all',
    sectionSymbols: true,
    codePadding: zeros,
    initialiserLinkAddress: 0x200000n,
    monitorBss: ['pd_stack_bottom_addrs', 'vm_names_len', 'vm_names', 'pd_names_len', 'pd_names'],
    loaderTables: ['boot_lvl2_lower', 'boot_lvl1_lower', 'boot_lvl0_lower', 'boot_lvl2_upper', 'boot_lvl1_upper', 'boot_lvl0_upper'],
    programNameFirst: false,
  },
  riscv64: {
    machine: EM_RISCV,
    // EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE
    flags: 0x5,
    insn: Uint8Array.of(0x01, 0xa0),
    codeAlign: 2n,
    bssAlign: 8n,
    bigObjectAlign: 8n,
    codeMapping: RISCV_ISA_MAPPING,
    dataMapping: 'exec',
    sectionSymbols: true,
    codePadding: zeros,
    initialiserLinkAddress: 0x10000n,
    monitorBss: ['pd_stack_bottom_addrs', 'vm_names', 'pd_names', 'vm_names_len', 'pd_names_len'],
    loaderTables: ['boot_lvl2_pt_loader', 'boot_lvl3_pt', 'boot_lvl2_pt', 'boot_lvl1_pt'],
    programNameFirst: true,
  },
  x86_64: {
    machine: EM_X86_64,
    flags: 0,
    insn: Uint8Array.of(0xeb, 0xfe),
    codeAlign: 1n,
    bssAlign: 32n,
    bigObjectAlign: 32n,
    dataMapping: 'none',
    sectionSymbols: false,
    codePadding: x86Nops,
    initialiserLinkAddress: 0x200000n,
    monitorBss: ['pd_stack_bottom_addrs', 'vm_names_len', 'vm_names', 'pd_names_len', 'pd_names'],
    loaderTables: [],
    programNameFirst: false,
  },
};

const MACHINE_ARCH: ReadonlyMap<number, ArchName> = new Map([
  [EM_AARCH64, 'aarch64'],
  [EM_RISCV, 'riscv64'],
  [EM_X86_64, 'x86_64'],
]);

/** The architecture of an ELF e_machine, for the machines the stubs support. */
export function archForMachine(machine: number): ArchName {
  const arch = MACHINE_ARCH.get(machine);
  if (arch === undefined) throw new ElfError(`no stub ELFs for machine ${machine}`);
  return arch;
}

export function stubMachine(arch: ArchName): number {
  return ARCH[arch].machine;
}

/** Default initialiser link address of an architecture's stubs. */
export function defaultInitialiserLinkAddress(arch: ArchName): bigint {
  return ARCH[arch].initialiserLinkAddress;
}
