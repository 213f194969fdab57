/**
 * The core's allocate stage: load the program images, then build the
 * system: patch symbols, build the spec, pack it into the initialiser and,
 * where the memory map is known (ARM, RISC-V), emulate the kernel's boot,
 * simulate the initialiser's allocation and place the regions the tool must
 * place, repeating (at most 3 times) while placements change the spec.
 */
import { MicrokitError } from '../errors/microkit-error.js';
import type { Pipeline } from '../pipeline.js';
import { loadSystemImages } from '../program/images.js';
import { patchSymbols } from '../program/patch.js';
import { sdkElfPaths } from '../sdk/config-dir.js';
import { buildSpec } from '../spec/build.js';

export function tapCoreAllocate(pipeline: Pipeline): void {
  pipeline.hooks.allocate.tap('core/program-images', (build, ctx) => {
    if (!ctx.sdk) {
      throw new MicrokitError(
        'BUILD_NEEDS_SDK',
        "microkit: error: building needs a Microkit SDK: set MICROKIT_SDK, or `sdk` in microkit.config.ts (a path, or 'synthetic' for stub ELFs that do not boot)",
      );
    }
    build.images = loadSystemImages(build.system, ctx.files, sdkElfPaths(ctx.sdk, ctx.options.overrideKernel).monitor);
  });

  pipeline.hooks.allocate.tap({ name: 'core/spec', stage: 100 }, (build, ctx) => {
    const archSpec = ctx.arch.spec;
    if (!archSpec) throw new MicrokitError('ARCH_NO_SPEC', `microkit: error: the '${ctx.arch.name}' plugin cannot build specs`);
    const images = build.images!;
    patchSymbols(build.system, images, { kernel: ctx.kernel, vcpuThreads: archSpec.vcpuThreads, pdWords: pipeline.pdWordSymbols });
    const { spec } = buildSpec({ system: build.system, kernel: ctx.kernel, images, arch: archSpec, hooks: pipeline.spec });
    build.spec = spec;
  });
}
