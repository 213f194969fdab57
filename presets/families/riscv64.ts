/**
 * The RISC-V 64-bit family: what every RISC-V board of upstream's
 * build_sdk.py shares, and the facts that vary per board.
 *
 * Sources, for every fact derived here:
 * - build_sdk.py (seL4/microkit cfd5216): DEFAULT_KERNEL_OPTIONS and the
 *   per-config options (no HardwareDebugAPI and no PMU export on RISC-V).
 * - seL4 src/arch/riscv/config.cmake: Sv39 (KernelPTLevels 3) and
 *   PADDR_USER_DEVICE_TOP = 2^39 on 64-bit; the F and D extensions on by
 *   default, hence HAVE_FPU. Object sizes are the kernel's (equal to the
 *   shared SDK's qemu_virt_riscv64).
 * - include/arch/riscv/arch/64/mode/hardware.h: KERNEL_ELF_BASE =
 *   0xffffffff80000000 + (physBase mod 1 GiB).
 * - The tool: boards ariane, cheshire and serengeti default to an ELF image,
 *   other RISC-V boards to a uImage.
 * tests/presets/families.test.ts rebuilds qemu_virt_riscv64 from this family
 * and compares it with the shared SDK's files.
 */
import type { ImageType } from '../../core/build-types.js';
import { definePreset, type Preset } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { boardConfigs, DEFAULT_GEN_CONFIG, RELEASE_GEN_CONFIG } from '../configs.js';
import { archPlugins } from '../plugins.js';
import type { BoardFacts } from './board-facts.js';
import { KERNEL_SIZE_UNKNOWN } from './unknown.js';

export interface Riscv64BoardFacts extends BoardFacts {
  /** The core, for `microkit boards` (build_sdk.py has no gcc_cpu on RISC-V). */
  readonly cpu: string;
  readonly imageType: ImageType;
}

export function riscv64Kernel(f: Pick<Riscv64BoardFacts, 'platform' | 'devices' | 'memory'>): SdkKernelFiles {
  return {
    genConfig: {
      ARCH: 'riscv',
      SEL4_ARCH: 'riscv64',
      PLAT: f.platform,
      ...DEFAULT_GEN_CONFIG,
      PADDR_USER_DEVICE_TOP: '549755813888',
      ...RELEASE_GEN_CONFIG,
      ARCH_RISCV: true,
      ARCH_RISCV64: true,
      PT_LEVELS: '3',
      RISCV_EXT_F: true,
      RISCV_EXT_D: true,
    },
    objectSizes: {
      tcb: 11,
      endpoint: 4,
      notification: 6,
      small_page: 12,
      large_page: 21,
      asid_pool: 12,
      asid_table: 9,
      slot: 5,
      min_untyped_bits: 4,
      max_untyped_bits: 38,
      vspace: 12,
      reply: 5,
      page_table: 12,
      huge_page: 30,
    },
    addressSpaceConstants: { page_table_index_bits: 9, vspace_user_top: 0x3f_ffff_efff },
    platformGen: { devices: f.devices, memory: f.memory },
  };
}

export function riscv64BoardConfigs(smpCores: number | undefined): ReturnType<typeof boardConfigs> {
  return boardConfigs({
    debug: { genConfig: { DEBUG_BUILD: true, PRINTING: true } },
    benchmark: { genConfig: { ENABLE_BENCHMARKS: true, BENCHMARK_TRACK_UTILISATION: true, SIGNAL_FASTPATH: true } },
    smpCores,
  });
}

/** Stub-ELF facts: the kernel at physBase (the first memory region's start); its size is the shared SDK's (a build fact, not a board fact). */
export function riscv64Elfs(f: Riscv64BoardFacts): StubElfFacts {
  const paddr = BigInt(f.memory[0].start);
  return {
    kernelPaddr: paddr,
    kernelVaddr: 0xffff_ffff_8000_0000n + (paddr & 0x3fff_ffffn),
    kernelSize: 0x3_6000n,
    kernelBootSize: 0x5000n,
    loaderLinkAddress: f.loaderLinkAddress,
    machine: 243, // EM_RISCV
    initialiserLinkAddress: 0x1_0000n,
  };
}

export function riscv64Board(f: Riscv64BoardFacts): Preset {
  return definePreset({
    name: f.name,
    description: f.description,
    arch: 'riscv64',
    cpu: f.cpu,
    plugins: () => archPlugins('riscv64'),
    imageType: f.imageType,
    kernel: riscv64Kernel(f),
    configs: riscv64BoardConfigs(f.smpCores),
    synthetic: riscv64Elfs(f),
    boot: f.boot,
    unknown: { ...KERNEL_SIZE_UNKNOWN, ...f.unknown },
    ...(f.uboot ? { uboot: f.uboot } : {}),
    ...(f.qemu ? { qemu: f.qemu } : {}),
  });
}
