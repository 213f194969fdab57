/** Reading caps and cap tables from `--capdl-json`. */
import type { JsonObject, JsonValue } from '../../util/json.js';
import { CAP_TYPES } from '../spec.js';
import type { Cap, CapTableEntry, PlainCapType, Rights } from '../spec.js';
import { asArray, asObject, bool, fail, get, payloadObject, u32, u8, variant, word } from './read-values.js';

function readRights(v: JsonValue, path: string): Rights {
  const o = asObject(v, path);
  return {
    read: bool(o, 'read', path),
    write: bool(o, 'write', path),
    grant: bool(o, 'grant', path),
    grantReply: bool(o, 'grant_reply', path),
  };
}

const CAP_TYPE_SET: ReadonlySet<string> = new Set(CAP_TYPES);

function readCap(v: JsonValue, path: string): Cap {
  const [tag, payload] = variant(v, path);
  if (!CAP_TYPE_SET.has(tag)) fail(path, `unknown cap variant "${tag}"`);
  const p = `${path}.${tag}`;
  const o = payloadObject(payload, tag, path);
  const object = u32(o, 'object', p);
  switch (tag) {
    case 'Endpoint':
    case 'Notification':
      return { type: tag, object, badge: word(o, 'badge', p), rights: readRights(get(o, 'rights', p), `${p}.rights`) };
    case 'CNode':
      return { type: 'CNode', object, guard: word(o, 'guard', p), guardSize: u8(o, 'guard_size', p) };
    case 'Frame':
      return {
        type: 'Frame',
        object,
        rights: readRights(get(o, 'rights', p), `${p}.rights`),
        cached: bool(o, 'cached', p),
        executable: bool(o, 'executable', p),
      };
    default:
      return { type: tag as PlainCapType, object };
  }
}

export function readSlots(o: JsonObject, path: string): CapTableEntry[] {
  const p = `${path}.slots`;
  return asArray(get(o, 'slots', path), p).map((item, i) => {
    const ep = `${p}[${i}]`;
    const entry = asObject(item, ep);
    return { slot: u32(entry, 'slot', ep), cap: readCap(get(entry, 'cap', ep), `${ep}.cap`) };
  });
}
