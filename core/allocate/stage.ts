/**
 * The core's allocate stage: load the program images, then build the
 * system: patch symbols, build the spec, pack it into the initialiser and,
 * where the architecture knows the memory map at build time (ARM, RISC-V),
 * emulate the kernel's boot, simulate the initialiser's allocation and place
 * the regions the tool must place, repeating (at most 3 times) while new
 * placements change the spec (upstream main.rs's iteration loop).
 */
import type { ArchSupport } from '../arch.js';
import {
  allocationError,
  autoPlaceRegions,
  availableUserMemory,
  emulateKernelBoot,
  emulateKernelBootPartial,
  initialiserVirtualRegion,
  kernelImageRegions,
  placeInitialiser,
  simulateObjectAllocation,
  type PartialBoot,
} from '../boot/index.js';
import { allocationFailureHelp } from '../boot/allocation-help.js';
import type { BuildContext, MicrokitPipeline, MicrokitPlugin, SystemBuild } from '../build-types.js';
import type { ElfFile } from '../elf/index.js';
import { addExpectedUntypeds, encodeSpec, packInitialiser, specForInitialiser, type PackedInitialiser } from '../pack/index.js';
import { loadSdkElf, loadSystemImages, segmentBytes, type SystemImages } from '../program/images.js';
import { patchSymbols } from '../program/patch.js';
import type { MemoryRegion } from '../sdf/model.js';
import { sdkElfPaths } from '../sdk/config-dir.js';
import { buildSpec } from '../capdl/construct/build.js';
import { humanSizeStrict } from '../util/human-size.js';
import { progressStage } from '../progress.js';
import { archNoSpec, buildNeedsSdk, buildNoConvergence } from './errors.js';
import { specNoObjectSizes } from '../capdl/errors.js';

const MAX_BUILD_ITERATIONS = 3;

declare module '../build-types.js' {
  interface SystemBuild {
    /** The initialiser with the spec packed in. */
    initialiser?: PackedInitialiser;
    /** Where the initialiser's footprint starts in physical memory (ARM, RISC-V). */
    initialiserPhysBase?: bigint;
    /** The kernel ELF used (ARM, RISC-V: parsed for the boot emulation). */
    kernelElf?: ElfFile;
  }
}

/**
 * Upstream keeps object names in the packed spec for `debug` and
 * `smp-debug` only, and panics on any other config name; a custom SDK
 * config keeps them when its name ends in `debug`.
 */
export function keepNamesFor(config: string): boolean {
  return config === 'debug' || config.endsWith('-debug');
}

/** Loads and checks the PD and monitor ELFs (allocate, stage 0). */
export const programImagesPlugin: MicrokitPlugin = {
  name: 'core/program-images',
  apply(pipeline) {
    pipeline.hooks.allocate.tap('core/program-images', (build, ctx) => {
      if (!ctx.sdk) {
        throw buildNeedsSdk();
      }
      build.images = loadSystemImages(build.system, ctx.files, sdkElfPaths(ctx.sdk, ctx.options.overrideKernel).monitor, ctx.kernel.arch);
    });
  },
};

/** Builds the spec, packs the initialiser and places memory (allocate, stage 100). */
export const systemPlugin: MicrokitPlugin = {
  name: 'core/system',
  apply(pipeline) {
    pipeline.hooks.allocate.tap({ name: 'core/system', stage: 100 }, (build, ctx) => buildSystem(pipeline, build, ctx));
  },
};

/** Upstream's `MICROKIT|…` summary lines, printed once every output is written. */
export const summaryPlugin: MicrokitPlugin = {
  name: 'core/summary',
  apply(pipeline) {
    // Upstream prints these before the image's own line; the summary is printed once everything is written.
    pipeline.hooks.emit.tap({ name: 'core/summary', stage: -100 }, (build) => {
      build.summary.push(...specSummary(build));
    });
    pipeline.hooks.done.tap('core/summary', (result, ctx) => {
      for (const line of result.build?.summary ?? []) ctx.log.info(line);
    });
  },
};

/** Sub-steps are named for the progress line (`progressStage` is a no-op without one). */
function buildSystem(pipeline: MicrokitPipeline, build: SystemBuild, ctx: BuildContext): void {
  const archSpec = ctx.arch.spec;
  if (!archSpec) throw archNoSpec(ctx.arch.name);
  const sizes = ctx.kernel.objectSizes;
  if (!sizes) throw specNoObjectSizes();
  const paths = sdkElfPaths(ctx.sdk!, ctx.options.overrideKernel);
  const images = build.images!;
  const initialiserElf = loadSdkElf('initialiser', paths.initialiser);
  const boot = bootSetup(ctx.arch, ctx, paths.kernel);
  if (boot) build.kernelElf = boot.kernelElf;
  const toolPlaced = build.system.memoryRegions.filter((mr) => mr.physAddr.kind === 'tool');

  for (let iteration = 0; iteration < MAX_BUILD_ITERATIONS; iteration++) {
    patchSymbols(build.system, images, { kernel: ctx.kernel, vcpuThreads: archSpec.vcpuThreads, pdWords: pipeline.pdWordSymbols });
    progressStage('allocate: spec');
    const { spec } = buildSpec({ system: build.system, kernel: ctx.kernel, images, arch: archSpec, hooks: pipeline.spec });
    progressStage('allocate: pack');
    const packed = pack(spec, images, initialiserElf, ctx.options.config);
    build.spec = spec;
    build.initialiser = packed;
    if (!boot) return;

    // Where the kernel will put the initialiser, what it then hands over,
    // and whether the initialiser can create every object from that.
    const size = packed.footprint.end - packed.footprint.start;
    progressStage('allocate: boot emulation');
    const physBase = placeInitialiser(boot.partial, size);
    build.initialiserPhysBase = physBase;
    const bootInfo = emulateKernelBoot(
      boot.partial,
      ctx.kernel,
      boot.arch,
      { start: physBase, end: physBase + size },
      initialiserVirtualRegion(packed.footprint.start, packed.footprint.end),
    );
    // Only initialisers built with the (non-mainline) check symbols take the list.
    addExpectedUntypeds(
      packed,
      bootInfo.untypeds.map((u) => ({ paddr: u.start, sizeBits: u.sizeBits, isDevice: u.isDevice })),
    );
    progressStage('allocate: allocation simulation');
    const sim = simulateObjectAllocation(spec, bootInfo.untypeds, sizes, iteration === 0 ? 'report' : 'suppressed');
    build.objectPaddrs = sim.paddrs;
    if (!sim.ok) {
      if (iteration === 0) {
        // The report of what was placed is written for this failure (the report plugin's `failed` tap).
        throw allocationError(sim).withHelp(...allocationFailureHelp(spec, bootInfo.untypeds, sizes));
      }
      // A placement made the spec (and so the initialiser) grow: place again.
      for (const mr of toolPlaced) mr.physAddr = { kind: 'tool' };
      build.objectPaddrs = new Map();
    }

    const unplaced = toolPlaced.filter((mr) => mr.physAddr.kind === 'tool' && mr.physAddr.paddr === undefined);
    if (unplaced.length === 0) return;
    const available = availableUserMemory(bootInfo.untypeds, fixedRegions(build.system.memoryRegions), ctx.kernel.minimumPageSize);
    const placed = autoPlaceRegions(
      available,
      unplaced.map((mr) => ({ name: mr.name, size: mr.size, pageSize: mr.pageSize })),
    );
    unplaced.forEach((mr, i) => (mr.physAddr = { kind: 'tool', paddr: placed[i] }));
  }
  throw buildNoConvergence(MAX_BUILD_ITERATIONS);
}

interface BootSetup {
  readonly arch: NonNullable<ReturnType<NonNullable<ArchSupport['boot']>>>;
  readonly kernelElf: ElfFile;
  readonly partial: PartialBoot;
}

/** The partial kernel boot, once: where the kernel leaves memory for the initialiser. */
function bootSetup(arch: ArchSupport, ctx: BuildContext, kernelPath: string): BootSetup | undefined {
  if (!arch.boot || !ctx.kernel.memory) return undefined;
  const kernelElf = loadSdkElf('kernel', kernelPath);
  return { arch: arch.boot(ctx.kernel), kernelElf, partial: emulateKernelBootPartial(ctx.kernel.memory, kernelImageRegions(kernelElf)) };
}

function fixedRegions(regions: readonly MemoryRegion[]): { paddr: bigint; size: bigint }[] {
  return regions.flatMap((mr) => (mr.physAddr.kind === 'specified' ? [{ paddr: mr.physAddr.paddr, size: mr.size }] : []));
}

function pack(spec: NonNullable<SystemBuild['spec']>, images: SystemImages, initialiserElf: ElfFile, config: string): PackedInitialiser {
  const forInit = specForInitialiser(spec, {
    keepNames: keepNamesFor(config),
    resolveElf: (elfId, segIdx, range) => segmentBytes(images.images[elfId], segIdx, range.start, range.end),
  });
  return packInitialiser(initialiserElf, encodeSpec(forInit.spec), forInit.frameData);
}

/** Upstream's `MICROKIT|CAPDL SPEC` and `MICROKIT|INITIAL TASK` lines. */
export function specSummary(build: SystemBuild): string[] {
  const packed = build.initialiser;
  if (!build.spec || !packed) return [];
  return [
    `MICROKIT|CAPDL SPEC: number of root objects = ${build.spec.objects.length}, spec footprint = ${humanSizeStrict(packed.specSize)}`,
    `MICROKIT|INITIAL TASK: memory size = ${humanSizeStrict(packed.footprint.end - packed.footprint.start)}`,
  ];
}
