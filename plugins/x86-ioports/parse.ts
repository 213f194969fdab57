/** `<ioport id addr size setvar_id setvar_addr>` (PC18). */
import { checkAttributes, parseDecimal, parseSdfNumber, requireAttribute } from '../../core/sdf/attributes.js';
import { sdfValueError } from '../../core/sdf/errors.js';
import { PD_MAX_ID } from '../../core/sdf/parse/protection-domain.js';
import { addSetVar } from '../../core/sdf/parse/setvar.js';
import type { PdElementParser, PdWriter } from '../../core/sdf/syntax.js';
import { constantIs, hexText, SetVarClaims } from '../../core/sdf/write/system.js';
import { attributes, xmlElement } from '../../core/sdf/write/xml-text.js';
import { attribute } from '../../core/sdf/xml.js';
import type { IoPort } from './model.js';

export const parseIoPort: PdElementParser = (el, _pdElement, _ctx, pd) => {
  checkAttributes(el, ['id', 'setvar_id', 'setvar_addr', 'addr', 'size']);
  const id = parseDecimal(el, requireAttribute(el, 'id'), true);
  if (id > PD_MAX_ID) throw sdfValueError(el, `id must be < ${PD_MAX_ID + 1n}`);
  if (id < 0n) throw sdfValueError(el, 'id must be >= 0');
  const setvarId = attribute(el, 'setvar_id');
  if (setvarId !== undefined) addSetVar(pd.setvars, el, setvarId, { type: 'constant', value: id }, 'setvar_id');
  const addr = parseSdfNumber(el, requireAttribute(el, 'addr'));
  const setvarAddr = attribute(el, 'setvar_addr');
  if (setvarAddr !== undefined) addSetVar(pd.setvars, el, setvarAddr, { type: 'constant', value: addr }, 'setvar_addr');
  const size = parseDecimal(el, requireAttribute(el, 'size'), true);
  if (size <= 0n) throw sdfValueError(el, 'size must be > 0');
  const port: IoPort = { id, addr, size, location: el.location };
  pd.ioports = [...(pd.ioports ?? []), port];
};

/** `microkit sdf`: a PD's `<ioport>`s, located where they were so the writer keeps their order. */
export const writeIoPorts: PdWriter = (pd) => {
  const claims = new SetVarClaims(pd.setvars);
  const children = (pd.ioports ?? []).map((port) =>
    xmlElement(
      'ioport',
      attributes([
        ['id', port.id.toString()],
        ['addr', hexText(port.addr)],
        ['size', port.size.toString()],
        ['setvar_id', claims.take(port.location, 'setvar_id', constantIs(port.id))],
        ['setvar_addr', claims.take(port.location, 'setvar_addr', constantIs(port.addr))],
      ]),
      [],
      port.location,
    ),
  );
  return { children };
};
