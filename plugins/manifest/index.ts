/**
 * `--manifest FILE` / `outputs.manifest`: the system manifest, a versioned
 * JSON description of the resolved system (docs/manifest.md, schema
 * docs/manifest.schema.json). Its builder is loaded only when a manifest is
 * asked for.
 */
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { definePlugin } from '../../core/plugin.js';

export { MANIFEST_FORMAT } from './types.js';
export type { SystemManifest } from './types.js';

export const manifest = definePlugin(() => ({
  name: 'manifest',
  apply(pipeline) {
    pipeline.hooks.emit.tapPromise('manifest', async (build, ctx) => {
      const path = ctx.options.outputs.manifest;
      if (path === undefined) return;
      if (!build.spec) throw new MicrokitError('MANIFEST_NO_SPEC', 'microkit: error: no capDL spec was built, so there is no manifest to write');
      const { buildManifest } = await import('./build.js');
      ctx.outputs.write(path, `${JSON.stringify(buildManifest(build, ctx), null, 2)}\n`);
    });
  },
}));
