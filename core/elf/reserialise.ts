/**
 * Turning a parsed ELF (plus patches) back into an editable {@link ElfSpec},
 * so the tool can append segments and headers and write it out again.
 */
import { loadableSegments, sectionData, segmentData } from './read.js';
import { patchedSegmentData } from './symbols.js';
import { PT_LOAD, PT_PHDR, SHF_INFO_LINK, SHN_LORESERVE, SHT_NOBITS, SHT_REL, SHT_RELA, SHT_SYMTAB } from './types.js';
import type { ElfFile, ElfImage, ProgramHeader, SectionHeader } from './types.js';
import { writeElf } from './write.js';
import type { ElfSpec, ExtraHeaderSpec, SectionSpec, SegmentSpec, SymbolSpec } from './write.js';

export interface ElfModifications {
  /** Segment contents come from this image's patches. */
  image?: ElfImage;
  entry?: bigint;
  /** Appended after the existing segments; extra headers may refer to them by index. */
  segments?: SegmentSpec[];
  extraHeaders?: ExtraHeaderSpec[];
  sections?: SectionSpec[];
  symbols?: SymbolSpec[];
}

/**
 * An editable spec reproducing `elf` (with `image`'s patches): PT_LOAD and
 * headers with bytes outside any PT_LOAD become segments; headers inside a
 * PT_LOAD refer to it; .symtab/.strtab/.shstrtab are rebuilt and section
 * indices renumbered. A PT_LOAD covering the old ELF header keeps those
 * (stale) bytes as plain data.
 */
export function elfToSpec(elf: ElfFile, image?: ElfImage): ElfSpec {
  const allLoads = loadableSegments(elf);
  const loads = allLoads.filter((l) => l.filesz > 0n);
  const container = (offset: bigint, size: bigint): ProgramHeader | undefined =>
    size > 0n ? loads.find((l) => offset >= l.offset && offset + size <= l.offset + l.filesz) : undefined;

  // Segment indices are fixed before any header refers to one, since a
  // header may precede the PT_LOAD holding its bytes (PT_PHDR usually does).
  const owner = elf.programHeaders.map((ph) => (ph.type === PT_LOAD ? undefined : container(ph.offset, ph.filesz)));
  const segIndex = new Map<number, number>();
  elf.programHeaders.forEach((ph, i) => {
    if (!owner[i] && (ph.type !== PT_PHDR || ph.filesz === 0n)) segIndex.set(ph.index, segIndex.size);
  });
  const segments: SegmentSpec[] = [];
  const extraHeaders: ExtraHeaderSpec[] = [];
  elf.programHeaders.forEach((ph, i) => {
    const load = owner[i];
    const head = { type: ph.type, flags: ph.flags, align: ph.align, position: ph.index };
    if (load) {
      const target = { kind: 'segment', segment: segIndex.get(load.index)!, offset: ph.offset - load.offset, size: ph.filesz, memsz: ph.memsz } as const;
      extraHeaders.push({ ...head, target });
    } else if (!segIndex.has(ph.index)) {
      extraHeaders.push({ ...head, target: { kind: 'phdrs', vaddr: ph.vaddr } });
    } else {
      const data = ph.type === PT_LOAD && image ? patchedSegmentData(image, ph) : segmentData(elf, ph);
      segments.push({ type: ph.type, flags: ph.flags, vaddr: ph.vaddr, paddr: ph.paddr, memsz: ph.memsz, align: ph.align, data });
    }
  });

  const symtab = elf.sections.find((s) => s.type === SHT_SYMTAB);
  const dropped = new Set([0, elf.header.shstrndx, ...(symtab ? [symtab.index, symtab.link] : [])]);
  const kept = elf.sections.filter((s) => !dropped.has(s.index));
  const remap = new Map<number, number>(kept.map((s, i) => [s.index, i + 1]));
  if (symtab) {
    remap.set(symtab.index, kept.length + 1);
    remap.set(symtab.link, kept.length + 2);
  }
  if (elf.header.shstrndx !== 0) remap.set(elf.header.shstrndx, kept.length + (symtab ? 3 : 1));
  const section = (s: SectionHeader): SectionSpec => {
    const spec: SectionSpec = {
      name: s.name,
      type: s.type,
      flags: s.flags,
      addr: s.addr,
      addralign: s.addralign,
      entsize: s.entsize,
      link: s.link === 0 ? 0 : (remap.get(s.link) ?? 0),
      info: s.type === SHT_REL || s.type === SHT_RELA || (s.flags & SHF_INFO_LINK) !== 0n ? (remap.get(s.info) ?? 0) : s.info,
      size: s.size,
    };
    if (s.type === SHT_NOBITS) {
      // Tie bss to its segment by address so its file offset follows the segment.
      const load = allLoads.find((l) => s.addr >= l.vaddr && s.addr + s.size <= l.vaddr + l.memsz);
      return load ? { ...spec, segment: segIndex.get(load.index)!, offset: s.addr - load.vaddr } : spec;
    }
    const load = container(s.offset, s.size);
    return load ? { ...spec, segment: segIndex.get(load.index)!, offset: s.offset - load.offset } : { ...spec, data: sectionData(elf, s) };
  };

  return {
    type: elf.header.type,
    machine: elf.header.machine,
    entry: elf.header.entry,
    flags: elf.header.flags,
    osabi: elf.header.osabi,
    segments,
    extraHeaders,
    sections: kept.map(section),
    symbols: symtab
      ? elf.symbols.slice(1).map((s) => ({
          name: s.name,
          value: s.value,
          size: s.size,
          type: s.type,
          bind: s.bind,
          other: s.other,
          shndx: s.shndx > 0 && s.shndx < SHN_LORESERVE ? (remap.get(s.shndx) ?? 0) : s.shndx,
        }))
      : undefined,
  };
}

/** Re-writes a parsed ELF with its patches applied and anything in `mods` appended. */
export function reserialiseElf(elf: ElfFile, mods: ElfModifications = {}): Uint8Array {
  const spec = elfToSpec(elf, mods.image);
  spec.segments.push(...(mods.segments ?? []));
  spec.extraHeaders = [...(spec.extraHeaders ?? []), ...(mods.extraHeaders ?? [])];
  spec.sections = [...(spec.sections ?? []), ...(mods.sections ?? [])];
  if (mods.symbols) spec.symbols = [...(spec.symbols ?? []), ...mods.symbols];
  if (mods.entry !== undefined) spec.entry = mods.entry;
  return writeElf(spec);
}
