/**
 * The parts of upstream's SDF vocabulary that plugins own, with what the
 * core says when no plugin claims them: exactly what upstream says for the
 * construct on an architecture or kernel without the feature.
 */
import { parseBoolAttribute } from '../attributes.js';
import { sdfErrorColon, sdfUnlocatedError, sdfValueError } from '../errors.js';
import type { SdfSyntax } from '../syntax.js';

/** The plugin that reserves the vocabulary (core/sdf/stages.ts): its entries are no architecture's own forms. */
export const RESERVING_PLUGIN = 'core/sdf-parse';

export function reserveVocabulary(syntax: SdfSyntax): void {
  syntax.systemElement('io_address_space', (el) => {
    throw sdfErrorColon('SDF_FEATURE_UNAVAILABLE', 'io address space requires seL4 to be built with IOMMU support', el.location);
  });

  syntax.pdElement('ioport', (_el, pdElement) => {
    throw sdfValueError(pdElement, 'I/O Ports are only available on x86', 'SDF_FEATURE_UNAVAILABLE');
  });

  syntax.pdAttribute('smc', (pdElement, _value, _ctx, pd) => {
    pd.smc = parseBoolAttribute(pdElement, 'smc', false);
    if (pd.smc) {
      throw sdfUnlocatedError('SDF_FEATURE_UNAVAILABLE', 'ARM SMC forwarding support is not available for this architecture', pdElement.location);
    }
  });

  syntax.irqForm('irq', 10, (el) => {
    throw sdfValueError(el, 'ARM and RISC-V IRQs are not supported on x86', 'SDF_FEATURE_UNAVAILABLE');
  });
  syntax.irqForm('pin', 20, (el) => {
    throw sdfValueError(el, "x86 I/O APIC IRQ isn't supported on ARM and RISC-V", 'SDF_FEATURE_UNAVAILABLE');
  });
  syntax.irqForm('pcidev', 30, (el) => {
    throw sdfValueError(el, "x86 MSI IRQ isn't supported on ARM and RISC-V", 'SDF_FEATURE_UNAVAILABLE');
  });
}
