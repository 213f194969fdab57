import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EM_AARCH64, EM_RISCV, EM_X86_64, findSymbol, loadableSegments, parseElf, readSymbolWord } from '../../core/elf/index.js';
import { MicrokitError } from '../../core/errors/microkit-error.js';
import { PresetRegistry, presetKernelFiles } from '../../core/preset.js';
import { discoverSdk } from '../../core/sdk/discover.js';
import { kernelConfigFromSdkFiles, type SdkKernelFiles } from '../../core/sdk/kernel-files.js';
import { SYNTHETIC_MARKER_TEXT, sdkJson, synthesizeSdk } from '../../core/sdk/synthetic.js';
import { builtinPresets, presetRegistry } from '../../presets/index.js';
import { SHARED_SDK } from '../support/paths.js';
import { HAS_READELF, loadSegments, readelf, sameBytes, symbolLines } from './helpers.js';

const BOARDS = builtinPresets.map((p) => p.name);
const SHARED_CONFIGS = ['debug', 'release', 'benchmark', 'smp-debug'];
const ALL_CONFIGS = [...SHARED_CONFIGS, 'smp-release', 'smp-benchmark'];
const HAS_SDK = existsSync(join(SHARED_SDK, 'board'));
const JSON_FILES = ['include/kernel/gen_config.json', 'object_sizes.json', 'address_space_constants.json', 'platform_gen.json', 'invocations_all.json'];
const isX86 = (board: string) => board.startsWith('x86_64');
const elfNames = (board: string) =>
  isX86(board) ? ['sel4.elf', 'sel4_32.elf', 'monitor.elf', 'initialiser.elf'] : ['sel4.elf', 'monitor.elf', 'initialiser.elf', 'loader.elf'];
const expectedFiles = (board: string) => [...JSON_FILES.filter((f) => !(isX86(board) && f === 'platform_gen.json')), ...elfNames(board).map((e) => `elf/${e}`)];

let root: string;
const sdkDir = (board: string) => join(root, board);
const ours = (board: string, config: string, file: string) => join(sdkDir(board), 'board', board, config, file);
const shared = (board: string, config: string, file: string) => join(SHARED_SDK, 'board', board, config, file);
const written = new Map<string, string[]>();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'synthetic-sdk-'));
  for (const board of BOARDS) written.set(board, synthesizeSdk({ registry: presetRegistry(), board, outDir: sdkDir(board) }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)))
    .sort();
}

describe('synthesizeSdk layout', () => {
  it.each(BOARDS)('%s: every file of every config, VERSION and the SYNTHETIC marker', (board) => {
    const expected = ['SYNTHETIC', 'VERSION', ...ALL_CONFIGS.flatMap((c) => expectedFiles(board).map((f) => join('board', board, c, f)))].sort();
    expect(listFiles(sdkDir(board))).toEqual(expected);
    expect([...written.get(board)!].map((p) => relative(sdkDir(board), p)).sort()).toEqual(expected);
    const marker = readFileSync(join(sdkDir(board), 'SYNTHETIC'), 'utf8');
    expect(marker).toBe(SYNTHETIC_MARKER_TEXT);
    expect(marker).toMatch(/stubs/);
    expect(marker).toMatch(/does not boot/);
    expect(readFileSync(join(sdkDir(board), 'VERSION'), 'utf8')).toMatch(/^\S+\n$/);
  });

  it('is an SDK discoverSdk reads, with kernel configs the reader accepts', () => {
    for (const board of BOARDS) {
      const sdk = discoverSdk(sdkDir(board), false, true);
      expect(sdk.boards.map((b) => b.name)).toEqual([board]);
      // In the file system's order, as upstream reads them: compared as a set.
      expect([...sdk.boards[0].configs].sort()).toEqual([...ALL_CONFIGS].sort());
      for (const config of ALL_CONFIGS) {
        const read = (f: string) => JSON.parse(readFileSync(ours(board, config, f), 'utf8')) as never;
        const files: SdkKernelFiles = {
          genConfig: read('include/kernel/gen_config.json'),
          objectSizes: read('object_sizes.json'),
          addressSpaceConstants: read('address_space_constants.json'),
          platformGen: isX86(board) ? undefined : read('platform_gen.json'),
        };
        expect(files).toEqual(presetKernelFiles(presetRegistry().resolve(board), config));
        const k = kernelConfigFromSdkFiles(files, config, { genConfigPath: 'g', objectSizesPath: 'o', addressSpacePath: 'a' });
        expect(k.numCores > 1).toBe(config.startsWith('smp-'));
      }
    }
  });

  it('writes only the configs asked for, and rejects unknown ones before writing', () => {
    const dir = join(root, 'subset');
    const paths = synthesizeSdk({ registry: presetRegistry(), board: 'qemu_virt_riscv64', configs: ['release'], outDir: dir });
    expect(paths).toHaveLength(2 + expectedFiles('qemu_virt_riscv64').length);
    expect(readdirSync(join(dir, 'board', 'qemu_virt_riscv64'))).toEqual(['release']);
    const bad = join(root, 'bad');
    expect(() => synthesizeSdk({ registry: presetRegistry(), board: 'qemu_virt_riscv64', configs: ['debug', 'nope'], outDir: bad })).toThrow(
      /has no config 'nope'/,
    );
    expect(existsSync(bad)).toBe(false);
    expect(() => synthesizeSdk({ registry: presetRegistry(), board: 'no_such_board', outDir: bad })).toThrow(MicrokitError);
    expect(() => synthesizeSdk({ registry: presetRegistry(), board: 'qemu_virt_riscv64', configs: ['debug', 'debug'], outDir: bad })).toThrow(/twice/);
  });

  it('refuses a preset without stub facts, or with facts of another architecture', () => {
    const base = builtinPresets.find((p) => p.name === 'qemu_virt_riscv64')!;
    const registry = new PresetRegistry([
      { ...base, name: 'no_facts', synthetic: undefined },
      { ...base, name: 'wrong_machine', synthetic: { ...base.synthetic!, machine: EM_AARCH64 } },
    ]);
    expect(() => synthesizeSdk({ registry, board: 'no_facts', outDir: join(root, 'x') })).toThrow(/no facts/);
    expect(() => synthesizeSdk({ registry, board: 'wrong_machine', outDir: join(root, 'x') })).toThrow(/does not match/);
  });

  it('is deterministic', () => {
    for (const board of ['qemu_virt_aarch64', 'x86_64_generic']) {
      const again = join(root, `again-${board}`);
      const paths = synthesizeSdk({ registry: presetRegistry(), board, outDir: again });
      for (const p of paths) expect(sameBytes(readFileSync(p), readFileSync(join(sdkDir(board), relative(again, p)))), p).toBe(true);
    }
  });

  it('prints JSON as the SDK does, bigints included', () => {
    expect(sdkJson({ a: 1, b: [], c: {}, d: [{ start: 0n, end: 0xffff_ffff_ffff_ffffn }], e: 'x', f: true })).toBe(
      '{\n    "a": 1,\n    "b": [],\n    "c": {},\n    "d": [\n        {\n            "start": 0,\n            "end": 18446744073709551615\n        }\n    ],\n    "e": "x",\n    "f": true\n}\n',
    );
  });
});

describe.skipIf(!HAS_SDK)('synthetic SDK against the shared SDK', () => {
  it.each(BOARDS)("%s: JSON files equal the shared SDK's, byte for byte", (board) => {
    for (const config of SHARED_CONFIGS) {
      for (const f of JSON_FILES) {
        const theirs = shared(board, config, f);
        if (!existsSync(theirs)) {
          expect(existsSync(ours(board, config, f)), `${board}/${config}/${f}`).toBe(false);
          continue;
        }
        const a = readFileSync(ours(board, config, f), 'utf8');
        const b = readFileSync(theirs, 'utf8');
        expect(JSON.parse(a), `${board}/${config}/${f}`).toEqual(JSON.parse(b));
        expect(a, `${board}/${config}/${f}`).toBe(b);
      }
    }
  });

  it.each(BOARDS)("%s: ELFs have the shared stubs' segments, bytes and symbols", (board) => {
    for (const config of SHARED_CONFIGS) {
      for (const name of elfNames(board)) {
        const where = `${board}/${config}/${name}`;
        const a = readFileSync(ours(board, config, `elf/${name}`));
        const b = readFileSync(shared(board, config, `elf/${name}`));
        const segA = loadSegments(a);
        const segB = loadSegments(b);
        const shape = (s: ReturnType<typeof loadSegments>) => s.map(({ flags, vaddr, paddr, filesz, memsz }) => ({ flags, vaddr, paddr, filesz, memsz }));
        expect(shape(segA), where).toEqual(shape(segB));
        segA.forEach((s, i) => expect(sameBytes(s.data, segB[i].data), `${where} segment ${i} bytes`).toBe(true));
        expect(a.readUInt16LE(18), `${where} machine`).toBe(b.readUInt16LE(18));
        if (name !== 'sel4_32.elf') {
          const elfA = parseElf(a, where);
          const elfB = parseElf(b, where);
          expect(elfA.header.entry).toBe(elfB.header.entry);
          expect(elfA.header.flags).toBe(elfB.header.flags);
          const syms = (e: typeof elfA) =>
            e.symbols
              .filter((s) => s.name !== '' && s.type !== 4)
              .map((s) => `${s.name} ${s.value} ${s.size} ${s.type} ${s.bind}`)
              .sort();
          expect(syms(elfA), where).toEqual(syms(elfB));
          const sections = (e: typeof elfA) => e.sections.filter((s) => s.type !== 2 && s.type !== 3).map((s) => [s.name, s.type, s.flags, s.addr, s.size]);
          expect(sections(elfA), where).toEqual(sections(elfB));
        }
        if (HAS_READELF) expect(symbolLines(a), where).toEqual(symbolLines(b));
      }
    }
  });
});

describe('synthetic SDK ELFs', () => {
  const required: Record<string, [string, bigint][]> = {
    'sel4.elf': [
      ['ki_end', 0n],
      ['ki_boot_end', 0n],
    ],
    'monitor.elf': [
      ['pd_names', 4096n],
      ['pd_names_len', 8n],
      ['vm_names', 4096n],
      ['vm_names_len', 8n],
      ['pd_stack_bottom_addrs', 512n],
    ],
    'initialiser.elf': [
      ['sel4_phdrs_patched__vaddr', 8n],
      ['sel4_phdrs_patched__phnum', 2n],
    ],
  };
  const loaderSymbols = {
    aarch64: ['boot_lvl0_lower', 'boot_lvl0_upper', 'boot_lvl1_lower', 'boot_lvl1_upper', 'boot_lvl2_lower', 'boot_lvl2_upper'],
    riscv64: ['boot_lvl1_pt', 'boot_lvl2_pt', 'boot_lvl3_pt', 'boot_lvl2_pt_loader'],
  };

  it.each(BOARDS)("%s: parse, with the required symbols and the preset's layout", (board) => {
    const p = presetRegistry().resolve(board);
    const facts = p.synthetic!;
    const machine = { aarch64: EM_AARCH64, riscv64: EM_RISCV, x86_64: EM_X86_64 }[p.arch];
    for (const config of ALL_CONFIGS) {
      const load = (name: string) => parseElf(readFileSync(ours(board, config, `elf/${name}`)), name);
      for (const [name, symbols] of Object.entries(required)) {
        const elf = load(name);
        expect(elf.header.machine).toBe(machine);
        for (const [sym, size] of symbols) expect(findSymbol(elf, sym), `${board}/${config}/${name} ${sym}`).toMatchObject({ ok: true, size });
      }
      const kernel = load('sel4.elf');
      const [seg, ...rest] = loadableSegments(kernel);
      expect(rest).toEqual([]);
      expect([seg.paddr, seg.vaddr, seg.memsz]).toEqual([facts.kernelPaddr, facts.kernelVaddr, facts.kernelSize]);
      expect(readSymbolWord(kernel, 'kernel_data_word')).not.toBe(0n);
      expect((findSymbol(kernel, 'ki_end') as { value: bigint }).value).toBe(facts.kernelVaddr + facts.kernelSize);
      expect((findSymbol(kernel, 'ki_boot_end') as { value: bigint }).value).toBe(facts.kernelVaddr + facts.kernelBootSize);

      const init = load('initialiser.elf');
      const initSegs = loadableSegments(init);
      expect(initSegs.map((s) => s.flags)).toEqual([5, 4, 6]);
      expect(initSegs[0].vaddr).toBe(init.header.entry);
      expect(initSegs[2].filesz).toBe(0n);
      expect(init.header.entry).toBe(p.arch === 'riscv64' ? 0x10000n : 0x200000n);

      const monitor = load('monitor.elf');
      expect(monitor.header.entry).toBe(0x200000n);
      expect(loadableSegments(monitor).map((s) => s.flags)).toEqual([5, 6]);

      if (p.arch === 'x86_64') continue;
      const loader = load('loader.elf');
      const loaderSegs = loadableSegments(loader);
      expect(loaderSegs).toHaveLength(1);
      expect([loader.header.entry, loaderSegs[0].vaddr, loaderSegs[0].paddr]).toEqual([
        facts.loaderLinkAddress,
        facts.loaderLinkAddress,
        facts.loaderLinkAddress,
      ]);
      for (const sym of loaderSymbols[p.arch]) expect(findSymbol(loader, sym), `${board}/${config} ${sym}`).toMatchObject({ ok: true, size: 4096n });
      for (const sym of ['_text', '_loader_start', '_loader_end', '_bss', '_bss_end']) expect(findSymbol(loader, sym).ok, sym).toBe(true);
      const end = (findSymbol(loader, '_loader_end') as { value: bigint }).value;
      expect(end).toBe(loaderSegs[0].vaddr + loaderSegs[0].memsz);
      const uart = findSymbol(loader, 'uart_addr');
      const prints = presetKernelFiles(p, config)!.genConfig.PRINTING === true;
      expect(uart.ok, `${board}/${config} uart_addr`).toBe(p.arch === 'aarch64' && prints);
      if (uart.ok) expect(readSymbolWord(loader, 'uart_addr')).toBe(0x900_0000n);
    }
  });

  it.skipIf(!HAS_READELF).each(BOARDS)('%s: readelf -a accepts every ELF without complaint', (board) => {
    for (const config of ['debug', 'smp-release']) {
      for (const name of elfNames(board)) {
        const r = readelf(ours(board, config, `elf/${name}`), ['-a', '-W']);
        expect(r.stderr, `${board}/${config}/${name}`).toBe('');
        expect(r.stdout).toMatch(/Program Headers:/);
      }
    }
  });

  // Upstream's reader slices bytes[p_offset..p_offset + p_filesz] of every PT_LOAD, bss-only ones too,
  // and panics when the offset lies past the end of the file.
  it.each(BOARDS)('%s: every PT_LOAD of every ELF lies inside its file', (board) => {
    for (const config of ALL_CONFIGS) {
      for (const name of elfNames(board)) {
        const bytes = readFileSync(ours(board, config, `elf/${name}`));
        for (const s of loadSegments(bytes)) expect(s.offset + s.filesz, `${board}/${config}/${name}`).toBeLessThanOrEqual(BigInt(bytes.length));
      }
    }
  });

  it("writes a 32-bit x86 kernel with the 64-bit one's bytes", () => {
    const a = loadSegments(readFileSync(ours('x86_64_generic', 'debug', 'elf/sel4.elf')));
    const b = loadSegments(readFileSync(ours('x86_64_generic', 'debug', 'elf/sel4_32.elf')));
    expect(b).toHaveLength(1);
    expect(b[0].vaddr).toBe(a[0].vaddr & 0xffff_ffffn);
    expect([b[0].paddr, b[0].filesz, b[0].memsz]).toEqual([a[0].paddr, a[0].filesz, a[0].memsz]);
    expect(sameBytes(a[0].data, b[0].data)).toBe(true);
    const bytes = readFileSync(ours('x86_64_generic', 'debug', 'elf/sel4_32.elf'));
    expect([bytes[4], bytes.readUInt16LE(18)]).toEqual([1, 3]); // ELFCLASS32, EM_386
  });
});
