/**
 * QEMU virt, AArch64, seL4 in EL2 (hypervisor on): Cortex-A53, 2 GiB RAM,
 * 40-bit PA (3-level stage-2 VSpaces with a 10-bit root), 4 SMP cores.
 * Kernel facts are the project's shared SDK's (build_sdk.py options
 * `qemu-arm-virt`, `QEMU_MEMORY=2048`, `KernelArmExportPTMRUser`).
 */
import { definePreset } from '../../core/preset.js';
import type { SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import type { StubElfFacts } from '../../core/sdk/stub-elfs.js';
import { boardConfigs, DEFAULT_GEN_CONFIG } from '../configs.js';
import { archPlugins } from '../plugins.js';

/** The release files; configs overlay them. */
export const qemuVirtAarch64Kernel: SdkKernelFiles = {
  genConfig: {
    ARCH: 'arm',
    SEL4_ARCH: 'aarch64',
    PLAT: 'qemu-arm-virt',
    ...DEFAULT_GEN_CONFIG,
    PADDR_USER_DEVICE_TOP: '1099511627776',
    DEBUG_BUILD: false,
    PRINTING: false,
    VERIFICATION_BUILD: false,
    HARDWARE_DEBUG_API: false,
    ENABLE_BENCHMARKS: false,
    BENCHMARK_TRACK_UTILISATION: false,
    SIGNAL_FASTPATH: false,
    FASTPATH: true,
    LIB_SEL4_USE_THREAD_LOCALS: false,
    ARCH_ARM: true,
    ARCH_AARCH64: true,
    ARM_CORTEX_A53: true,
    ARM_CORTEX_A72: false,
    ARM_PA_SIZE_BITS_40: true,
    ARM_PA_SIZE_BITS_44: false,
    ARM_HYPERVISOR_SUPPORT: true,
    ALLOW_SMC_CALLS: true,
    ARM_EXPORT_PCNT_USER: true,
    ARM_EXPORT_PTMR_USER: true,
    ARM_EXPORT_PMU_USER: false,
    ARM_GIC_V3_SUPPORT: false,
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
    vspace: 13,
    reply: 5,
    vcpu: 12,
    page_table: 12,
    huge_page: 30,
    io_page_table: 12,
  },
  addressSpaceConstants: { page_table_index_bits: 9, vspace_user_top: 0xff_ffff_ffff, vspace_index_bits: 10 },
  platformGen: {
    devices: [
      { start: 0x0, end: 0x800_0000 },
      { start: 0x800_1000, end: 0x801_0000 },
      { start: 0x801_1000, end: 0x803_0000 },
      { start: 0x803_1000, end: 0x4000_0000 },
      { start: 0xc000_0000, end: 0x100_0000_0000 },
    ],
    memory: [{ start: 0x4000_0000, end: 0xc000_0000 }],
  },
};

/** build_sdk.py's config options on AArch64, as the kernel reports them. */
export const aarch64Configs = boardConfigs({
  // A debug kernel's TCB is twice a release one's (debug fields).
  debug: { genConfig: { DEBUG_BUILD: true, PRINTING: true, HARDWARE_DEBUG_API: true }, objectSizes: { tcb: 12 } },
  benchmark: {
    genConfig: { ENABLE_BENCHMARKS: true, BENCHMARK_TRACK_UTILISATION: true, SIGNAL_FASTPATH: true, ARM_EXPORT_PMU_USER: true },
  },
  smpCores: 4,
});

/** Read off the SDK's stub ELFs: kernel at 0x40000000 (EL2 window 0xffc0000000), loader at 0x70000000. */
export const qemuVirtAarch64Elfs: StubElfFacts = {
  kernelPaddr: 0x4000_0000n,
  kernelVaddr: 0xff_c000_0000n,
  kernelSize: 0x3_6000n,
  kernelBootSize: 0x5000n,
  loaderLinkAddress: 0x7000_0000n,
  machine: 183, // EM_AARCH64
  loaderUartAddr: 0x900_0000n, // PL011
};

export const qemuVirtAarch64 = definePreset({
  name: 'qemu_virt_aarch64',
  description: 'QEMU virt (AArch64), seL4 in EL2 with hypervisor support, Cortex-A53, 2 GiB, 4 cores',
  arch: 'aarch64',
  plugins: () => archPlugins('aarch64'),
  imageType: 'binary',
  kernel: qemuVirtAarch64Kernel,
  configs: aarch64Configs,
  synthetic: qemuVirtAarch64Elfs,
  cpu: 'cortex-a53',
  // Microkit manual, QEMU virt (AArch64): the loader at its link address, -smp 4 for the smp-* configs.
  qemu: {
    program: 'qemu-system-aarch64',
    args: [
      '-machine',
      'virt,virtualization=on',
      '-cpu',
      'cortex-a53',
      '-nographic',
      '-serial',
      'mon:stdio',
      '-device',
      'loader,file={image},addr=0x70000000,cpu-num=0',
      '-m',
      'size=2G',
    ],
    smpArgs: ['-smp', '4'],
    package: 'qemu-system-arm',
  },
  boot:
    'qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -nographic -serial mon:stdio ' +
    '-device loader,file=loader.img,addr=0x70000000,cpu-num=0 -m size=2G (add -smp 4 for smp-* configs)',
});
