/** `<io_address_space>` and `<iomap>` (IO1–IO10). */
import { checkAttributes, parseSdfNumber, requireAttribute } from '../../core/sdf/attributes.js';
import { sdfErrorColon, sdfValueError } from '../../core/sdf/errors.js';
import { PERM_READ, PERM_WRITE } from '../../core/sdf/model.js';
import type { SystemElementParser, SystemWriter } from '../../core/sdf/syntax.js';
import { hexText, permsText } from '../../core/sdf/write/system.js';
import { attributes, xmlElement } from '../../core/sdf/write/xml-text.js';
import { attribute, childElements, type XmlElement } from '../../core/sdf/xml.js';
import { hex } from '../../core/util/bigint.js';
import type { IoAddressSpace, IoMap } from './model.js';

/**
 * The initialiser builds a fixed 3-level IO page-table tree (39-bit IO
 * virtual addresses) whatever the hardware has; see docs/iommu.md.
 */
export const MAX_IOVA = (1n << 39n) - 1n;

export const parseIoAddressSpace: SystemElementParser = (el, ctx, system) => {
  if (!ctx.kernel.iommu) throw sdfErrorColon('SDF_NO_IOMMU', 'io address space requires seL4 to be built with IOMMU support', el.location);
  checkAttributes(el, ['name', 'peripheral_id', 'domain_id']);
  const spaces = (system.ioAddressSpaces ?? []) as IoAddressSpace[];
  const name = requireAttribute(el, 'name');
  if (spaces.some((s) => s.name === name)) throw sdfValueError(el, `duplicate name '${name}'`);

  let domainId: bigint | undefined;
  if (ctx.arch.iommu.domainIds) {
    // Devices cannot share a domain id: VT-d caches translations per domain,
    // so sharing would need duplicated page tables.
    domainId = parseSdfNumber(el, requireAttribute(el, 'domain_id'));
    if (spaces.some((s) => s.domainId === domainId)) throw sdfValueError(el, 'reusing a domain id is forbidden');
  }

  const idText = requireAttribute(el, 'peripheral_id');
  const parsed = ctx.arch.iommu.parseDeviceId(idText);
  if (!parsed.ok) throw sdfValueError(el, `failed to parse device peripheral_id '${idText}': ${parsed.reason}`);
  if (spaces.some((s) => s.device.key === parsed.id.key)) throw sdfValueError(el, `duplicate device peripheral_id '${parsed.id.display}'`);

  const maps: IoMap[] = [];
  for (const child of childElements(el)) {
    if (child.tag !== 'iomap') throw sdfErrorColon('SDF_INVALID_ELEMENT', `invalid XML element '${child.tag}'`, child.location);
    maps.push(parseIoMap(child));
  }
  system.ioAddressSpaces = [...spaces, { name, device: parsed.id, domainId, maps, location: el.location }];
};

function parseIoMap(el: XmlElement): IoMap {
  checkAttributes(el, ['mr', 'iovaddr', 'perms']);
  const mr = requireAttribute(el, 'mr');
  const iovaddr = parseSdfNumber(el, requireAttribute(el, 'iovaddr'));
  if (iovaddr > MAX_IOVA) throw sdfValueError(el, `iovaddr (${hex(iovaddr)}) must be less than ${hex(MAX_IOVA + 1n)}`);
  const permsText = attribute(el, 'perms');
  const perms = permsText === undefined ? PERM_READ | PERM_WRITE : parseIoPerms(permsText);
  if (perms === undefined) throw sdfValueError(el, "perms for io mapped memory must only be a combination of 'r' and 'w'");
  return { mr, iovaddr, perms, location: el.location };
}

function parseIoPerms(text: string): number | undefined {
  let perms = 0;
  for (const c of text) {
    if (c === 'r') perms |= PERM_READ;
    else if (c === 'w') perms |= PERM_WRITE;
    else return undefined;
  }
  return perms === 0 ? undefined : perms;
}

/** `microkit sdf`: the IO address spaces back as elements. */
export const writeIoAddressSpaces: SystemWriter = (system, ctx) =>
  (system.ioAddressSpaces ?? []).map((space) =>
    xmlElement(
      'io_address_space',
      attributes([
        ['name', space.name],
        ['peripheral_id', ctx.formatDeviceId(space.device)],
        ['domain_id', space.domainId?.toString()],
      ]),
      space.maps.map((m) =>
        xmlElement(
          'iomap',
          attributes([
            ['mr', m.mr],
            ['iovaddr', hexText(m.iovaddr)],
            ['perms', permsText(m.perms)],
          ]),
        ),
      ),
    ),
  );
