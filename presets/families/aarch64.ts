/**
 * The AArch64 family: what every AArch64 board of upstream's build_sdk.py
 * shares, and the few facts that vary per board. A board file states its
 * facts (platform, CPU, GIC, cores, loader address, memory map, boot) and
 * gets a complete preset from {@link aarch64Board}.
 *
 * Sources, for every fact derived here:
 * - build_sdk.py (seL4/microkit cfd5216): DEFAULT_KERNEL_OPTIONS (MCS, root
 *   CNode 17 bits, 16 domains, 100 domain schedules, no thread locals),
 *   DEFAULT_KERNEL_OPTIONS_AARCH64 (hypervisor, SMC calls, PCNT export) and
 *   the per-config options (debug, benchmark, smp-*).
 * - seL4 src/arch/arm/config.cmake: physical-address bits per CPU (A35, A53,
 *   A55, A76: 40; A57, A72: 44) and PADDR_USER_DEVICE_TOP = 2^PA bits.
 * - seL4 libsel4 sel4_arch/aarch64 constants.h: with the hypervisor and 40 PA
 *   bits the VSpace is a 3-level stage-2 table with a 10-bit (8 KiB) root and
 *   user top 2^40 - 1; with 44 PA bits 4 levels, a 9-bit root, user top
 *   2^44 - 1. Object sizes are the kernel's (equal to the shared SDK's).
 * - The shared SDK's qemu_virt_aarch64 files: every other gen_config key.
 *   tests/presets/families.test.ts rebuilds qemu_virt_aarch64 from this
 *   family and compares it with that SDK's files.
 */
import { definePreset, type Preset, type UBootRecipe } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { boardConfigs, DEFAULT_GEN_CONFIG, RELEASE_GEN_CONFIG } from '../configs.js';
import { archPlugins } from '../plugins.js';
import type { BoardFacts } from './board-facts.js';
import { KERNEL_SIZE_UNKNOWN } from './unknown.js';

export type Aarch64Cpu = 'cortex-a35' | 'cortex-a53' | 'cortex-a55' | 'cortex-a72' | 'cortex-a76';

export interface Aarch64BoardFacts extends BoardFacts {
  /** build_sdk.py's gcc_cpu. */
  readonly cpu: Aarch64Cpu;
  /** seL4's platform config.cmake sets KernelArmGicV3. */
  readonly gicV3: boolean;
  /** microkit loader/src/uart.c's UART_BASE for the platform (debug loaders only). */
  readonly uartAddr?: bigint;
  /** False where seL4's platform sets KernelHardwareDebugAPIUnsupported (zynqmp). */
  readonly hardwareDebugApi?: boolean;
  /** build_sdk.py's KernelArmExportPTMRUser (QEMU virt only). */
  readonly exportPtmr?: boolean;
  /** build_sdk.py's KernelArmHypervisorSupport (default on). */
  readonly hypervisor?: boolean;
}

/** The facts an AArch64 board's kernel files follow from. */
export type Aarch64KernelFacts = Pick<Aarch64BoardFacts, 'platform' | 'cpu' | 'gicV3' | 'exportPtmr' | 'hypervisor' | 'memory' | 'devices'>;

/** seL4 src/arch/arm/config.cmake: KernelArmPASizeBits40/44 per CPU. */
export const AARCH64_PA_BITS: Readonly<Record<Aarch64Cpu, 40 | 44>> = {
  'cortex-a35': 40,
  'cortex-a53': 40,
  'cortex-a55': 40,
  'cortex-a72': 44,
  'cortex-a76': 40,
};

/** gen_config key of the CPU (KernelArmCortexA53 → ARM_CORTEX_A53). */
const cpuKey = (cpu: Aarch64Cpu): string => `ARM_CORTEX_${cpu.slice('cortex-'.length).toUpperCase()}`;

/** The release gen_config.json of an AArch64 board. */
export function aarch64GenConfig(f: Aarch64KernelFacts): Record<string, string | boolean> {
  const pa = AARCH64_PA_BITS[f.cpu];
  const hyp = f.hypervisor ?? true;
  return {
    ARCH: 'arm',
    SEL4_ARCH: 'aarch64',
    PLAT: f.platform,
    ...DEFAULT_GEN_CONFIG,
    PADDR_USER_DEVICE_TOP: (1n << BigInt(pa)).toString(),
    ...RELEASE_GEN_CONFIG,
    ARCH_ARM: true,
    ARCH_AARCH64: true,
    ARM_CORTEX_A53: f.cpu === 'cortex-a53',
    ARM_CORTEX_A72: f.cpu === 'cortex-a72',
    ...(f.cpu === 'cortex-a53' || f.cpu === 'cortex-a72' ? {} : { [cpuKey(f.cpu)]: true }),
    ARM_PA_SIZE_BITS_40: pa === 40,
    ARM_PA_SIZE_BITS_44: pa === 44,
    ARM_HYPERVISOR_SUPPORT: hyp,
    // seL4 makes SMC calls depend on the hypervisor.
    ALLOW_SMC_CALLS: true,
    ARM_EXPORT_PCNT_USER: true,
    ARM_EXPORT_PTMR_USER: f.exportPtmr ?? false,
    ARM_EXPORT_PMU_USER: false,
    ARM_GIC_V3_SUPPORT: f.gicV3,
  };
}

/** object_sizes.json: the same on every AArch64 board but for the VSpace root. */
export function aarch64ObjectSizes(paBits: 40 | 44, hypervisor: boolean): Record<string, number> {
  return {
    tcb: 11,
    endpoint: 4,
    notification: 6,
    small_page: 12,
    large_page: 21,
    asid_pool: 12,
    asid_table: 9,
    slot: 5,
    min_untyped_bits: 4,
    max_untyped_bits: 47,
    vspace: hypervisor && paBits === 40 ? 13 : 12,
    reply: 5,
    vcpu: 12,
    page_table: 12,
    huge_page: 30,
    io_page_table: 12,
  };
}

/** address_space_constants.json (libsel4: seL4_UserTop, seL4_VSpaceIndexBits). */
export function aarch64AddressSpace(paBits: 40 | 44, hypervisor: boolean): SdkKernelFiles['addressSpaceConstants'] {
  if (!hypervisor) return { page_table_index_bits: 9, vspace_user_top: 0x7fff_ffff_ffff, vspace_index_bits: 9 };
  return paBits === 40
    ? { page_table_index_bits: 9, vspace_user_top: 0xff_ffff_ffff, vspace_index_bits: 10 }
    : { page_table_index_bits: 9, vspace_user_top: 0xfff_ffff_ffff, vspace_index_bits: 9 };
}

/** The kernel facts of an AArch64 board's release config. */
export function aarch64Kernel(f: Aarch64KernelFacts): SdkKernelFiles {
  const pa = AARCH64_PA_BITS[f.cpu];
  const hyp = f.hypervisor ?? true;
  return {
    genConfig: aarch64GenConfig(f),
    objectSizes: aarch64ObjectSizes(pa, hyp),
    addressSpaceConstants: aarch64AddressSpace(pa, hyp),
    platformGen: { devices: f.devices, memory: f.memory },
  };
}

/** build_sdk.py's configs on AArch64: debug (HardwareDebugAPI where supported), benchmark (PMU export), smp-*. */
export function aarch64BoardConfigs(f: Pick<Aarch64BoardFacts, 'hardwareDebugApi' | 'smpCores'>): ReturnType<typeof boardConfigs> {
  return boardConfigs({
    // A debug kernel's TCB is twice a release one's (debug fields).
    debug: { genConfig: { DEBUG_BUILD: true, PRINTING: true, HARDWARE_DEBUG_API: f.hardwareDebugApi ?? true }, objectSizes: { tcb: 12 } },
    benchmark: {
      genConfig: { ENABLE_BENCHMARKS: true, BENCHMARK_TRACK_UTILISATION: true, SIGNAL_FASTPATH: true, ARM_EXPORT_PMU_USER: true },
    },
    smpCores: f.smpCores,
  });
}

/**
 * Stub-ELF facts: seL4 links the AArch64 kernel at KERNEL_ELF_BASE
 * (include/arch/arm/arch/64/mode/hardware.h: 2^40 - 2^30 with the
 * hypervisor, 2^64 - 2^30 without) and loads it at physBase, the start of
 * the board's first memory region. The kernel's size is not a board fact
 * (it depends on the build): the stubs use the shared SDK's.
 */
export function aarch64Elfs(f: Aarch64BoardFacts): StubElfFacts {
  return {
    kernelPaddr: BigInt(f.memory[0].start),
    kernelVaddr: (f.hypervisor ?? true) ? 0xff_c000_0000n : 0xffff_ffff_c000_0000n,
    kernelSize: 0x3_6000n,
    kernelBootSize: 0x5000n,
    loaderLinkAddress: f.loaderLinkAddress,
    machine: 183, // EM_AARCH64
    loaderUartAddr: f.uartAddr,
  };
}

/** A complete preset for an AArch64 board. */
export function aarch64Board(f: Aarch64BoardFacts): Preset {
  return definePreset({
    name: f.name,
    description: f.description,
    arch: 'aarch64',
    cpu: f.cpu,
    plugins: () => archPlugins('aarch64'),
    // build_sdk.py / the tool: AArch64 boards default to a raw binary image.
    imageType: 'binary',
    kernel: aarch64Kernel(f),
    configs: aarch64BoardConfigs(f),
    synthetic: aarch64Elfs(f),
    boot: f.boot,
    unknown: { ...KERNEL_SIZE_UNKNOWN, ...f.unknown },
    ...(f.uboot ? { uboot: f.uboot } : {}),
    ...(f.qemu ? { qemu: f.qemu } : {}),
  });
}

/** The U-Boot recipe the Microkit manual gives most AArch64 boards: load the image at the loader's address, `go` there. */
export function ubootGo(loadAddress: bigint): UBootRecipe {
  const at = `0x${loadAddress.toString(16)}`;
  return { loadAddress, commands: [`tftp ${at} {image}`, `go ${at}`] };
}
