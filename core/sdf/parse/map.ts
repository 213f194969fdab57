/** `<map>` in a PD or VM (upstream's SysMap::from_xml). */
import { hex } from '../../util/bigint.js';
import { checkAttributes, parseBoolAttribute, parseSdfNumber, requireAttribute } from '../attributes.js';
import { sdfAttributeValueError } from '../errors.js';
import { PERM_EXECUTE, PERM_READ, PERM_WRITE, type Map as SdfMap } from '../model.js';
import { attribute, type XmlElement } from '../xml.js';

const MAP_ATTRIBUTES = ['mr', 'vaddr', 'perms', 'cached'];
const MAP_SETVAR_ATTRIBUTES = ['setvar_vaddr', 'setvar_size', 'setvar_prefill_size'];

export function parsePerms(text: string): number | undefined {
  let perms = 0;
  for (const c of text) {
    if (c === 'r') perms |= PERM_READ;
    else if (c === 'w') perms |= PERM_WRITE;
    else if (c === 'x') perms |= PERM_EXECUTE;
    else return undefined;
  }
  return perms;
}

/**
 * @param allowSetVars PD maps may carry setvar_* attributes; VM maps may not.
 * @param maxVaddr first invalid address for the map's start.
 */
export function parseMap(el: XmlElement, allowSetVars: boolean, maxVaddr: bigint): SdfMap {
  checkAttributes(el, allowSetVars ? [...MAP_ATTRIBUTES, ...MAP_SETVAR_ATTRIBUTES] : MAP_ATTRIBUTES);
  const mr = requireAttribute(el, 'mr');
  const vaddr = parseSdfNumber(el, requireAttribute(el, 'vaddr'));
  if (vaddr >= maxVaddr) throw sdfAttributeValueError(el, 'vaddr', `vaddr (${hex(vaddr)}) must be less than ${hex(maxVaddr)}`);

  const permsText = attribute(el, 'perms');
  let perms = PERM_READ | PERM_WRITE;
  if (permsText !== undefined) {
    const parsed = parsePerms(permsText);
    if (parsed === undefined)
      throw sdfAttributeValueError(el, 'perms', "perms must only be a combination of 'r', 'w', and 'x'", 'e.g. perms="rw" or perms="rx"');
    perms = parsed;
  }
  // No architecture allows write-only mappings.
  if (perms === PERM_WRITE) throw sdfAttributeValueError(el, 'perms', "perms must not be 'w', write-only mappings are not allowed", 'use perms="rw"');
  // Nor writable-but-unreadable ones: seL4 refuses them at run time (upstream refuses them since PR #577).
  if (perms === (PERM_WRITE | PERM_EXECUTE)) {
    throw sdfAttributeValueError(el, 'perms', "perms must not be 'wx', write-only mappings are not allowed", 'use perms="rwx"');
  }

  const cached = parseBoolAttribute(el, 'cached', true);
  return { mr, vaddr, perms, cached, location: el.location };
}
