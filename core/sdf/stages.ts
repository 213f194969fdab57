/**
 * The core's own taps: the XML SDF parser on `parse` and upstream's
 * whole-system rules on `validate`, at the stages plugins interleave with.
 */
import type { Pipeline } from '../pipeline.js';
import { parseSdf, parseSystemElement } from './parse/system.js';
import {
  checkCapMaps,
  checkChannels,
  checkIrqNumbers,
  checkMemoryRegionNames,
  checkMemoryRegionPaddrs,
  checkPdCount,
  checkPdMaps,
  checkPdNames,
  checkPrefillSizeSetVars,
  checkVirtualMachines,
  findUnusedMemoryRegions,
  markToolPlacedRegions,
  VALIDATE_STAGES as S,
} from './validate/system-checks.js';

export function tapCoreSdfStages(pipeline: Pipeline): void {
  pipeline.hooks.parse.tap('core/sdf-xml', (source, ctx) => {
    const warnings: string[] = [];
    const parseCtx = { file: source.file, kernel: ctx.kernel, arch: ctx.arch, syntax: pipeline.sdf, files: ctx.files, warnings };
    const system = source.root !== undefined ? parseSystemElement(source.root, parseCtx) : parseSdf(source.text, parseCtx);
    for (const w of warnings) ctx.log.info(w);
    return system;
  });

  const v = pipeline.hooks.validate;
  v.tap({ name: 'core/pd-count', stage: S.PD_COUNT }, (sys) => checkPdCount(sys));
  v.tap({ name: 'core/pd-names', stage: S.PD_NAMES }, (sys) => checkPdNames(sys));
  v.tap({ name: 'core/mr-names', stage: S.MR_NAMES }, (sys) => checkMemoryRegionNames(sys));
  v.tap({ name: 'core/virtual-machines', stage: S.VIRTUAL_MACHINES }, (sys, ctx) => checkVirtualMachines(sys, ctx.kernel, ctx.arch));
  v.tap({ name: 'core/irq-numbers', stage: S.IRQ_NUMBERS }, (sys) => checkIrqNumbers(sys));
  v.tap({ name: 'core/channels', stage: S.CHANNEL_IDS }, (sys, ctx) => checkChannels(sys, ctx.kernel, ctx.arch));
  v.tap({ name: 'core/maps', stage: S.MAPS }, (sys, ctx) => checkPdMaps(sys, ctx.kernel));
  v.tap({ name: 'core/cap-maps', stage: S.CAP_MAPS }, (sys) => checkCapMaps(sys));
  v.tap({ name: 'core/mr-paddrs', stage: S.MR_PADDRS }, (sys) => checkMemoryRegionPaddrs(sys));
  v.tap({ name: 'core/unused-mrs', stage: S.UNUSED_MRS }, (sys, ctx) => {
    for (const w of findUnusedMemoryRegions(sys)) ctx.log.info(w);
  });
  v.tap({ name: 'core/prefill-sizes', stage: S.PREFILL_SIZES }, (sys) => checkPrefillSizeSetVars(sys));
  v.tap({ name: 'core/region-paddrs', stage: S.REGION_PADDRS }, (sys) => markToolPlacedRegions(sys));
}
