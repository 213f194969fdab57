/** Small hand-made kernel facts for the boot unit tests. */
import type { KernelConfig, ObjectSizes, PlatformMemory } from '../../core/kernel/config.js';

export const RISCV_SIZES: ObjectSizes = {
  tcb: 11,
  endpoint: 4,
  notification: 6,
  reply: 5,
  smallPage: 12,
  largePage: 21,
  hugePage: 30,
  asidPool: 12,
  vspace: 12,
  pageTable: 12,
  maxUntypedBits: 38,
};

export function testKernel(memory: PlatformMemory, overrides: Partial<KernelConfig> = {}): KernelConfig {
  return {
    arch: 'riscv64',
    wordSize: 64,
    minimumPageSize: 0x1000n,
    paddrUserDeviceTop: 1n << 56n,
    kernelFrameSize: 0x200000n,
    initCNodeBits: 12,
    capAddressBits: 64,
    maxNumBootinfoUntypeds: 230,
    fanOutLimit: 256,
    hypervisor: false,
    iommu: false,
    benchmark: false,
    numCores: 1,
    numDomains: 1,
    numDomainSchedules: 1n,
    fpu: true,
    riscvPtLevels: 3,
    addressSpace: { pageTableIndexBits: 9, vspaceUserTop: 0x3f_ffff_ffffn },
    objectSizes: RISCV_SIZES,
    memory,
    ...overrides,
  };
}
