/**
 * Generic x86-64 (pc99, `KernelX86MicroArch=generic`), IOMMU (VT-d) on,
 * VT-x off, PCID off, 16 SMP cores. No platform memory map at build time:
 * the kernel learns it at boot. Kernel facts are the project's shared SDK's.
 */
import { definePreset, type QemuRecipe } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { boardConfigs, DEFAULT_GEN_CONFIG, RELEASE_GEN_CONFIG } from '../configs.js';
import { archPlugins } from '../plugins.js';

/** The release files; configs overlay them. */
export const x86_64GenericKernel: SdkKernelFiles = {
  genConfig: {
    ARCH: 'x86',
    SEL4_ARCH: 'x86_64',
    PLAT: 'pc99',
    ...DEFAULT_GEN_CONFIG,
    PADDR_USER_DEVICE_TOP: '140737488355328',
    ...RELEASE_GEN_CONFIG,
    ARCH_X86: true,
    ARCH_X86_64: true,
    X86_MICRO_ARCH: 'generic',
    VTX: false,
    X86_64_VTX_64BIT_GUESTS: false,
    IOMMU: true,
    SUPPORT_PCID: false,
    XSAVE_SIZE: '576',
    EXPORT_PMC_USER: false,
    KERNEL_X86_DANGEROUS_MSR: false,
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
    max_untyped_bits: 47,
    vspace: 12,
    reply: 5,
    vcpu: 14,
    page_table: 12,
    huge_page: 30,
    io_page_table: 12,
  },
  addressSpaceConstants: { page_table_index_bits: 9, vspace_user_top: 0x7fff_ffff_efff, io_page_table_index_bits: 9 },
};

/** build_sdk.py's config options on x86-64 (benchmark exports the PMCs and allows dangerous MSRs). */
export const x86_64Configs = boardConfigs({
  debug: { genConfig: { DEBUG_BUILD: true, PRINTING: true, HARDWARE_DEBUG_API: true } },
  benchmark: {
    genConfig: {
      ENABLE_BENCHMARKS: true,
      BENCHMARK_TRACK_UTILISATION: true,
      EXPORT_PMC_USER: true,
      KERNEL_X86_DANGEROUS_MSR: true,
      SIGNAL_FASTPATH: true,
    },
  },
  // build_sdk.py's DEFAULT_X86_NUM_CPUS.
  smpCores: 16,
});

/** Read off the SDK's stub ELFs: kernel at 0x100000 (window 0xffffffff80100000); no loader on x86. */
export const x86_64GenericElfs: StubElfFacts = {
  kernelPaddr: 0x10_0000n,
  kernelVaddr: 0xffff_ffff_8010_0000n,
  kernelSize: 0x3_6000n,
  kernelBootSize: 0x5000n,
  machine: 62, // EM_X86_64
};

/** Multiboot: QEMU needs the 32-bit kernel; q35 for the emulated VT-d (3-level tables with aw-bits=39). */
export const X86_QEMU_BASE = 'qemu-system-x86_64 -cpu qemu64,+fsgsbase,+pdpe1gb,+xsaveopt,+xsave -m 1G -display none -serial mon:stdio';

/**
 * The QEMU command for an x86-64 board, run from the image's directory: the
 * Microkit manual's CPU flags and 1 GiB, the 32-bit kernel copy (QEMU's
 * Multiboot loader refuses 64-bit ELFs) and the image as the boot module.
 */
export function x86Qemu(machine: readonly string[], memory = '1G'): QemuRecipe {
  return {
    program: 'qemu-system-x86_64',
    args: [
      ...machine,
      '-cpu',
      'qemu64,+fsgsbase,+pdpe1gb,+xsaveopt,+xsave',
      '-m',
      memory,
      '-display',
      'none',
      '-serial',
      'mon:stdio',
      '-kernel',
      '{dir}/sel4_32.elf',
      '-initrd',
      '{image}',
    ],
    smpArgs: ['-smp', '16'],
    package: 'qemu-system-x86',
  };
}

export const x86_64Generic = definePreset({
  name: 'x86_64_generic',
  description: 'Generic x86-64 (pc99) with the IOMMU (VT-d) on, no VT-x, 16 cores',
  arch: 'x86_64',
  plugins: () => archPlugins('x86_64'),
  imageType: 'elf',
  kernel: x86_64GenericKernel,
  configs: x86_64Configs,
  synthetic: x86_64GenericElfs,
  cpu: 'generic',
  qemu: x86Qemu(['-machine', 'q35', '-device', 'intel-iommu,intremap=off,aw-bits=39']),
  boot: `${X86_QEMU_BASE} -machine q35 -device intel-iommu,intremap=off,aw-bits=39 -kernel sel4_32.elf -initrd loader.img`,
});
