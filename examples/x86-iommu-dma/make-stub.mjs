// Writes dma.elf: a stub x86-64 program image with the symbols the real
// dma.c defines for the tool to patch (the setvars of x86-iommu-dma.system,
// plus libmicrokit's own variables, which every stub carries). It never
// runs; it lets the example build without a cross compiler. Regenerate after
// `npm run build` at the repository root:
//   node examples/x86-iommu-dma/make-stub.mjs
import { writeFileSync } from 'node:fs';
import { stubProgramImage } from '../../dist/core/sdk/stub-elfs.js';

/** The 8-byte variables dma.c declares, which the SDF's setvars name. */
export const SETVAR_SYMBOLS = ['edu_regs_vaddr', 'dma_buffer_vaddr', 'dma_buffer_size', 'edu_bar0_paddr', 'pci_config_ioport'];

const out = new URL('./dma.elf', import.meta.url);
writeFileSync(out, stubProgramImage({ arch: 'x86_64', extraWordSymbols: SETVAR_SYMBOLS }));
console.log(`wrote ${out.pathname}`);
