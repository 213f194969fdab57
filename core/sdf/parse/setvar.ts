/** Setvars share one symbol namespace per PD (upstream's checked_add_setvar). */
import { sdfDuplicateSetVar } from '../errors.js';
import type { SetVar, SetVarValue } from '../model.js';
import type { XmlElement } from '../xml.js';

/**
 * Add a setvar to a PD's list; `reportOn` is the element a duplicate is
 * reported on (upstream uses the element that introduced the setvar).
 */
export function addSetVar(setvars: SetVar[], reportOn: XmlElement, symbol: string, value: SetVarValue, origin: string): void {
  const first = setvars.find((s) => s.symbol === symbol);
  if (first !== undefined) throw sdfDuplicateSetVar(reportOn, symbol, first.location);
  setvars.push({ symbol, value, origin, location: reportOn.location });
}
