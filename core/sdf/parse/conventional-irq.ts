/**
 * The ARM/RISC-V `<irq irq=".." trigger="..">` form. The core provides it;
 * the aarch64 and riscv64 plugins claim it (their IRQ objects differ only in
 * the spec).
 */
import { checkAttributes, parseDecimal, requireAttribute } from '../attributes.js';
import type { SdfParseContext } from '../context.js';
import { sdfValueError } from '../errors.js';
import type { Irq } from '../model.js';
import type { IrqCommon } from '../syntax.js';
import { attribute, type XmlElement } from '../xml.js';

export function parseTrigger(el: XmlElement): 'level' | 'edge' {
  const t = attribute(el, 'trigger');
  if (t === undefined || t === 'level') return 'level';
  if (t === 'edge') return 'edge';
  throw sdfValueError(el, "trigger must be either 'level' or 'edge'");
}

export function parseConventionalIrq(el: XmlElement, common: IrqCommon, _ctx: SdfParseContext): Irq {
  checkAttributes(el, ['irq', 'id', 'setvar_id', 'trigger']);
  const irq = parseDecimal(el, requireAttribute(el, 'irq'), false);
  const trigger = parseTrigger(el);
  return { id: common.id, number: irq, kind: { type: 'conventional', irq, trigger }, location: el.location };
}
