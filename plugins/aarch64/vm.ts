/** AArch64 VMs run their vCPUs on threads of their own, with their own scheduling parameters. */
import { parseSdfNumber } from '../../core/sdf/attributes.js';
import type { SdfParseContext } from '../../core/sdf/context.js';
import { sdfValueError } from '../../core/sdf/errors.js';
import type { SchedulingParams } from '../../core/sdf/model.js';
import { parseBudgetPeriod, PD_MAX_PRIORITY } from '../../core/sdf/parse/protection-domain.js';
import { attribute, type XmlElement } from '../../core/sdf/xml.js';

export function parseVmSchedParams(el: XmlElement, _ctx: SdfParseContext): SchedulingParams {
  const { budget, period } = parseBudgetPeriod(el);
  const text = attribute(el, 'priority');
  const priority = text === undefined ? 0n : parseSdfNumber(el, text);
  // Upstream does not range-check this and truncates to 8 bits (300 → 44).
  if (priority > PD_MAX_PRIORITY) throw sdfValueError(el, `priority must be between 0 and ${PD_MAX_PRIORITY}`);
  return { priority: Number(priority), budget, period };
}
