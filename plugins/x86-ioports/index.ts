/** x86 I/O ports: `<ioport>` in PDs, their checks, and (in the spec) IOPorts caps. */
import { definePlugin } from '../../core/plugin.js';
import { VALIDATE_STAGES } from '../../core/sdf/validate/system-checks.js';
import { checkIoPortIds, checkIoPortOverlaps } from './checks.js';
import { parseIoPort } from './parse.js';

export type { IoPort } from './model.js';

export const x86IoPorts = definePlugin(() => ({
  name: 'x86-ioports',
  apply(pipeline) {
    pipeline.sdf.pdElement('ioport', parseIoPort);
    pipeline.hooks.validate.tap({ name: 'x86-ioports', stage: VALIDATE_STAGES.IO_PORTS }, (system) => {
      checkIoPortIds(system);
      checkIoPortOverlaps(system);
    });
  },
}));
