/**
 * "vb-105": a real x86-64 machine with Intel VT-d, named after the box the
 * upstream IOMMU work (Microkit PR #467, rust-sel4 PR #337) was tested on
 * with the sDDF block example. Nothing public describes that machine, so
 * every fact here is an assumption, listed so a user can check and replace
 * each one:
 *
 * 1. Kernel facts are x86_64_generic_vtx's (through `extends`), i.e.
 *    x86_64_generic's — pc99, `KernelX86MicroArch=generic`, MCS, IOMMU on,
 *    PCID off, FPU with a 576-byte XSAVE area, the shared SDK's object sizes
 *    and `vspace_user_top`, 16 cores in the smp-* configs — plus VT-x with
 *    64-bit guests. That assumes a CPU with VMX and the VMX controls the
 *    Microkit manual lists for x86_64_generic_vtx, and with the features
 *    x86_64_generic needs (PAT, XSAVE, fsgsbase, 1 GiB pages). A machine
 *    without VT-x should use x86_64_generic (or a preset of its own
 *    extending it) instead. With a real SDK the SDK's files replace these
 *    facts anyway; the preset then only chooses plugins and options.
 * 2. `iommu.levels: 'auto'`: how many IO page-table levels seL4 will use
 *    there is unknown. seL4 picks the smallest depth all the machine's VT-d
 *    units support (their SAGAW capability field): 3 if they offer 39-bit
 *    translation, 4 if they start at 48 bits (as on the machine of seL4
 *    issue #1723), and so on. 'auto' keeps three spare IO page tables per
 *    `<io_address_space>` so the image boots on any depth from 3 to 6, at a
 *    cost of 12 KiB of memory per device. Once the depth is known (a debug
 *    kernel prints "IOMMU: Using N page-table levels" at boot), set it to
 *    drop the unused spares — but never below the real depth, or the capDL
 *    initialiser stops at boot (see docs/iommu.md).
 * 3. Stub ELFs of a synthetic SDK use x86_64_generic's layout (kernel at
 *    1 MiB); synthetic images never boot, on this or any machine.
 * 4. Nothing is assumed about PCI topology, device BARs, RAM or reserved
 *    regions (RMRRs): SDFs must take PCI bus:device.function numbers and BAR
 *    addresses from the machine itself (e.g. `lspci -nn -v` under Linux),
 *    VT-d domain ids are the user's choice (the kernel may reserve some; use
 *    small distinct ids from 1), and on real VT-d hardware a device without
 *    an `<io_address_space>` cannot DMA at all.
 *
 * To override: either put `iommu: { levels: 4 }` (for example) in
 * microkit.config.ts next to `board: 'vb-105'` — the config file wins over
 * the preset — or define a preset of your own that refines this one:
 *
 *   const myBox = definePreset({ name: 'my-box', extends: 'vb-105', options: { iommu: { levels: 4 } }, boot: '...' });
 *   export default defineConfig({ board: 'my-box', presets: [myBox], ... });
 */
import { definePreset } from '../../core/preset.js';

export const vb105 = definePreset({
  name: 'vb-105',
  extends: 'x86_64_generic_vtx',
  description:
    "A real Intel VT-d x86-64 machine (the upstream IOMMU work's test box; nothing public about it): x86_64_generic_vtx facts, IOMMU levels auto (3 spare IOPTs per device)",
  options: { iommu: { levels: 'auto' } },
  qemu: undefined,
  unknown: {
    'IOMMU levels': "seL4 picks them at boot from the VT-d units' SAGAW; 'auto' keeps spare IO page tables for 3 to 6 levels",
    'PCI topology and BARs': 'nothing public describes the machine',
  },
  boot:
    'Not QEMU: boot with a Multiboot 2 bootloader, e.g. GRUB: `multiboot2 /sel4.elf` (or sel4_32.elf if the loader wants a 32-bit ELF) ' +
    'then `module2 /loader.img`; VT-d must be enabled in the firmware',
});
