/**
 * ARM SMC forwarding: the PD `smc` attribute (and, in the spec, the shared
 * ArmSmc object and its cap at libmicrokit's slot).
 */
import { definePlugin } from '../../core/plugin.js';
import { parseBoolAttribute } from '../../core/sdf/attributes.js';
import { sdfUnlocatedError, sdfValueError } from '../../core/sdf/errors.js';
import { armSmcCaps } from './spec.js';

export const armSmc = definePlugin(() => ({
  name: 'arm-smc',
  apply(pipeline) {
    pipeline.sdf.pdAttribute('smc', (pdElement, _value, ctx, pd) => {
      pd.smc = parseBoolAttribute(pdElement, 'smc', false);
      if (!pd.smc) return;
      if (ctx.kernel.armSmc === undefined) {
        throw sdfUnlocatedError('SDF_FEATURE_UNAVAILABLE', 'ARM SMC forwarding support is not available for this architecture', pdElement.location);
      }
      if (!ctx.kernel.armSmc) {
        throw sdfValueError(pdElement, 'Using SMC support without ARM SMC forwarding support enabled in the kernel for this platform');
      }
    });
    pipeline.spec.protectionDomain.tap('arm-smc', armSmcCaps());
  },
}));
