/**
 * `pdHeaders({ dir })`: a C header per protection domain, `<dir>/<pd>.h`,
 * with its channel, IRQ, I/O port, child and vCPU ids as named constants
 * (see header.ts). Written with the other outputs: staged, committed only
 * when the whole build succeeded.
 */
import { join, resolve } from 'node:path';
import { definePlugin } from '../../core/plugin.js';
import { pdHeader, pdHeaderName } from './header.js';

export { cIdentifier, pdHeader, pdHeaderName } from './header.js';

export interface PdHeadersOptions {
  /** Directory for the headers (relative to the working directory). */
  readonly dir: string;
}

export const pdHeaders = definePlugin((options: PdHeadersOptions) => ({
  name: 'pd-headers',
  apply(pipeline) {
    pipeline.hooks.emit.tap('pd-headers', (build, ctx) => {
      const dir = resolve(options.dir);
      for (const pd of build.system.protectionDomains) ctx.outputs.write(join(dir, pdHeaderName(pd)), pdHeader(build.system, pd));
    });
  },
}));
