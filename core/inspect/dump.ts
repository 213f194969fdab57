/**
 * `microkit inspect`'s reader: a boot image of any of the four kinds to the
 * `capdl-image-dump/1` document (shared/reference/image-dump-format.md) and
 * the facts the text summary shows. Pure: bytes in, an
 * {@link ImageInspection} out; anything unreadable is an {@link InspectError}.
 */
import { ElfError, PT_LOAD, PT_PHDR, findSymbol, parseElf, segmentData } from '../elf/index.js';
import type { ElfFile, ProgramHeader } from '../elf/index.js';
import { PT_SEL4_CAPDL_FRAME_DATA, PT_SEL4_CAPDL_SPEC } from '../pack/initialiser-elf.js';
import { RkyvError, decodeSpec } from '../pack/rkyv.js';
import type { SpecForInitializer } from '../pack/types.js';
import type { DumpJson } from './canonical-json.js';
import { archOfMachine, readContainer } from './container.js';
import { readLoader } from './loader.js';
import type { LoaderPayload } from './loader.js';
import { InitialiserMemory, PHDR_ENTRY_SIZE, parsePhdrs, phdrTypeName } from './phdrs.js';
import type { Phdr } from './phdrs.js';
import { checkSpec, specJson } from './spec-dump.js';
import { Checks, InspectError } from './types.js';
import type { ImageInspection, InspectOptions, LoaderRegionInfo } from './types.js';
import { PAGE, hx, masked, roundUp, sha256 } from './util.js';

type Json = { [key: string]: DumpJson };
type Range = { start: bigint; end: bigint };

const SYM_PHDRS_VADDR = 'sel4_phdrs_patched__vaddr';
const SYM_PHDRS_PHNUM = 'sel4_phdrs_patched__phnum';
const SYM_UNTYPEDS_NUM = 'sel4_capdl_initializer_expected_untypeds_list_num_entries';
const SYM_UNTYPEDS_LIST = 'sel4_capdl_initializer_expected_untypeds_list';

function parseSdkElf(bytes: Uint8Array | undefined, what: string): ElfFile | undefined {
  if (bytes === undefined) return undefined;
  try {
    return parseElf(bytes, what);
  } catch (e) {
    throw new InspectError(`the SDK's ${what} is not a usable ELF: ${(e as Error).message}`);
  }
}

/** The patched symbols of the initialiser that exist in its ELF, as masks. */
function patchedSymbols(elf: ElfFile | undefined): Map<string, Range> {
  const out = new Map<string, Range>();
  if (elf === undefined) return out;
  const fallback: Record<string, bigint> = { [SYM_PHDRS_VADDR]: 8n, [SYM_PHDRS_PHNUM]: 2n, [SYM_UNTYPEDS_NUM]: 8n, [SYM_UNTYPEDS_LIST]: 0n };
  for (const name of Object.keys(fallback)) {
    const s = findSymbol(elf, name);
    if (s.ok) out.set(name, { start: s.value, end: s.value + (s.size > 0n ? s.size : fallback[name]) });
  }
  return out;
}

function overlaps(a: Range, b: Range): boolean {
  return a.start < b.end && b.start < a.end;
}

export function inspectImage(bytes: Uint8Array, options: InspectOptions = {}): ImageInspection {
  try {
    return inspect(bytes, options);
  } catch (e) {
    if (e instanceof InspectError) throw e;
    if (e instanceof RkyvError) throw new InspectError(`the capDL spec archive is invalid: ${e.message}`);
    if (e instanceof ElfError || e instanceof RangeError) throw new InspectError(`the image is corrupt: ${e.message}`);
    throw e;
  }
}

function inspect(bytes: Uint8Array, options: InspectOptions): ImageInspection {
  const checks = new Checks();
  const initElf = parseSdkElf(options.elfs?.initialiser, 'initialiser.elf');
  const kernelElf = parseSdkElf(options.elfs?.kernel, 'sel4.elf');
  const loaderElf = parseSdkElf(options.elfs?.loader, 'loader.elf');
  const sdkArch = kernelElf ? archOfMachine(kernelElf.header.machine) : undefined;
  const binaryArch = options.arch ?? sdkArch ?? 'unknown';
  const container = readContainer(bytes, checks, binaryArch);
  // SDK ELFs of another architecture made every later check fail with a message about symbols or segments.
  if (sdkArch !== undefined && container.arch !== 'unknown' && container.arch !== sdkArch) {
    throw new InspectError(`the image is for ${container.arch}, but the SDK's sel4.elf is for ${sdkArch}: give the board and config the image was built for`);
  }
  // x86 images are ELF boot modules: a raw binary "for x86_64" is a wrong --arch, or an x86 SDK for an ARM/RISC-V image.
  if (container.kind === 'binary' && binaryArch === 'x86_64') {
    throw new InspectError(
      `a raw binary image is never for x86_64 (x86 images are ELF boot modules); ${options.arch === undefined ? "the SDK's board is x86" : 'check --arch'}`,
    );
  }

  // The initialiser's memory: loader regions at their initialiser vaddrs, or the boot module's segments.
  let loader: LoaderPayload | undefined;
  let memory: InitialiserMemory;
  let entry: bigint;
  if (container.elf !== undefined) {
    const elf = container.elf;
    entry = elf.header.entry;
    const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
    InitialiserMemory.checkPadding(loads.reduce((n, p) => n + (p.memsz - p.filesz), 0n));
    memory = new InitialiserMemory(loads.map((p) => InitialiserMemory.padded(p.vaddr, segmentData(elf, p), p.memsz)));
  } else {
    loader = readLoader(container.payload!, checks);
    entry = loader.vEntry;
    memory = new InitialiserMemory(loader.regions.filter((r) => r.role === 'initialiser').map((r) => ({ vaddr: r.vaddr, bytes: r.data })));
  }

  // The program-header table.
  const symbols = patchedSymbols(initElf);
  const masks = [...symbols.values()];
  let tableVaddr: bigint;
  let phdrs: Phdr[];
  let patched: Json | null = null;
  const vaddrSym = symbols.get(SYM_PHDRS_VADDR);
  const phnumSym = symbols.get(SYM_PHDRS_PHNUM);
  if (vaddrSym && phnumSym) {
    // The SDK's initialiser says where its patched symbols are: outside this image's memory, the SDK is not the image's.
    const symbol = (range: Range, size: bigint, name: string): Uint8Array => {
      try {
        return memory.require(range.start, size, name);
      } catch (e) {
        if (e instanceof InspectError)
          throw new InspectError(`${e.message}: the SDK's initialiser.elf is not the one in this image (another board or config?)`);
        throw e;
      }
    };
    const vb = symbol(vaddrSym, 8n, SYM_PHDRS_VADDR);
    const nb = symbol(phnumSym, 2n, SYM_PHDRS_PHNUM);
    tableVaddr = new DataView(vb.buffer, vb.byteOffset, 8).getBigUint64(0, true);
    const phnum = new DataView(nb.buffer, nb.byteOffset, 2).getUint16(0, true);
    phdrs = parsePhdrs(memory.require(tableVaddr, BigInt(phnum * PHDR_ENTRY_SIZE), 'the program-header table'));
    patched = { [SYM_PHDRS_PHNUM]: phnum, expected_untypeds: expectedUntypeds(memory, symbols), layout: { [SYM_PHDRS_VADDR]: hx(tableVaddr) } };
  } else {
    const found = memory.findPhdrTable();
    if (found === undefined) throw new InspectError("no program-header table of the capDL initialiser in the image's initialiser memory");
    ({ vaddr: tableVaddr, phdrs } = found);
  }
  const tableRange = { start: tableVaddr, end: tableVaddr + BigInt(phdrs.length * PHDR_ENTRY_SIZE) };
  const self = phdrs.find((p) => p.type === PT_PHDR);
  if (!self || self.vaddr !== tableVaddr || self.memsz !== BigInt(phdrs.length * PHDR_ENTRY_SIZE)) {
    checks.error('the PT_PHDR entry does not describe the program-header table itself');
  }

  const specPh = phdrs.find((p) => p.type === PT_SEL4_CAPDL_SPEC);
  const fdPh = phdrs.find((p) => p.type === PT_SEL4_CAPDL_FRAME_DATA);
  if (!specPh) throw new InspectError('the program-header table has no capDL spec entry (PT_SEL4_CAPDL_SPEC)');
  if (!fdPh) throw new InspectError('the program-header table has no frame-data entry (PT_SEL4_CAPDL_FRAME_DATA)');
  const specRange = { start: specPh.vaddr, end: specPh.vaddr + specPh.memsz };
  const fdRange = { start: fdPh.vaddr, end: fdPh.vaddr + fdPh.memsz };
  const specBytes = memory.require(specPh.vaddr, specPh.memsz, 'the spec segment');
  const frameData = memory.require(fdPh.vaddr, fdPh.memsz, 'the frame-data segment');
  if (fdPh.memsz % PAGE !== 0n) checks.error(`the frame-data segment size ${hx(fdPh.memsz)} is not a multiple of 4 KiB`);
  if (fdPh.vaddr % PAGE !== 0n) checks.error(`the frame-data segment vaddr ${hx(fdPh.vaddr)} is not 4 KiB aligned`);
  const spec: SpecForInitializer = decodeSpec(specBytes);
  checkSpec(spec, frameData, checks);

  const role = (r: Range): 'spec' | 'frame_data' | 'phdrs' | 'program' =>
    overlaps(r, specRange) ? 'spec' : overlaps(r, fdRange) ? 'frame_data' : overlaps(r, tableRange) ? 'phdrs' : 'program';
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) throw new InspectError('the program-header table has no PT_LOAD entries');
  let vaddrStart = loads[0].vaddr;
  let vaddrEnd = 0n;
  for (const p of loads) {
    if (p.vaddr < vaddrStart) vaddrStart = p.vaddr;
    if (p.vaddr + p.memsz > vaddrEnd) vaddrEnd = p.vaddr + p.memsz;
  }

  const phdrJson = phdrs.map((p): Json => {
    const r = role({ start: p.vaddr, end: p.vaddr + p.memsz });
    const base: Json = { type: phdrTypeName(p.type), flags: p.flags, offset: hx(p.offset), align: hx(p.align), role: r };
    if (r === 'program') return { ...base, vaddr: hx(p.vaddr), paddr: hx(p.paddr), filesz: hx(p.filesz), memsz: hx(p.memsz) };
    if (r === 'frame_data') return { ...base, memsz: hx(p.memsz), filesz: hx(p.filesz), layout: { vaddr: hx(p.vaddr), paddr: hx(p.paddr) } };
    return { ...base, layout: { vaddr: hx(p.vaddr), paddr: hx(p.paddr), filesz: hx(p.filesz), memsz: hx(p.memsz) } };
  });
  const hashes = (data: Uint8Array, vaddr: bigint): Json =>
    initElf ? { sha256_masked: sha256(masked(data, vaddr, masks)), layout: { sha256: sha256(data) } } : { sha256: sha256(data) };
  const programSegments = loads
    .filter((p) => role({ start: p.vaddr, end: p.vaddr + p.memsz }) === 'program')
    .map((p): Json => ({ vaddr: hx(p.vaddr), size: hx(p.memsz), flags: p.flags, ...hashes(memory.require(p.vaddr, p.memsz, 'a program segment'), p.vaddr) }));

  if (patched !== null) {
    const phnum = patched[SYM_PHDRS_PHNUM] as number;
    if (phnum !== phdrs.length) checks.error(`patched phnum ${phnum} disagrees with the table`);
  }
  if (initElf) crossCheckInitialiser(initElf, memory, masks, checks);

  let loaderJson: Json | null = null;
  let regions: LoaderRegionInfo[] | undefined;
  if (loader !== undefined) {
    const l = loader;
    const footprint = roundUp(vaddrEnd, PAGE) - vaddrStart;
    if (l.uiPRegEnd - l.uiPRegStart !== footprint)
      checks.error(`ui_p_reg_end - ui_p_reg_start (${hx(l.uiPRegEnd - l.uiPRegStart)}) differs from the page-rounded footprint ${hx(footprint)}`);
    if (((l.uiPRegStart - l.pvOffset) & ((1n << 64n) - 1n)) !== vaddrStart)
      checks.error(`pv_offset does not map ui_p_reg_start to the lowest initialiser vaddr ${hx(vaddrStart)}`);
    regions = [];
    const regionJson = l.regions.map((r): Json => {
      const base: Json = { type: Number(r.type), role: r.role };
      if (r.role === 'kernel') {
        regions!.push({ loadAddr: r.loadAddr, size: r.size, role: 'kernel' });
        return { ...base, load_addr: hx(r.loadAddr), size: hx(r.size), sha256: sha256(r.data), layout: { offset: hx(r.offset) } };
      }
      const range = { start: r.vaddr, end: r.vaddr + r.size };
      if (r.vaddr + r.size > vaddrStart + footprint || r.vaddr < vaddrStart) checks.error(`loader region ${r.index} lies outside the initialiser footprint`);
      const covers = overlaps(range, specRange) ? 'spec' : overlaps(range, fdRange) ? 'frame_data' : overlaps(range, tableRange) ? 'phdrs' : undefined;
      regions!.push({ loadAddr: r.loadAddr, size: r.size, role: 'initialiser', vaddr: r.vaddr, covers });
      if (covers) {
        return { ...base, covers, layout: { offset: hx(r.offset), load_addr: hx(r.loadAddr), size: hx(r.size), vaddr: hx(r.vaddr), sha256: sha256(r.data) } };
      }
      const h: Json = initElf
        ? { sha256_masked: sha256(masked(r.data, r.vaddr, masks)), layout: { offset: hx(r.offset), sha256: sha256(r.data) } }
        : { sha256: sha256(r.data), layout: { offset: hx(r.offset) } };
      return { ...base, load_addr: hx(r.loadAddr), size: hx(r.size), vaddr: hx(r.vaddr), ...h };
    });
    loaderJson = {
      image: { size: hx(l.image.length), sha256: sha256(l.image) },
      header: {
        magic: hx(l.magic),
        kernel_entry: hx(l.kernelEntry),
        ui_p_reg_start: hx(l.uiPRegStart),
        pv_offset: hx(l.pvOffset),
        v_entry: hx(l.vEntry),
        num_regions: Number(l.numRegions),
        layout: { size: hx(l.size), ui_p_reg_end: hx(l.uiPRegEnd), header_offset: hx(l.headerOffset) },
      },
      regions: regionJson,
    };
    if (kernelElf) crossCheckKernel(kernelElf, l, checks);
    if (loaderElf) crossCheckLoader(loaderElf, l, checks);
  } else if (container.elf) {
    const own = container.elf.programHeaders.map((p) => `${p.type}:${p.vaddr}:${p.memsz}`).sort();
    const table = phdrs.map((p) => `${p.type}:${p.vaddr}:${p.memsz}`).sort();
    if (own.join() !== table.join()) checks.warn("the boot module's own program headers differ from the in-memory table other than in order");
  }

  const dump: Json = {
    format: 'capdl-image-dump/1',
    image: container.record,
    loader: loaderJson,
    initialiser: {
      entry: hx(entry),
      vaddr_start: hx(vaddrStart),
      phys_base: loader ? hx(loader.uiPRegStart) : null,
      layout: { vaddr_end: hx(vaddrEnd), vaddr_end_page_rounded: hx(roundUp(vaddrEnd, PAGE)), phdr_table_vaddr: hx(tableVaddr) },
      phdrs: phdrJson,
      program_segments: programSegments,
      spec_segment: { layout: { vaddr: hx(specPh.vaddr), size: hx(specPh.memsz), sha256: sha256(specBytes) } },
      frame_data_segment: { num_pages: Number(fdPh.memsz / PAGE), layout: { vaddr: hx(fdPh.vaddr), size: hx(fdPh.memsz) } },
      patched_symbols: patched,
    },
    spec: specJson(spec, frameData),
    checks: { errors: checks.errors, warnings: checks.warnings },
  };
  return {
    kind: container.kind,
    arch: container.arch,
    fileSize: bytes.length,
    loader: loader && {
      kernelEntry: loader.kernelEntry,
      uiPRegStart: loader.uiPRegStart,
      uiPRegEnd: loader.uiPRegEnd,
      pvOffset: loader.pvOffset,
      vEntry: loader.vEntry,
      loaderImageSize: loader.image.length,
      regions: regions ?? [],
    },
    initialiser: {
      entry,
      vaddrStart,
      vaddrEnd,
      specVaddr: specPh.vaddr,
      specSize: specPh.memsz,
      frameDataVaddr: fdPh.vaddr,
      frameDataSize: fdPh.memsz,
    },
    spec,
    checks,
    dump,
  };
}

function expectedUntypeds(memory: InitialiserMemory, symbols: Map<string, Range>): DumpJson {
  const num = symbols.get(SYM_UNTYPEDS_NUM);
  const list = symbols.get(SYM_UNTYPEDS_LIST);
  if (!num || !list) return null;
  const nb = memory.require(num.start, 8n, SYM_UNTYPEDS_NUM);
  const count = new DataView(nb.buffer, nb.byteOffset, 8).getBigUint64(0, true);
  const capacity = (list.end - list.start) / 16n;
  const n = Number(count < capacity ? count : capacity);
  const lb = memory.require(list.start, BigInt(n * 16), SYM_UNTYPEDS_LIST);
  const dv = new DataView(lb.buffer, lb.byteOffset, lb.byteLength);
  const out: DumpJson[] = [];
  for (let i = 0; i < n; i++) out.push({ paddr: hx(dv.getBigUint64(i * 16, true)), size_bits: lb[i * 16 + 8], is_device: lb[i * 16 + 9] !== 0 });
  return out;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** A segment's bytes as loaded: file contents, then zeros up to memsz. */
function padded(elf: ElfFile, p: ProgramHeader): Uint8Array {
  const file = segmentData(elf, p);
  if (p.memsz <= p.filesz) return file;
  const out = new Uint8Array(Number(p.memsz));
  out.set(file);
  return out;
}

function crossCheckInitialiser(elf: ElfFile, memory: InitialiserMemory, masks: Range[], checks: Checks): void {
  for (const p of elf.programHeaders.filter((q) => q.type === PT_LOAD)) {
    const img = memory.read(p.vaddr, p.memsz);
    if (img === undefined) {
      checks.error(`initialiser.elf segment at ${hx(p.vaddr)} is missing from the image`);
      continue;
    }
    if (!same(masked(img, p.vaddr, masks), masked(padded(elf, p), p.vaddr, masks))) {
      checks.error(`the initialiser segment at ${hx(p.vaddr)} differs from initialiser.elf outside the patched symbols`);
    }
  }
}

function crossCheckKernel(elf: ElfFile, l: LoaderPayload, checks: Checks): void {
  const segs = elf.programHeaders.filter((q) => q.type === PT_LOAD);
  const regions = l.regions.filter((r) => r.role === 'kernel');
  if (segs.length !== regions.length) {
    checks.error(`${regions.length} kernel regions for the kernel's ${segs.length} PT_LOAD segments`);
    return;
  }
  segs.forEach((p, i) => {
    const r = regions[i];
    if (r.loadAddr !== p.paddr) checks.error(`kernel region ${r.index} is at ${hx(r.loadAddr)}, the kernel segment at ${hx(p.paddr)}`);
    else if (!same(r.data, padded(elf, p))) checks.error(`kernel region ${r.index} differs from the kernel's segment at ${hx(p.paddr)}`);
  });
}

function crossCheckLoader(elf: ElfFile, l: LoaderPayload, checks: Checks): void {
  const seg = elf.programHeaders.find((q) => q.type === PT_LOAD);
  if (!seg) return;
  const want = padded(elf, seg);
  if (want.length !== l.image.length) {
    checks.error(`the loader image is ${hx(l.image.length)} bytes, loader.elf's first segment ${hx(want.length)}`);
    return;
  }
  const tables = elf.symbols.filter((s) => s.name.startsWith('boot_lvl')).map((s) => ({ start: s.value, end: s.value + s.size }));
  if (!same(masked(l.image, seg.vaddr, tables), masked(want, seg.vaddr, tables))) {
    checks.error("the loader image differs from loader.elf's first segment outside the boot page tables");
  }
}
