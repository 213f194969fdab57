/**
 * The core's SDF stages as built-in plugins: `core/sdf-parse` (upstream's
 * vocabulary and the XML parser on `parse`) and `core/sdf-validate`
 * (upstream's whole-system rules on `validate`, at the stages plugins
 * interleave with).
 */
import type { MicrokitPlugin } from '../build-types.js';
import { RESERVING_PLUGIN, reserveVocabulary } from './parse/reserved.js';
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
  checkToolLimits,
  checkVirtualMachines,
  unusedMemoryRegionWarnings,
  markToolPlacedRegions,
  VALIDATE_STAGES as S,
} from './validate/system-checks.js';

export const sdfParsePlugin: MicrokitPlugin = {
  name: RESERVING_PLUGIN,
  apply(pipeline) {
    // Upstream's whole vocabulary, with "not on this architecture" fallbacks that plugins replace.
    reserveVocabulary(pipeline.sdf);
    pipeline.hooks.parse.tap('core/sdf-parse', (source, ctx) => {
      const warnings: string[] = [];
      const parseCtx = {
        file: source.file,
        kernel: ctx.kernel,
        arch: ctx.arch,
        syntax: pipeline.sdf,
        files: ctx.files,
        warnings,
        diagnostics: ctx.diagnostics,
      };
      const system = source.root !== undefined ? parseSystemElement(source.root, parseCtx) : parseSdf(source.text, parseCtx);
      for (const w of warnings) ctx.log.info(w);
      return system;
    });
  },
};

export const sdfValidatePlugin: MicrokitPlugin = {
  name: 'core/sdf-validate',
  apply(pipeline) {
    const v = pipeline.hooks.validate;
    v.tap({ name: 'core/sdf-validate/pd-count', stage: S.PD_COUNT }, (sys) => checkPdCount(sys));
    v.tap({ name: 'core/sdf-validate/pd-names', stage: S.PD_NAMES }, (sys, ctx) => checkPdNames(sys, ctx.diagnostics));
    v.tap({ name: 'core/sdf-validate/mr-names', stage: S.MR_NAMES }, (sys, ctx) => checkMemoryRegionNames(sys, ctx.diagnostics));
    v.tap({ name: 'core/sdf-validate/virtual-machines', stage: S.VIRTUAL_MACHINES }, (sys, ctx) => checkVirtualMachines(sys, ctx.kernel, ctx.arch));
    v.tap({ name: 'core/sdf-validate/irq-numbers', stage: S.IRQ_NUMBERS }, (sys, ctx) => checkIrqNumbers(sys, ctx.diagnostics));
    v.tap({ name: 'core/sdf-validate/channels', stage: S.CHANNEL_IDS }, (sys, ctx) => checkChannels(sys, ctx.kernel, ctx.arch));
    v.tap({ name: 'core/sdf-validate/maps', stage: S.MAPS }, (sys, ctx) => checkPdMaps(sys, ctx.kernel, ctx.diagnostics));
    v.tap({ name: 'core/sdf-validate/cap-maps', stage: S.CAP_MAPS }, (sys, ctx) => checkCapMaps(sys, ctx.diagnostics));
    v.tap({ name: 'core/sdf-validate/mr-paddrs', stage: S.MR_PADDRS }, (sys, ctx) => checkMemoryRegionPaddrs(sys, ctx.diagnostics));
    v.tap({ name: 'core/sdf-validate/unused-mrs', stage: S.UNUSED_MRS }, (sys, ctx) => {
      for (const w of unusedMemoryRegionWarnings(sys)) {
        if (ctx.diagnostics) ctx.diagnostics.warn(w, ctx.log.info);
        else ctx.log.info(w.message);
      }
    });
    v.tap({ name: 'core/sdf-validate/prefill-sizes', stage: S.PREFILL_SIZES }, (sys) => checkPrefillSizeSetVars(sys));
    v.tap({ name: 'core/sdf-validate/region-paddrs', stage: S.REGION_PADDRS }, (sys) => markToolPlacedRegions(sys));
    v.tap({ name: 'core/sdf-validate/tool-limits', stage: S.TOOL_LIMITS }, (sys) => checkToolLimits(sys));
  },
};
