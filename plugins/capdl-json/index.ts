/**
 * `--capdl-json FILE`: the capDL spec as upstream writes it (serde_json
 * pretty printing of the tool-side spec, before packing), streamed.
 */
import { writeSpecJson } from '../../core/capdl/json.js';
import { definePlugin } from '../../core/plugin.js';
import { capdlJsonNoSpec } from './errors.js';

export const capdlJson = definePlugin(() => ({
  name: 'capdl-json',
  apply(pipeline) {
    pipeline.hooks.emit.tap('capdl-json', (build, ctx) => {
      const path = ctx.options.outputs.capdlJson;
      if (path === undefined) return;
      if (!build.spec) throw capdlJsonNoSpec();
      const spec = build.spec;
      ctx.outputs.write(path, (emit) => writeSpecJson(spec, emit));
    });
  },
}));
