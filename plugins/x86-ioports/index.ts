/** x86 I/O ports: `<ioport>` in PDs, their checks, IOPorts objects and caps, and `microkit_ioports`. */
import { definePlugin } from '../../core/plugin.js';
import { VALIDATE_STAGES } from '../../core/sdf/validate/system-checks.js';
import { checkIoPortIds, checkIoPortOverlaps, checkIoPortRanges } from './checks.js';
import { drawIoPorts } from './graph.js';
import { parseIoPort, writeIoPorts } from './parse.js';
import { addIoPorts, ioportBits } from './spec.js';

export type { IoPort } from './model.js';

export const x86IoPorts = definePlugin(() => ({
  name: 'x86-ioports',
  apply(pipeline) {
    pipeline.sdf.pdElement('ioport', parseIoPort);
    pipeline.sdf.pdWriter(writeIoPorts);
    pipeline.hooks.validate.tap({ name: 'x86-ioports', stage: VALIDATE_STAGES.IO_PORTS }, (system) => {
      checkIoPortIds(system);
      checkIoPortOverlaps(system);
    });
    pipeline.hooks.validate.tap({ name: 'x86-ioports/ranges', stage: VALIDATE_STAGES.TOOL_LIMITS }, checkIoPortRanges);
    pipeline.spec.protectionDomain.tap('x86-ioports', addIoPorts);
    pipeline.pdWordSymbols.set('microkit_ioports', ioportBits);
    pipeline.graph.system.tap('x86-ioports', drawIoPorts);
  },
}));
