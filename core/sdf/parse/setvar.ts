/** Setvars share one symbol namespace per PD (upstream's checked_add_setvar). */
import { sdfDuplicateSetVar } from '../errors.js';
import type { SetVar, SetVarValue } from '../model.js';
import type { XmlElement } from '../xml.js';

/**
 * Add a setvar to a PD's list; `reportOn` is the element a duplicate is
 * reported on (upstream uses the element that introduced the setvar).
 */
export function addSetVar(setvars: SetVar[], reportOn: XmlElement, symbol: string, value: SetVarValue, origin: string): void {
  const first = firstBySymbol(setvars).get(symbol);
  if (first !== undefined) throw sdfDuplicateSetVar(reportOn, symbol, first.location);
  setvars.push({ symbol, value, origin, location: reportOn.location });
}

/** Each list's first setvar per symbol, extended as the list grows: a search per setvar was quadratic (100k took half a minute). */
const indexes = new WeakMap<SetVar[], { readonly bySymbol: Map<string, SetVar>; counted: number }>();

function firstBySymbol(setvars: SetVar[]): Map<string, SetVar> {
  let index = indexes.get(setvars);
  if (index === undefined || index.counted > setvars.length) {
    index = { bySymbol: new Map(), counted: 0 };
    indexes.set(setvars, index);
  }
  for (; index.counted < setvars.length; index.counted++) {
    const s = setvars[index.counted];
    if (!index.bySymbol.has(s.symbol)) index.bySymbol.set(s.symbol, s);
  }
  return index.bySymbol;
}
