/**
 * Per-architecture facts of the seL4 kernel that the boot emulation needs
 * and that no SDK file records. Upstream hard-codes them in the tool
 * (sel4.rs: `Config::virtual_base`, `get_arch_n_paging`, the `max_bits`
 * match in `emulate_kernel_boot`); here the architecture plugins pass them
 * in as a {@link BootArch}, composed from the constants below.
 */
import type { BootArch } from './kernel-boot.js';

// ---------------------------------------------------------------------------
// Kernel window base (PPTR_BASE): the kernel virtual address of physical
// address 0. The kernel builds its untypeds from kernel virtual addresses,
// so this offset decides where the power-of-two splitting wraps.
// ---------------------------------------------------------------------------

/**
 * AArch64 with `CONFIG_ARM_HYPERVISOR_SUPPORT` (kernel at EL2, which only has
 * the lower half of the address space): `PPTR_BASE` in
 * include/arch/arm/arch/64/mode/hardware.h.
 */
export const AARCH64_HYP_KERNEL_VIRTUAL_BASE = 0x0000_0080_0000_0000n;

/**
 * AArch64 without hypervisor support (kernel at EL1, upper half): `PPTR_BASE`
 * in include/arch/arm/arch/64/mode/hardware.h.
 */
export const AARCH64_KERNEL_VIRTUAL_BASE = 0xffff_ff80_0000_0000n;

/**
 * RISC-V 64 with Sv39 (`CONFIG_PT_LEVELS` = 3): `PPTR_BASE` in
 * include/arch/riscv/arch/64/mode/hardware.h.
 */
export const RISCV64_SV39_KERNEL_VIRTUAL_BASE = 0xffff_ffc0_0000_0000n;

// ---------------------------------------------------------------------------
// Paging spans: the bits of virtual address space one table covers at each
// non-root level of the initial task's VSpace. The kernel counts the tables
// it must allocate for the initial task with `arch_get_n_paging`
// (src/arch/arm/64/kernel/vspace.c, src/arch/riscv/kernel/vspace.c), which
// sums `get_n_paging(region, bits)` over these levels.
// ---------------------------------------------------------------------------

/** AArch64, 4-level tables with a level-0 root: PUD (39), PD (30), PT (21) spans. */
export const AARCH64_PAGING_SPAN_BITS: readonly number[] = [39, 30, 21];

/**
 * AArch64 stage-2 translation starting at level 1 (hypervisor kernel with
 * 40-bit physical addresses, `AARCH64_VSPACE_S2_START_L1`): the root is the
 * level-1 table, leaving the PD (30) and PT (21) levels.
 */
export const AARCH64_S2_START_L1_PAGING_SPAN_BITS: readonly number[] = [30, 21];

/** RISC-V Sv39 (3 levels, `CONFIG_PT_LEVELS - 1` non-root levels): 30 and 21. */
export const RISCV64_SV39_PAGING_SPAN_BITS: readonly number[] = [30, 21];

// ---------------------------------------------------------------------------
// Largest untyped the kernel creates (seL4_MaxUntypedBits). The SDK's
// object_sizes.json normally carries it as `max_untyped_bits`; these are the
// values upstream hard-codes, used when that field is absent.
// ---------------------------------------------------------------------------

/** seL4_MaxUntypedBits in libsel4/sel4_arch_include/aarch64/sel4/sel4_arch/constants.h. */
export const AARCH64_MAX_UNTYPED_BITS = 47;

/** seL4_MaxUntypedBits in libsel4/sel4_arch_include/riscv64/sel4/sel4_arch/constants.h. */
export const RISCV64_MAX_UNTYPED_BITS = 38;

/**
 * The AArch64 boot facts for a kernel build. `hypervisor` is
 * `CONFIG_ARM_HYPERVISOR_SUPPORT`; `paSizeBits` is 40 or 44
 * (`CONFIG_ARM_PA_SIZE_BITS_*`): a hypervisor kernel with 40 bits starts its
 * stage-2 tables at level 1.
 */
export function aarch64BootArch(hypervisor: boolean, paSizeBits: number | undefined): BootArch {
  return {
    kernelVirtualBase: hypervisor ? AARCH64_HYP_KERNEL_VIRTUAL_BASE : AARCH64_KERNEL_VIRTUAL_BASE,
    pagingSpanBits: hypervisor && paSizeBits === 40 ? AARCH64_S2_START_L1_PAGING_SPAN_BITS : AARCH64_PAGING_SPAN_BITS,
    maxUntypedBits: AARCH64_MAX_UNTYPED_BITS,
  };
}

/** The RISC-V Sv39 boot facts (the only RISC-V mode Microkit supports). */
export const RISCV64_SV39_BOOT_ARCH: BootArch = {
  kernelVirtualBase: RISCV64_SV39_KERNEL_VIRTUAL_BASE,
  pagingSpanBits: RISCV64_SV39_PAGING_SPAN_BITS,
  maxUntypedBits: RISCV64_MAX_UNTYPED_BITS,
};
