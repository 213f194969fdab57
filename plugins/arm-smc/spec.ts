/** One ArmSmc object for the system, and its cap in every PD that asked for SMC forwarding. */
import type { ObjectId } from '../../core/capdl/spec.js';
import { plainCap } from '../../core/capdl/construct/builder.js';
import type { PdSpecContext, SpecContext } from '../../core/capdl/construct/hooks.js';
import { PdSlot } from '../../core/capdl/construct/layout.js';

export function armSmcCaps(): (ctx: PdSpecContext) => void {
  // One object per spec build; the builder identifies the build.
  const objects = new WeakMap<SpecContext['builder'], ObjectId>();
  return (ctx) => {
    if (!ctx.pd.smc) return;
    let id = objects.get(ctx.builder);
    if (id === undefined) {
      id = ctx.builder.add('arm_smc', { type: 'ArmSmc' });
      objects.set(ctx.builder, id);
    }
    ctx.addCap(PdSlot.ArmSmc, plainCap('ArmSmc', id));
  };
}
