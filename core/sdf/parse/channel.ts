/** `<channel>`/`<end>` (CH1–CH9); parsed after every PD so ends may name any PD. */
import { checkAttributes, parseBoolAttribute, parseDecimal, requireAttribute } from '../attributes.js';
import { DependentError } from '../../diagnostics/sink.js';
import { sdfAttributeValueError, sdfInvalidElement, sdfUnknownChannelEndPd, sdfValueError } from '../errors.js';
import type { Channel, ChannelEnd } from '../model.js';
import { attribute, childElements, type XmlElement } from '../xml.js';
import { PD_MAX_ID } from './pd-limits.js';

/** The PDs a channel end may name; `broken` are those that failed to parse (no error of their own here). */
export interface ChannelPdNames {
  readonly parsed: ReadonlyMap<string, number>;
  readonly broken?: ReadonlySet<string>;
}

export function parseChannel(el: XmlElement, pdNames: ReadonlyMap<string, number> | ChannelPdNames): Channel {
  const names: ChannelPdNames = pdNames instanceof Map ? { parsed: pdNames } : (pdNames as ChannelPdNames);
  checkAttributes(el, []);
  // Every child is parsed (and may fail) before the count is checked, as upstream.
  const ends = childElements(el).map((child) => parseChannelEnd(child, names));
  if (ends.length !== 2) throw sdfValueError(el, 'exactly two end elements must be specified');
  const [a, b] = ends;
  if (a.pp && b.pp) throw sdfValueError(el, 'cannot ppc bidirectionally');
  return { a, b, location: el.location };
}

function parseChannelEnd(el: XmlElement, names: ChannelPdNames): ChannelEnd {
  if (el.tag !== 'end') throw sdfInvalidElement(el, ['end'], 'channel');
  checkAttributes(el, ['pd', 'id', 'pp', 'notify', 'setvar_id']);
  const pdName = requireAttribute(el, 'pd');
  const id = parseDecimal(el, requireAttribute(el, 'id'), true);
  if (id > PD_MAX_ID) throw sdfAttributeValueError(el, 'id', `id must be < ${PD_MAX_ID + 1n}`);
  if (id < 0n) throw sdfAttributeValueError(el, 'id', 'id must be >= 0');
  const notify = parseBoolAttribute(el, 'notify', true);
  const pp = parseBoolAttribute(el, 'pp', false);
  const pd = names.parsed.get(pdName);
  if (pd === undefined) {
    if (names.broken?.has(pdName)) throw new DependentError(`PD '${pdName}' did not parse`);
    throw sdfUnknownChannelEndPd(el, pdName, names.parsed.keys());
  }
  return { pd, id, notify, pp, setvarId: attribute(el, 'setvar_id'), location: el.location };
}
