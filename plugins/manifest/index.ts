/**
 * `--manifest FILE` / `outputs.manifest`: the system manifest, a versioned
 * JSON description of the resolved system (docs/manifest.md, schema
 * docs/manifest.schema.json). Its builder is loaded only when a manifest is
 * asked for.
 */
import { PT_LOAD } from '../../core/elf/index.js';
import { definePlugin } from '../../core/plugin.js';
import { loadSdkElf } from '../../core/program/images.js';
import { sdkElfPaths } from '../../core/sdk/config-dir.js';
import type { LoaderFacts } from './build.js';
import { manifestNoSpec } from './errors.js';

export { MANIFEST_FORMAT } from './types.js';
export type { SystemManifest } from './types.js';

export const manifest = definePlugin(() => ({
  name: 'manifest',
  apply(pipeline) {
    pipeline.hooks.emit.tapPromise('manifest', async (build, ctx) => {
      const path = ctx.options.outputs.manifest;
      if (path === undefined) return;
      if (!build.spec) throw manifestNoSpec();
      const { buildManifest } = await import('./build.js');
      // Boot emulation ran (ARM, RISC-V): the loader that will start the system is the SDK's.
      let loader: LoaderFacts | undefined;
      if (ctx.sdk && build.initialiserPhysBase !== undefined) {
        const elf = loadSdkElf('loader', sdkElfPaths(ctx.sdk, ctx.options.overrideKernel).loader);
        const seg = elf.programHeaders.find((p) => p.type === PT_LOAD);
        if (seg) loader = { entry: elf.header.entry, vaddr: seg.vaddr, memsz: seg.memsz };
      }
      ctx.outputs.write(path, `${JSON.stringify(buildManifest(build, ctx, loader), null, 2)}\n`);
    });
  },
}));
