/**
 * IO address spaces: the SDF syntax (`<io_address_space>`, `<iomap>`) and
 * its rules, for any architecture; the architecture parses device ids and
 * an IOMMU backend (x86 VT-d) builds the page tables.
 */
import { definePlugin } from '../../core/plugin.js';
import { VALIDATE_STAGES } from '../../core/sdf/validate/system-checks.js';
import { checkIoMaps } from './checks.js';
import { drawIoAddressSpaces } from './graph.js';
import { parseIoAddressSpace, writeIoAddressSpaces } from './parse.js';

export type { IoAddressSpace, IoMap } from './model.js';
export { MAX_IOVA } from './parse.js';

export const iommu = definePlugin(() => ({
  name: 'iommu',
  apply(pipeline) {
    pipeline.sdf.systemElement('io_address_space', parseIoAddressSpace);
    pipeline.sdf.systemWriter(writeIoAddressSpaces);
    pipeline.hooks.validate.tap({ name: 'iommu', stage: VALIDATE_STAGES.IO_MAPS }, (system) => checkIoMaps(system));
    pipeline.graph.system.tap('iommu', drawIoAddressSpaces);
  },
}));
