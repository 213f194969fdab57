/** report.txt (`-r`, default `report.txt`): the spec's threads, CSpaces, IRQs and objects, as upstream writes it. */
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { definePlugin } from '../../core/plugin.js';
import { renderReportParts } from './render.js';

export { renderReport, renderReportParts } from './render.js';
export type { ReportOptions } from './render.js';

export const report = definePlugin(() => ({
  name: 'report',
  apply(pipeline) {
    pipeline.hooks.emit.tap('report', (build, ctx) => {
      const path = ctx.options.outputs.report;
      if (path === undefined) return;
      if (!build.spec || !ctx.kernel.objectSizes) throw new MicrokitError('REPORT_NO_SPEC', 'microkit: error: no capDL spec was built');
      const parts = renderReportParts(build.spec, { arch: ctx.kernel.arch, objectSizes: ctx.kernel.objectSizes, paddrs: build.objectPaddrs });
      // Written in batches: one write per line would be slow, one string per report large.
      ctx.outputs.write(path, (emit) => {
        for (let i = 0; i < parts.length; i += 16384) emit(parts.slice(i, i + 16384).join(''));
      });
    });
    // Upstream's allocation error says "Please see report for more details" but writes none: write it,
    // with the objects placed before the simulation ran out (the others without an address).
    pipeline.hooks.failed.tap('report', (build, error, ctx) => {
      const path = ctx.options.outputs.report;
      if (error.code !== 'ALLOCATION_FAILED' || path === undefined || !build.spec || !ctx.kernel.objectSizes) return;
      const parts = renderReportParts(build.spec, { arch: ctx.kernel.arch, objectSizes: ctx.kernel.objectSizes, paddrs: build.objectPaddrs });
      ctx.outputs.write(path, (emit) => {
        for (let i = 0; i < parts.length; i += 16384) emit(parts.slice(i, i + 16384).join(''));
      });
      error.withHelp(`the report of the failed allocation is in ${path}`);
    });
  },
}));
