/**
 * Example of the spec-construction extension point (`pipeline.spec`): give
 * chosen PDs a cap to their own TCB in a free slot of their CNode, as
 * benchmark kernels do at slot 6 (e.g. to read a thread's registers while
 * debugging). Also adds an SDF element, `<own_tcb_cap slot=".."/>` inside a
 * `<protection_domain>`, through the SDF syntax registry, and says how to
 * write it back (`microkit sdf`) with an SDF writer.
 *
 *   plugins: [ownTcbCap()]
 *   <protection_domain name="worker"> ... <own_tcb_cap slot="9"/> </protection_domain>
 */
import { checkAttributes, definePlugin, parseSdfNumber, requireAttribute, sdfValueError } from '../../core/index.js';
import { plainCap } from '../../core/capdl/construct/builder.js';
import { PdSlot } from '../../core/capdl/construct/layout.js';

declare module '../../core/sdf/model.js' {
  interface ProtectionDomain {
    /** Set by the own-tcb-cap example plugin. */
    readonly ownTcbSlot?: number;
  }
}

/** Slots 8 and 9 are free in every PD's CNode (libmicrokit uses 1-7, then 10 and up). */
const FREE_SLOTS = [8, 9];

export const ownTcbCap = definePlugin(() => ({
  name: 'own-tcb-cap',
  apply(pipeline) {
    pipeline.sdf.pdElement('own_tcb_cap', (el, pdElement, _ctx, pd) => {
      checkAttributes(el, ['slot']);
      const slot = Number(parseSdfNumber(el, requireAttribute(el, 'slot')));
      if (!FREE_SLOTS.includes(slot)) throw sdfValueError(el, `slot must be one of ${FREE_SLOTS.join(', ')}`);
      if (pd.ownTcbSlot !== undefined) throw sdfValueError(pdElement, 'own_tcb_cap must only be specified once');
      pd.ownTcbSlot = slot;
    });
    // `microkit sdf`: the element back; the model keeps no location of its own, so it goes first among the PD's children.
    pipeline.sdf.pdWriter((pd) => ({
      children:
        pd.ownTcbSlot === undefined
          ? []
          : [{ kind: 'element', tag: 'own_tcb_cap', attributes: [{ name: 'slot', value: String(pd.ownTcbSlot) }], children: [], location: pd.location }],
    }));
    pipeline.spec.protectionDomain.tap('own-tcb-cap', (ctx) => {
      const slot = ctx.pd.ownTcbSlot;
      if (slot !== undefined && slot !== PdSlot.Tcb) ctx.addCap(slot, plainCap('Tcb', ctx.objects.tcb));
    });
  },
}));
