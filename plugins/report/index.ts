/** report.txt (`-r`, default `report.txt`): the spec's threads, CSpaces, IRQs and objects, as upstream writes it. */
import { definePlugin } from '../../core/plugin.js';
import { writeReport } from './render.js';
import { reportNoSpec } from './errors.js';

export { renderReport, renderReportParts, writeReport } from './render.js';
export type { ReportOptions, ReportSink } from './render.js';

export const report = definePlugin(() => ({
  name: 'report',
  apply(pipeline) {
    pipeline.hooks.emit.tap('report', (build, ctx) => {
      const path = ctx.options.outputs.report;
      if (path === undefined) return;
      if (!build.spec || !ctx.kernel.objectSizes) throw reportNoSpec();
      const spec = build.spec;
      const options = { arch: ctx.kernel.arch, objectSizes: ctx.kernel.objectSizes, paddrs: build.objectPaddrs };
      // Rendered while written, in chunks: one write per line would be slow, one string per report large.
      ctx.outputs.write(path, (emit) => writeReport(spec, options, emit));
    });
    // Upstream's allocation error says "Please see report for more details" but writes none: write it,
    // with the objects placed before the simulation ran out (the others without an address).
    pipeline.hooks.failed.tap('report', (build, error, ctx) => {
      const path = ctx.options.outputs.report;
      if (error.code !== 'ALLOCATION_FAILED' || path === undefined || !build.spec || !ctx.kernel.objectSizes) return;
      const spec = build.spec;
      const options = { arch: ctx.kernel.arch, objectSizes: ctx.kernel.objectSizes, paddrs: build.objectPaddrs };
      ctx.outputs.write(path, (emit) => writeReport(spec, options, emit));
      error.withHelp(`the report of the failed allocation is in ${path}`);
    });
  },
}));
