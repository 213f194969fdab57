/** The x86 `<irq>` forms: IOAPIC (`pin`) and MSI (`pcidev`); the system-wide IRQ number is the vector. */
import { checkAttributes, parseDecimal, requireAttribute } from '../../core/sdf/attributes.js';
import type { SdfParseContext } from '../../core/sdf/context.js';
import { sdfValueError } from '../../core/sdf/errors.js';
import type { Irq } from '../../core/sdf/model.js';
import { parseTrigger } from '../../core/sdf/parse/conventional-irq.js';
import type { IrqCommon, IrqWriter } from '../../core/sdf/syntax.js';
import { attributes } from '../../core/sdf/write/xml-text.js';
import { attribute, type XmlElement } from '../../core/sdf/xml.js';
import './model.js';
import { formatPciDevice, parsePciDevice } from './pci.js';

/** Computed by the kernel as irq_user_max - irq_user_min. */
export const X86_IRQ_VECTOR_MAX = 107n;

function parseVector(el: XmlElement): bigint {
  const vector = parseDecimal(el, requireAttribute(el, 'vector'), true);
  if (vector < 0n || vector > X86_IRQ_VECTOR_MAX) throw sdfValueError(el, `vector must be within [0..${X86_IRQ_VECTOR_MAX}]`);
  return vector;
}

export function parseIoapicIrq(el: XmlElement, common: IrqCommon, _ctx: SdfParseContext): Irq {
  checkAttributes(el, ['id', 'setvar_id', 'ioapic', 'pin', 'trigger', 'polarity', 'vector']);
  const ioapicText = attribute(el, 'ioapic');
  const ioapic = ioapicText === undefined ? 0n : parseDecimal(el, ioapicText, true);
  if (ioapic < 0n) throw sdfValueError(el, 'ioapic must be >= 0');
  const pin = parseDecimal(el, requireAttribute(el, 'pin'), true);
  if (pin < 0n) throw sdfValueError(el, 'pin must be >= 0');
  const trigger = parseTrigger(el);
  const polarityText = attribute(el, 'polarity');
  let polarity: 'low' | 'high' = 'high';
  if (polarityText === 'low') polarity = 'low';
  else if (polarityText !== undefined && polarityText !== 'high') throw sdfValueError(el, "polarity must be either 'low' or 'high'");
  const vector = parseVector(el);
  return { id: common.id, number: vector, kind: { type: 'ioapic', ioapic, pin, trigger, polarity, vector }, location: el.location };
}

export function parseMsiIrq(el: XmlElement, common: IrqCommon, _ctx: SdfParseContext): Irq {
  checkAttributes(el, ['id', 'setvar_id', 'pcidev', 'handle', 'vector']);
  const pci = parsePciDevice(requireAttribute(el, 'pcidev'));
  if (!pci.ok) throw sdfValueError(el, pci.reason);
  const handle = parseDecimal(el, requireAttribute(el, 'handle'), true);
  if (handle < 0n) throw sdfValueError(el, 'handle must be >= 0');
  const vector = parseVector(el);
  return { id: common.id, number: vector, kind: { type: 'msi', pciDevice: pci.device, handle, vector }, location: el.location };
}

/** `microkit sdf`: the IOAPIC form's attributes (defaults left out). */
export const writeIoapicIrq: IrqWriter = (kind) => {
  if (kind.type !== 'ioapic') return [];
  return attributes([
    ['ioapic', kind.ioapic === 0n ? undefined : kind.ioapic.toString()],
    ['pin', kind.pin.toString()],
    ['trigger', kind.trigger === 'level' ? undefined : kind.trigger],
    ['polarity', kind.polarity === 'high' ? undefined : kind.polarity],
    ['vector', kind.vector.toString()],
  ]);
};

export const writeMsiIrq: IrqWriter = (kind) => {
  if (kind.type !== 'msi') return [];
  return attributes([
    ['pcidev', formatPciDevice(kind.pciDevice)],
    ['handle', kind.handle.toString()],
    ['vector', kind.vector.toString()],
  ]);
};
