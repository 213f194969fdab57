/** `<channel>`/`<end>` (CH1–CH9); parsed after every PD so ends may name any PD. */
import { checkAttributes, parseBoolAttribute, parseDecimal, requireAttribute } from '../attributes.js';
import { sdfErrorColon, sdfValueError } from '../errors.js';
import type { Channel, ChannelEnd } from '../model.js';
import { attribute, childElements, type XmlElement } from '../xml.js';
import { PD_MAX_ID } from './pd-limits.js';

export function parseChannel(el: XmlElement, pdIndexByName: ReadonlyMap<string, number>): Channel {
  checkAttributes(el, []);
  // Every child is parsed (and may fail) before the count is checked, as upstream.
  const ends = childElements(el).map((child) => parseChannelEnd(child, pdIndexByName));
  if (ends.length !== 2) throw sdfValueError(el, 'exactly two end elements must be specified');
  const [a, b] = ends;
  if (a.pp && b.pp) throw sdfValueError(el, 'cannot ppc bidirectionally');
  return { a, b, location: el.location };
}

function parseChannelEnd(el: XmlElement, pdIndexByName: ReadonlyMap<string, number>): ChannelEnd {
  if (el.tag !== 'end') throw sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element '${el.tag}'`, el.location);
  checkAttributes(el, ['pd', 'id', 'pp', 'notify', 'setvar_id']);
  const pdName = requireAttribute(el, 'pd');
  const id = parseDecimal(el, requireAttribute(el, 'id'), true);
  if (id > PD_MAX_ID) throw sdfValueError(el, `id must be < ${PD_MAX_ID + 1n}`);
  if (id < 0n) throw sdfValueError(el, 'id must be >= 0');
  const notify = parseBoolAttribute(el, 'notify', true);
  const pp = parseBoolAttribute(el, 'pp', false);
  const pd = pdIndexByName.get(pdName);
  if (pd === undefined) throw sdfValueError(el, `invalid PD name '${pdName}'`);
  return { pd, id, notify, pp, setvarId: attribute(el, 'setvar_id'), location: el.location };
}
