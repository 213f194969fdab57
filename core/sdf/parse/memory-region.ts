/** `<memory_region>`: upstream rules MR1–MR11, in upstream's order. */
import { pageSizes } from '../../kernel/config.js';
import { hex, roundUp } from '../../util/bigint.js';
import { checkAttributes, parseSdfNumber, requireAttribute } from '../attributes.js';
import type { SdfParseContext } from '../context.js';
import { sdfAttributeValueError, sdfValueError } from '../errors.js';
import { didYouMean } from '../../util/suggest.js';
import type { BootInfoId, MemoryRegion, MemoryRegionPrefill } from '../model.js';
import { attribute, type XmlElement } from '../xml.js';

const MR_ATTRIBUTES = ['name', 'size', 'page_size', 'phys_addr', 'prefill_path', 'prefill_bootinfo'];

/** SDF spelling → bootinfo id. The manual spells `x86_mbmap`; the code (and we) want `x86_mbmmap`. */
const BOOTINFO_KINDS: Readonly<Record<string, BootInfoId>> = {
  x86_vbe: 'X86Vbe',
  x86_mbmmap: 'X86Mbmmap',
  x86_acpi_rsdp: 'X86AcpiRsdp',
  x86_framebuffer: 'X86FrameBuffer',
  x86_tsc_freq: 'X86TscFreq',
  fdt: 'Fdt',
};

export function parseMemoryRegion(el: XmlElement, ctx: SdfParseContext): MemoryRegion {
  checkAttributes(el, MR_ATTRIBUTES);
  const name = requireAttribute(el, 'name');

  const sizes = pageSizes(ctx.kernel);
  const pageSizeText = attribute(el, 'page_size');
  const pageSize = pageSizeText === undefined ? sizes[0] : parseSdfNumber(el, pageSizeText);
  if (!sizes.includes(pageSize)) {
    throw sdfAttributeValueError(el, 'page_size', `page size ${hex(pageSize)} not supported`, `supported page sizes: ${sizes.map(hex).join(', ')}`);
  }

  const prefill = parsePrefill(el, ctx);
  const size = determineSize(el, prefill, pageSize);

  const physText = attribute(el, 'phys_addr');
  const paddr = physText === undefined ? undefined : parseSdfNumber(el, physText);
  if (paddr !== undefined && paddr % pageSize !== 0n) {
    throw sdfAttributeValueError(el, 'phys_addr', 'phys_addr is not aligned to the page size', `the page size is ${hex(pageSize)}`);
  }

  return {
    name,
    size,
    pageSize,
    pageSizeSpecified: pageSizeText !== undefined,
    physAddr: paddr === undefined ? { kind: 'unspecified' } : { kind: 'specified', paddr },
    prefill,
    location: el.location,
  };
}

function parsePrefill(el: XmlElement, ctx: SdfParseContext): MemoryRegionPrefill | undefined {
  const path = attribute(el, 'prefill_path');
  let fromFile: MemoryRegionPrefill | undefined;
  if (path !== undefined) {
    const resolved = ctx.files.resolve(path);
    if (resolved === undefined) throw sdfAttributeValueError(el, 'prefill_path', `unable to find prefill file: '${path}'`);
    let bytes: Uint8Array;
    try {
      bytes = ctx.files.read(resolved);
    } catch {
      throw sdfValueError(el, `failed to read file '${path}' at prefill_path`);
    }
    if (bytes.length === 0) throw sdfAttributeValueError(el, 'prefill_path', `prefill file '${path}' is empty`);
    fromFile = { kind: 'file', path, bytes };
  }

  const bootinfo = attribute(el, 'prefill_bootinfo');
  let fromBootInfo: MemoryRegionPrefill | undefined;
  if (bootinfo !== undefined) {
    const id = BOOTINFO_KINDS[bootinfo];
    if (id === undefined) {
      throw sdfAttributeValueError(
        el,
        'prefill_bootinfo',
        `BootInfoMap type: '${bootinfo}' is not supported`,
        didYouMean(bootinfo, Object.keys(BOOTINFO_KINDS)) ?? `supported: ${Object.keys(BOOTINFO_KINDS).join(', ')}`,
      );
    }
    fromBootInfo = { kind: 'bootinfo', id };
  }

  if (fromFile && fromBootInfo) throw sdfValueError(el, 'prefill_path and prefill_bootinfo cannot be both specified');
  return fromFile ?? fromBootInfo;
}

function determineSize(el: XmlElement, prefill: MemoryRegionPrefill | undefined, pageSize: bigint): bigint {
  const sizeText = attribute(el, 'size');
  if (sizeText !== undefined) {
    const size = parseSdfNumber(el, sizeText);
    if (size % pageSize !== 0n) throw sdfAttributeValueError(el, 'size', 'size is not a multiple of the page size', `the page size is ${hex(pageSize)}`);
    // Size 0 is refused by validation's last stage (TOOL_LIMITS): upstream accepts it here and crashes only
    // when the region is mapped, so every error it reports first must come first.
    if (prefill?.kind === 'file' && BigInt(prefill.bytes.length) > size) {
      throw sdfValueError(el, `size of prefill file exceeds memory region size: ${prefill.bytes.length.toString(16)} > ${size.toString(16)}`);
    }
    return size;
  }
  if (prefill?.kind === 'bootinfo') return pageSize;
  if (prefill?.kind === 'file') return roundUp(BigInt(prefill.bytes.length), pageSize);
  throw sdfValueError(el, 'size must be specified if memory region is not prefilled');
}
