/** Facts no board preset can know without a built kernel. */

/** The kernel image's size depends on the kernel build, not the board: synthetic SDK stubs use the shared SDK's. */
export const KERNEL_SIZE_UNKNOWN: Readonly<Record<string, string>> = {
  'kernel image size': "depends on the kernel build; synthetic SDK stubs use the shared SDK's (216 KiB), real builds read the SDK's sel4.elf",
};
