/**
 * QEMU's q35 machine with an emulated Intel IOMMU (VT-d) and QEMU's `edu`
 * PCI test device: the machine the IOMMU DMA example
 * (examples/x86-iommu-dma) runs on.
 *
 * Facts: x86_64_generic's kernel (IOMMU on, no VT-x), configs and stub-ELF
 * layout, inherited through `extends`. What this preset adds:
 *
 * - `iommu.levels: 3`. seL4 runs VT-d with the smallest page-table depth
 *   every IOMMU unit offers (it prints "IOMMU: Using N page-table levels"
 *   at boot). `-device intel-iommu,aw-bits=39` offers 39-bit, 3-level
 *   translation only (QEMU always offers it; aw-bits=48 adds 4 levels), so
 *   seL4 uses 3 levels: exactly the tree the capDL spec describes. The
 *   initialiser then maps no prefix level above it and the three spare
 *   IOPTs per device that 'auto' reserves would never be used: this preset
 *   emits none. The image stops in the initialiser on a machine where seL4
 *   uses more levels (see docs/iommu.md).
 * - `boot`: the QEMU command line. q35 because QEMU's intel-iommu only
 *   works with it; interrupt remapping off, as upstream's IOMMU example
 *   runs it; the edu device pinned at 00:04.0 (bus pcie.0, slot 4) so that `peripheral_id="0:4.0"` in the SDF names it, with a
 *   64-bit DMA mask (edu's default mask is 28 bits and would clamp larger
 *   IO addresses); the CPU flags x86_64_generic's kernel needs; 4 GiB RAM;
 *   the 32-bit kernel copy, since QEMU's Multiboot loader refuses 64-bit
 *   ELFs.
 */
import { definePreset } from '../../core/preset.js';
import { x86Qemu } from './x86_64_generic.js';

/** The QEMU invocation for this machine, run from the directory holding sel4_32.elf and loader.img. */
export const QEMU_X86_COMMAND =
  'qemu-system-x86_64 -machine q35 -cpu qemu64,+fsgsbase,+pdpe1gb,+xsaveopt,+xsave -m 4G -display none -serial mon:stdio ' +
  '-device intel-iommu,intremap=off,aw-bits=39 -device edu,dma_mask=0xffffffffffffffff,bus=pcie.0,addr=0x04.0 ' +
  '-kernel sel4_32.elf -initrd loader.img';

export const qemuX86 = definePreset({
  name: 'qemu-x86',
  extends: 'x86_64_generic',
  description: 'QEMU q35 with intel-iommu (aw-bits=39: 3-level IO page tables, no spare IOPTs) and the edu PCI device at 00:04.0; x86_64_generic kernel facts',
  options: { iommu: { levels: 3 } },
  qemu: x86Qemu(
    ['-machine', 'q35', '-device', 'intel-iommu,intremap=off,aw-bits=39', '-device', 'edu,dma_mask=0xffffffffffffffff,bus=pcie.0,addr=0x04.0'],
    '4G',
  ),
  boot: QEMU_X86_COMMAND,
});
