/** `<cspace>` cap maps (CS1–CS6); PD names are resolved after all PDs are parsed. */
import { checkAttributes, parseSdfNumber, requireAttribute } from '../attributes.js';
import { sdfInvalidCspaceElement, sdfUnsupportedCapType, sdfValueError } from '../errors.js';
import { formatLocation } from '../location.js';
import type { CapMap, CapMapType } from '../model.js';
import { childElements, type XmlElement } from '../xml.js';

/** Slots of the user-cap root CNode (PD_ROOT_CAP_BITS = 6); upstream accepts up to 127, which fail at boot (docs/compat.md). */
export const CAP_MAP_MAX_SLOT = 64n;
/** Upstream's own limit, checked where upstream checks it (slots 64..127 are refused by validation's TOOL_LIMITS stage). */
export const UPSTREAM_CAP_MAP_MAX_SLOT = 128n;

const CAP_TYPES: Readonly<Record<string, CapMapType>> = { cap_tcb: 'tcb', cap_sc: 'sc', cap_vspace: 'vspace' };

export function parseCSpace(el: XmlElement): CapMap[] {
  checkAttributes(el, []);
  const maps: CapMap[] = [];
  for (const child of childElements(el)) {
    const type = CAP_TYPES[child.tag];
    if (type === undefined) {
      const where = formatLocation(child.location);
      if (child.tag.startsWith('cap_')) {
        throw sdfUnsupportedCapType(child, where);
      }
      throw sdfInvalidCspaceElement(child, where);
    }
    maps.push(parseCapMap(child, type));
  }
  return maps;
}

function parseCapMap(el: XmlElement, type: CapMapType): CapMap {
  checkAttributes(el, ['slot', 'pd']);
  const pdName = requireAttribute(el, 'pd');
  const slot = parseSdfNumber(el, requireAttribute(el, 'slot'));
  if (slot === 0n) throw sdfValueError(el, 'The destination slot 0 has been reserved for Microkit CNode');
  if (slot >= UPSTREAM_CAP_MAP_MAX_SLOT) throw sdfValueError(el, `There are only ${UPSTREAM_CAP_MAP_MAX_SLOT} destination cspace slots available.`);
  return { type, pdName, pd: -1, slot, location: el.location };
}
