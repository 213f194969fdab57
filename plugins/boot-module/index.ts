/**
 * The `boot-module` plugin: for architectures that boot without the Microkit
 * loader (x86 multiboot), writes the packed initialiser as an ELF boot
 * module (`-o`) and copies the kernel (`sel4.elf`) and its 32-bit form
 * (`sel4_32.elf`, what QEMU's -kernel takes) next to it.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { definePlugin } from '../../core/plugin.js';
import { bootModuleChunks, bootModuleSize } from '../../core/pack/index.js';
import { sdkElfPaths } from '../../core/sdk/config-dir.js';
import { humanSizeStrict } from '../../core/util/human-size.js';
import { unsupportedImageType } from '../loader-image/plugin.js';
import { bootModuleKernelCopyFailed, bootModuleNoSystem } from './errors.js';

export const KERNEL_COPY = 'sel4.elf';
export const KERNEL32_COPY = 'sel4_32.elf';

function readKernel(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw bootModuleKernelCopyFailed(what, (e as Error).message);
  }
}

export const bootModule = definePlugin(() => ({
  name: 'boot-module',
  apply(pipeline) {
    pipeline.hooks.configure.tap('boot-module', (ctx) => {
      if (ctx.arch.loader) return;
      const type = ctx.options.imageType;
      if (type !== undefined && type !== 'elf') throw unsupportedImageType(type, ctx.arch.displayName);
    });

    pipeline.hooks.emit.tap('boot-module', (build, ctx) => {
      const path = ctx.options.outputs.image;
      if (ctx.arch.loader || path === undefined) return;
      const packed = build.initialiser;
      if (!packed || !ctx.sdk) throw bootModuleNoSystem();
      ctx.outputs.write(path, bootModuleChunks(packed));
      const elfs = sdkElfPaths(ctx.sdk, ctx.options.overrideKernel);
      ctx.outputs.write(join(dirname(path), KERNEL_COPY), readKernel(elfs.kernel, 'kernel'));
      ctx.outputs.write(join(dirname(path), KERNEL32_COPY), readKernel(elfs.kernel32, '32-bit kernel'));
      build.summary.push(`MICROKIT|BOOT MODULE: image file size = ${humanSizeStrict(bootModuleSize(packed))}`);
    });
  },
}));
