/**
 * x86-iommu-dma.system written in TypeScript (microkit-ts/system) and the
 * config that builds it: the same system, the same capDL spec
 * (tests/system/api-example.test.ts checks it). From the repository root:
 *   node dist/core/cli/bin.js --config-file examples/x86-iommu-dma/system.config.ts
 *   node dist/core/cli/bin.js sdf --config-file examples/x86-iommu-dma/system.config.ts
 * The system is in the config file itself: the config loader transpiles one
 * file, so a system in a separate .ts module would need its own build.
 */
import { defineConfig } from 'microkit-ts';
import { system } from 'microkit-ts/system';

export const sys = system();

// The edu device's BAR0 (1 MiB of registers) where SeaBIOS puts it on the qemu-x86 command line (see README.md).
const eduBar0 = sys.memoryRegion('edu_bar0', { size: 0x100000n, physAddr: 0xfea00000n });
// The DMA buffer: page 0 is read by the device, page 1 written back. IO maps use 4 KiB pages only.
const dmaBuffer = sys.memoryRegion('dma_buffer', { size: 0x2000n, pageSize: 0x1000n });

// edu at PCI 00:04.0, VT-d domain 1; DMA_BUFFER_IOVA in dma.c must match the iovaddr.
sys.ioAddressSpace('edu', { peripheralId: '0:4.0', domainId: 1 }).map(dmaBuffer, { iovaddr: 0x1000000n, perms: 'rw' });

sys
  .protectionDomain('dma', { programImage: 'dma.elf', priority: 100 })
  .map(eduBar0, { vaddr: 0x2000000n, perms: 'rw', cached: false, setvarVaddr: 'edu_regs_vaddr' })
  .map(dmaBuffer, { vaddr: 0x3000000n, perms: 'rw', setvarVaddr: 'dma_buffer_vaddr', setvarSize: 'dma_buffer_size' })
  .setvar('edu_bar0_paddr', { regionPaddr: eduBar0 })
  // PCI configuration mechanism #1 (0xcf8..0xcff): reads BAR0, enables bus mastering.
  .ioport({ id: 0, addr: 0xcf8, size: 8, setvarId: 'pci_config_ioport' });

export default defineConfig({
  system: sys,
  board: 'qemu-x86',
  config: 'debug',
  sdk: 'synthetic',
  searchPaths: ['.'],
  outputs: {
    image: 'build-ts/loader.img',
    report: 'build-ts/report.txt',
    capdlJson: 'build-ts/capdl.json',
  },
});
