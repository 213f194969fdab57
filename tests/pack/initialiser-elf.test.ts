import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { specFromJson } from '../../core/capdl/json.js';
import {
  EM_X86_64,
  parseElf,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
  PT_PHDR,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHT_NOBITS,
  SHT_PROGBITS,
  STT_OBJECT,
  writeElf,
} from '../../core/elf/index.js';
import type { ElfFile } from '../../core/elf/index.js';
import { keepNamesForConfig, PackError, specForInitialiser } from '../../core/pack/for-initialiser.js';
import {
  addExpectedUntypeds,
  bootModuleChunks,
  bootModuleSize,
  packInitialiser,
  PT_SEL4_CAPDL_FRAME_DATA,
  PT_SEL4_CAPDL_SPEC,
  segmentBytes,
  serialiseBootModule,
} from '../../core/pack/initialiser-elf.js';
import type { PackedInitialiser } from '../../core/pack/initialiser-elf.js';
import { encodeSpec } from '../../core/pack/rkyv.js';
import { readGolden } from '../capdl/golden-runs.js';
import type { GoldenRun } from '../capdl/golden-runs.js';
import { firstDifference, goldenFrameData, goldenSpecBytes, packRuns, readBytes, sdkInitialiserPath } from './golden.js';

const runs = packRuns().filter((r) => existsSync(sdkInitialiserPath(r)));
const x86Runs = runs.filter((r) => r.arch === 'x86_64');
const loaderRuns = runs.filter((r) => r.arch !== 'x86_64' && existsSync(join(r.dir, 'image-dump.json')));

const elfCache = new Map<string, ElfFile>();
function sdkInitialiser(run: GoldenRun): ElfFile {
  const path = sdkInitialiserPath(run);
  let elf = elfCache.get(path);
  if (!elf) {
    elf = parseElf(readBytes(path), path);
    elfCache.set(path, elf);
  }
  return elf;
}

function packGolden(run: GoldenRun): PackedInitialiser {
  return packInitialiser(sdkInitialiser(run), goldenSpecBytes(run), [goldenFrameData(run)]);
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const hx = (v: bigint): string => '0x' + v.toString(16);

describe.skipIf(x86Runs.length === 0)('x86: the boot module equals the golden loader.img', () => {
  test('there are x86 runs', () => {
    expect(x86Runs.length).toBeGreaterThanOrEqual(70);
  });

  test.each(x86Runs.map((r) => [r.id, r] as const))('%s', (_id, run) => {
    const golden = readBytes(join(run.dir, 'loader.img'));
    const packed = packGolden(run);
    expect(bootModuleSize(packed)).toBe(BigInt(golden.length));
    expect(firstDifference(serialiseBootModule(packed), golden)).toBeNull();
  });

  test.each(x86Runs.filter((r) => r.config === 'debug').map((r) => [r.id, r] as const))('%s: end to end from capdl.json, frame data as pages', (_id, run) => {
    const spec = specFromJson(readGolden(run, 'capdl.json'));
    const frames = goldenFrameData(run);
    // ELF fills in order of embedding: page i of the golden frame data (checked byte-exact in for-initialiser.test.ts).
    let page = 0;
    const pageOf = new Map<string, Uint8Array>();
    for (const { object } of spec.objects) {
      if (object.type !== 'Frame' || object.paddr !== null || object.sizeBits !== 12 || object.init.length === 0) continue;
      if (object.init.some((e) => e.content.type === 'BootInfo')) continue;
      for (const e of object.init) {
        if (e.content.type !== 'ElfContent') continue;
        const r = e.content.elfSegDataRange;
        pageOf.set(
          `${e.content.elfId}/${e.content.elfSegIdx}/${r.start}`,
          frames.subarray(page * 4096 + Number(e.range.start), page * 4096 + Number(e.range.end)),
        );
      }
      page++;
    }
    const { spec: out, frameData } = specForInitialiser(spec, {
      keepNames: keepNamesForConfig(run.config),
      resolveElf: (e, s, r) => pageOf.get(`${e}/${s}/${r.start}`)!,
    });
    const packed = packInitialiser(sdkInitialiser(run), encodeSpec(out), frameData);
    expect(packed.segments[packed.segments.length - 2].chunks.length).toBe(frameData.length);
    const chunks = bootModuleChunks(packed);
    const golden = readBytes(join(run.dir, 'loader.img'));
    expect(firstDifference(serialiseBootModule(packed), golden)).toBeNull();
    expect(chunks.reduce((n, c) => n + c.length, 0)).toBe(golden.length);
  });
});

const PHDR_TYPE_NAMES = new Map([
  [PT_LOAD, 'PT_LOAD'],
  [PT_PHDR, 'PT_PHDR'],
  [PT_SEL4_CAPDL_SPEC, 'PT_SEL4_CAPDL_SPEC'],
  [PT_SEL4_CAPDL_FRAME_DATA, 'PT_SEL4_CAPDL_FRAME_DATA'],
]);

interface DumpPhdr {
  type: string;
  flags: number;
  offset: string;
  align: string;
  role: string;
  vaddr?: string;
  paddr?: string;
  filesz?: string;
  memsz?: string;
  layout?: Record<string, string>;
}

interface DumpRegion {
  role: string;
  covers?: string;
  load_addr?: string;
  size?: string;
  vaddr?: string;
  layout: Record<string, string>;
}

describe.skipIf(loaderRuns.length === 0)('ARM/RISC-V: the packed initialiser matches the golden image dump', () => {
  test.each(loaderRuns.map((r) => [r.id, r] as const))('%s', (_id, run) => {
    const dump = JSON.parse(readFileSync(join(run.dir, 'image-dump.json'), 'utf8'));
    const ini = dump.initialiser;
    const packed = packGolden(run);
    const segs = packed.segments;
    const high = segs.reduce((m, s) => (s.vaddr + s.memsz > m ? s.vaddr + s.memsz : m), 0n);

    expect(hx(packed.entry)).toBe(ini.entry);
    expect(hx(packed.footprint.start)).toBe(ini.vaddr_start);
    expect(hx(high)).toBe(ini.layout.vaddr_end);
    expect(hx(packed.footprint.end)).toBe(ini.layout.vaddr_end_page_rounded);
    expect(hx(packed.phdrsVaddr)).toBe(ini.layout.phdr_table_vaddr);
    expect(packed.programHeaders.length).toBe(ini.patched_symbols.sel4_phdrs_patched__phnum);
    expect(hx(packed.phdrsVaddr)).toBe(ini.patched_symbols.layout.sel4_phdrs_patched__vaddr);
    expect(hx(packed.specVaddr)).toBe(ini.spec_segment.layout.vaddr);
    expect(hx(packed.specSize)).toBe(ini.spec_segment.layout.size);
    expect(hx(packed.frameDataVaddr)).toBe(ini.frame_data_segment.layout.vaddr);
    expect(hx(packed.frameDataSize)).toBe(ini.frame_data_segment.layout.size);

    // The in-memory program header table, entry by entry.
    const table = segmentBytes(segs[segs.length - 1]);
    const dv = new DataView(table.buffer, table.byteOffset, table.byteLength);
    const phdrs = ini.phdrs as DumpPhdr[];
    expect(table.length).toBe(phdrs.length * 56);
    phdrs.forEach((d, i) => {
      const o = i * 56;
      const f = (k: number): string => hx(dv.getBigUint64(o + k, true));
      const at = (name: 'vaddr' | 'paddr' | 'filesz' | 'memsz'): string | undefined => d[name] ?? d.layout?.[name];
      expect(PHDR_TYPE_NAMES.get(dv.getUint32(o, true)), `phdr ${i}`).toBe(d.type);
      expect(dv.getUint32(o + 4, true)).toBe(d.flags);
      expect([f(8), f(16), f(24), f(32), f(40), f(48)]).toEqual([d.offset, at('vaddr'), at('paddr'), at('filesz'), at('memsz'), d.align]);
    });

    // Program segments: raw bytes including the patched symbols.
    const program = ini.program_segments as { vaddr: string; size: string; flags: number; layout: { sha256: string } }[];
    program.forEach((p, i) => {
      expect([hx(segs[i].vaddr), hx(segs[i].memsz), segs[i].flags, sha(segmentBytes(segs[i]))]).toEqual([p.vaddr, p.size, p.flags, p.layout.sha256]);
    });

    // Loader regions: every non-empty segment, in order, with its bytes.
    const regions = (dump.loader.regions as DumpRegion[]).filter((r) => r.role === 'initialiser');
    const nonEmpty = segs.filter((s) => s.memsz > 0n);
    expect(regions.length).toBe(nonEmpty.length);
    regions.forEach((r, i) => {
      const vaddr = r.vaddr ?? r.layout.vaddr;
      const size = r.size ?? r.layout.size;
      expect([vaddr, size, r.layout.sha256], `region ${i}`).toEqual([hx(nonEmpty[i].vaddr), hx(nonEmpty[i].memsz), sha(segmentBytes(nonEmpty[i], true))]);
    });
  });
});

// ---------------------------------------------------------------------------
// Synthetic initialisers
// ---------------------------------------------------------------------------

/** An initialiser-like ELF: text, data+bss, the two patched symbols and (optionally) the expected-untypeds ones. */
function syntheticInitialiser(withUntypeds: boolean): ElfFile {
  const text = Uint8Array.from({ length: 0x1800 }, (_, i) => i & 0xff);
  const data = Uint8Array.from({ length: 0x20 }, (_, i) => 0xa0 + i);
  const dataVaddr = 0x403000n;
  const symbols = [
    { name: 'sel4_phdrs_patched__vaddr', value: dataVaddr + 0x40n, size: 8n, type: STT_OBJECT, shndx: 3 },
    { name: 'sel4_phdrs_patched__phnum', value: dataVaddr + 0x48n, size: 2n, type: STT_OBJECT, shndx: 3 },
  ];
  if (withUntypeds) {
    symbols.push(
      { name: 'sel4_capdl_initializer_expected_untypeds_list_num_entries', value: dataVaddr + 0x50n, size: 8n, type: STT_OBJECT, shndx: 3 },
      { name: 'sel4_capdl_initializer_expected_untypeds_list', value: dataVaddr + 0x60n, size: 0x40n, type: STT_OBJECT, shndx: 3 },
    );
  }
  return parseElf(
    writeElf({
      machine: EM_X86_64,
      entry: 0x401000n,
      segments: [
        { flags: PF_R | PF_X, vaddr: 0x401000n, data: text },
        { flags: PF_R | PF_W, vaddr: dataVaddr, data, memsz: 0x1000n },
      ],
      extraHeaders: [{ type: 0x6474e551, flags: PF_R | PF_W, target: { kind: 'segment', segment: 1, offset: 0n, size: 0n } }],
      sections: [
        { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, segment: 0 },
        { name: '.data', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, segment: 1 },
        { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, segment: 1, offset: 0x20n },
      ],
      symbols,
    }),
  );
}

describe('packInitialiser on a synthetic initialiser', () => {
  const page = (fill: number): Uint8Array => new Uint8Array(4096).fill(fill);

  test('keeps only PT_LOAD segments, places the three segments, patches the symbols', () => {
    const elf = syntheticInitialiser(false);
    const spec = Uint8Array.from({ length: 0x1001 }, (_, i) => i & 0xff);
    const packed = packInitialiser(elf, spec, [page(1), page(2)]);
    const segs = packed.segments;
    expect(segs.map((s) => hx(s.vaddr))).toEqual(['0x401000', '0x403000', '0x405000', '0x407000', '0x40a000']);
    expect(segs.map((s) => hx(s.memsz))).toEqual(['0x1800', '0x1000', '0x1001', '0x2000', hx(8n * 56n)]);
    expect(segs.slice(2).every((s) => s.flags === PF_R && s.paddr === s.vaddr)).toBe(true);
    expect(packed.programHeaders.map((p) => [p.type, p.segment])).toEqual([
      [PT_LOAD, 0],
      [PT_LOAD, 1],
      [PT_LOAD, 2],
      [PT_SEL4_CAPDL_SPEC, 2],
      [PT_LOAD, 3],
      [PT_SEL4_CAPDL_FRAME_DATA, 3],
      [PT_LOAD, 4],
      [PT_PHDR, 4],
    ]);
    expect(packed.footprint).toEqual({ start: 0x401000n, end: 0x40b000n });
    expect(packed.specSize).toBe(0x1001n);

    // The table lists all 8 headers; its own two come PT_PHDR first (the ELF's header table has PT_LOAD first).
    const table = segmentBytes(segs[4]);
    const dv = new DataView(table.buffer, table.byteOffset);
    expect(Array.from({ length: 8 }, (_, i) => dv.getUint32(i * 56, true))).toEqual([
      PT_LOAD,
      PT_LOAD,
      PT_LOAD,
      PT_SEL4_CAPDL_SPEC,
      PT_LOAD,
      PT_SEL4_CAPDL_FRAME_DATA,
      PT_PHDR,
      PT_LOAD,
    ]);
    expect(dv.getBigUint64(7 * 56 + 32, true)).toBe(8n * 56n);
    const data = segmentBytes(segs[1]);
    const ddv = new DataView(data.buffer, data.byteOffset);
    expect(ddv.getBigUint64(0x40, true)).toBe(0x40a000n);
    expect(ddv.getUint16(0x48, true)).toBe(8);
    expect(data.subarray(0, 0x20)).toEqual(Uint8Array.from({ length: 0x20 }, (_, i) => 0xa0 + i));
    // The input ELF is untouched (its data segment's file bytes stop before the symbols, which were bss).
    expect(elf.programHeaders.find((p) => p.vaddr === 0x403000n)?.filesz).toBe(0x20n);
    expect(addExpectedUntypeds(packed, [{ paddr: 0x1000n, sizeBits: 12, isDevice: false }])).toBe(false);
  });

  test('boot module layout: headers, sections with upstream flags, data back to back, trailing zero', () => {
    const packed = packInitialiser(syntheticInitialiser(false), new Uint8Array(24).fill(7), []);
    const out = serialiseBootModule(packed);
    const elf = parseElf(out, 'boot module', { requireSymbols: false });
    expect(elf.header.phnum).toBe(packed.programHeaders.length);
    expect(elf.sections.map((s) => [s.type, s.flags])).toEqual([
      [0, 0n],
      [SHT_PROGBITS, 0x3n],
      [SHT_PROGBITS, 0x3n],
      [SHT_PROGBITS, 0x2n],
      [SHT_PROGBITS, 0x2n],
      [SHT_PROGBITS, 0x2n],
      [3, 0n],
    ]);
    const headers = 64 + elf.header.phnum * 56 + 7 * 64;
    expect(Number(elf.programHeaders[0].offset)).toBe(headers);
    expect(Number(elf.programHeaders[2].offset)).toBe(headers + 0x1800 + 0x1000);
    // The empty frame-data segment shares its offset with the next one.
    expect(elf.programHeaders[4].offset).toBe(elf.programHeaders[6].offset);
    expect(elf.programHeaders.every((p) => p.align === 0n && p.filesz === p.memsz)).toBe(true);
    expect(out[out.length - 1]).toBe(0);
    expect(out.length).toBe(Number(bootModuleSize(packed)));
    expect(Number(elf.sections[6].offset)).toBe(out.length - 1);
  });

  test('expected untypeds are written when the symbols exist, and must fit', () => {
    const packed = packInitialiser(syntheticInitialiser(true), new Uint8Array(8), []);
    expect(
      addExpectedUntypeds(packed, [
        { paddr: 0x8000_0000n, sizeBits: 21, isDevice: false },
        { paddr: 0x9000_0000n, sizeBits: 12, isDevice: true },
      ]),
    ).toBe(true);
    const data = segmentBytes(packed.segments[1]);
    const dv = new DataView(data.buffer, data.byteOffset);
    expect(dv.getBigUint64(0x50, true)).toBe(2n);
    expect(dv.getBigUint64(0x60, true)).toBe(0x8000_0000n);
    expect(Array.from(data.subarray(0x68, 0x70))).toEqual([21, 0, 0, 0, 0, 0, 0, 0]);
    expect(dv.getBigUint64(0x70, true)).toBe(0x9000_0000n);
    expect(Array.from(data.subarray(0x78, 0x7a))).toEqual([12, 1]);
    // The phdr symbols written earlier survive.
    expect(dv.getBigUint64(0x40, true)).toBe(packed.phdrsVaddr);
    const five = Array.from({ length: 5 }, () => ({ paddr: 0n, sizeBits: 12, isDevice: false }));
    expect(() => addExpectedUntypeds(packed, five)).toThrow(PackError);
  });

  test('an initialiser without the phdr symbols is refused', () => {
    const elf = parseElf(
      writeElf({
        machine: EM_X86_64,
        entry: 0x1000n,
        segments: [{ flags: PF_R, vaddr: 0x1000n, data: new Uint8Array(16) }],
        symbols: [],
      }),
    );
    expect(() => packInitialiser(elf, new Uint8Array(8), [])).toThrow(/sel4_phdrs_patched__vaddr/);
  });
});
