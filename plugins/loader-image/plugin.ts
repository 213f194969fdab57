/**
 * The `loader-image` plugin: for architectures that boot through the
 * Microkit loader (ArchSupport.loader: ARM, RISC-V), writes the boot image
 * (`-o`): the loader with its boot page tables, the kernel and the packed
 * initialiser, as a raw binary, an ELF or a uImage.
 */
import { existsSync } from 'node:fs';
import { definePlugin } from '../../core/plugin.js';
import { loadSdkElf } from '../../core/program/images.js';
import { sdkElfPaths } from '../../core/sdk/config-dir.js';
import type { PackedInitialiser } from '../../core/pack/index.js';
import { buildLoaderImageChunks, loaderImageSizeLine, supportsImageType } from './index.js';
import type { InitialiserSegment } from './types.js';
import { loaderElfMissing, loaderNoSystem, unsupportedImageType } from './errors.js';

export { unsupportedImageType };

function initialiserSegments(packed: PackedInitialiser): InitialiserSegment[] {
  // The chunks as packed: the spec and frame data are written from where they are, never joined.
  return packed.segments.map((s) => ({ vaddr: s.vaddr, data: s.chunks, memsz: s.memsz }));
}

export const loaderImage = definePlugin(() => ({
  name: 'loader-image',
  apply(pipeline) {
    pipeline.hooks.configure.tap('loader-image', (ctx) => {
      const loader = ctx.arch.loader;
      if (!loader) return;
      const type = ctx.options.imageType;
      if (type !== undefined && !supportsImageType(loader, type)) throw unsupportedImageType(type, ctx.arch.displayName);
      if (ctx.options.mode === 'build' && ctx.sdk) {
        const path = sdkElfPaths(ctx.sdk).loader;
        if (!existsSync(path)) throw loaderElfMissing(path);
      }
    });

    pipeline.hooks.emit.tap('loader-image', (build, ctx) => {
      const loader = ctx.arch.loader;
      const path = ctx.options.outputs.image;
      if (!loader || path === undefined) return;
      const packed = build.initialiser;
      if (!packed || build.initialiserPhysBase === undefined || !build.kernelElf || !ctx.sdk) {
        throw loaderNoSystem();
      }
      const image = buildLoaderImageChunks({
        loaderElf: loadSdkElf('loader', sdkElfPaths(ctx.sdk).loader),
        kernelElf: build.kernelElf,
        kernel: ctx.kernel,
        initialiser: {
          segments: initialiserSegments(packed),
          entry: packed.entry,
          physBase: build.initialiserPhysBase,
          vaddrRange: packed.footprint,
        },
        arch: loader,
        imageType: ctx.options.imageType ?? 'binary',
        outputPath: path,
      });
      ctx.outputs.write(path, image.chunks);
      build.summary.push(loaderImageSizeLine(image.size));
    });
  },
}));
