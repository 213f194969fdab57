/**
 * The IOMMU DMA example for the qemu-x86 preset (QEMU q35, intel-iommu with
 * aw-bits=39, edu at 00:04.0), built against a synthetic SDK: the capDL
 * spec, report and image layout are real, the stub kernel and dma.elf do not
 * boot. From the repository root:
 *   node dist/core/cli/bin.js --config-file examples/x86-iommu-dma/microkit.config.ts
 * For a bootable image use a real SDK and the Makefile (see README.md).
 * Relative paths are relative to this file.
 */
import { defineConfig } from 'microkit-ts';

export default defineConfig({
  system: 'x86-iommu-dma.system',
  board: 'qemu-x86',
  config: 'debug',
  sdk: 'synthetic',
  searchPaths: ['.'],
  outputs: {
    image: 'build/loader.img',
    report: 'build/report.txt',
    capdlJson: 'build/capdl.json',
  },
});
