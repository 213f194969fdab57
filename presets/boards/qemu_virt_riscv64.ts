/**
 * QEMU virt, RISC-V 64-bit: Sv39, 2 GiB RAM (the kernel's image starts the
 * memory map at 0x80200000, above OpenSBI), 4 SMP cores. Kernel facts are
 * the project's shared SDK's (build_sdk.py options `qemu-riscv-virt`,
 * `QEMU_MEMORY=2048`).
 */
import { definePreset } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { boardConfigs } from '../configs.js';
import { archPlugins } from '../plugins.js';

/** The release files; configs overlay them. */
export const qemuVirtRiscv64Kernel: SdkKernelFiles = {
  genConfig: {
    ARCH: 'riscv',
    SEL4_ARCH: 'riscv64',
    PLAT: 'qemu-riscv-virt',
    WORD_SIZE: '64',
    KERNEL_MCS: true,
    ROOT_CNODE_SIZE_BITS: '17',
    RETYPE_FAN_OUT_LIMIT: '256',
    MAX_NUM_BOOTINFO_UNTYPED_CAPS: '230',
    MAX_NUM_WORK_UNITS_PER_PREEMPTION: '100',
    RESET_CHUNK_BITS: '8',
    NUM_DOMAINS: '16',
    NUM_DOMAIN_SCHEDULES: '100',
    NUM_PRIORITIES: '256',
    ENABLE_SMP_SUPPORT: false,
    MAX_NUM_NODES: '1',
    HAVE_FPU: true,
    PADDR_USER_DEVICE_TOP: '549755813888',
    DEBUG_BUILD: false,
    PRINTING: false,
    VERIFICATION_BUILD: false,
    HARDWARE_DEBUG_API: false,
    ENABLE_BENCHMARKS: false,
    BENCHMARK_TRACK_UTILISATION: false,
    SIGNAL_FASTPATH: false,
    FASTPATH: true,
    LIB_SEL4_USE_THREAD_LOCALS: false,
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
  platformGen: {
    devices: [
      { start: 0x0, end: 0x200_0000 },
      { start: 0x201_0000, end: 0xc00_0000 },
      { start: 0x1000_0000, end: 0x8020_0000 },
      { start: 0x1_0000_0000, end: 0x80_0000_0000 },
    ],
    memory: [{ start: 0x8020_0000, end: 0x1_0000_0000 }],
  },
};

/** build_sdk.py's config options on RISC-V (no HardwareDebugAPI, no PMU export). */
export const riscv64Configs = boardConfigs({
  debug: { genConfig: { DEBUG_BUILD: true, PRINTING: true } },
  benchmark: { genConfig: { ENABLE_BENCHMARKS: true, BENCHMARK_TRACK_UTILISATION: true, SIGNAL_FASTPATH: true } },
  smpCores: 4,
});

/** Read off the SDK's stub ELFs: kernel at 0x80200000 (window 0xffffffff80200000), loader at 0x90000000. */
export const qemuVirtRiscv64Elfs: StubElfFacts = {
  kernelPaddr: 0x8020_0000n,
  kernelVaddr: 0xffff_ffff_8020_0000n,
  kernelSize: 0x3_6000n,
  kernelBootSize: 0x5000n,
  loaderLinkAddress: 0x9000_0000n,
  machine: 243, // EM_RISCV
  initialiserLinkAddress: 0x1_0000n,
};

export const qemuVirtRiscv64 = definePreset({
  name: 'qemu_virt_riscv64',
  description: 'QEMU virt (RISC-V 64-bit), Sv39, 2 GiB, 4 cores',
  arch: 'riscv64',
  plugins: () => archPlugins('riscv64'),
  imageType: 'uimage',
  kernel: qemuVirtRiscv64Kernel,
  configs: riscv64Configs,
  synthetic: qemuVirtRiscv64Elfs,
  cpu: 'rv64',
  // Microkit manual, QEMU virt (RISC-V 64-bit): QEMU's own OpenSBI starts the image given as -kernel.
  qemu: {
    program: 'qemu-system-riscv64',
    args: ['-machine', 'virt', '-nographic', '-serial', 'mon:stdio', '-kernel', '{image}', '-m', 'size=2G'],
    smpArgs: ['-smp', '4'],
    package: 'qemu-system-misc',
  },
  boot: 'qemu-system-riscv64 -machine virt -nographic -serial mon:stdio -kernel loader.img -m size=2G (add -smp 4 for smp-* configs)',
});
