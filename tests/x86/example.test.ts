/**
 * examples/x86-iommu-dma for the qemu-x86 preset, built through the CLI:
 * its IO space against the rules, the whole spec against a reviewed
 * snapshot (tests/x86/expected/x86-iommu-dma.capdl.json; rewrite it with
 * MICROKIT_UPDATE_X86_SNAPSHOT=1 after a reviewed change), and the example's
 * files against each other (SDF, dma.c, make-stub.mjs, dma.elf, README,
 * Makefile, the preset's QEMU command).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specFromJson } from '../../core/capdl/json.js';
import type { FrameCap, Spec } from '../../core/capdl/spec.js';
import { findSymbol, parseElf, readSymbolWord } from '../../core/elf/index.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { presetRegistry } from '../../presets/index.js';
import { buildSystem } from '../support/build.js';
import { cli } from '../support/cli.js';
import { REPO } from '../support/paths.js';
import { capAt, ioPath, named, objectsOfType, sdkFor, slotsOf, walk } from './support.js';

const EXAMPLE = join(REPO, 'examples/x86-iommu-dma');
const SNAPSHOT = join(REPO, 'tests/x86/expected/x86-iommu-dma.capdl.json');
const read = (file: string) => readFileSync(join(EXAMPLE, file), 'utf8');
const SDF = read('x86-iommu-dma.system');

const IOVA = 0x1000000n;
const EDU_BAR0 = 0xfea00000n;

/** Build the example as the README says, but with the outputs in a scratch directory. */
async function buildExample(): Promise<{ spec: Spec; text: string; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mk-x86-example-'));
  // A working directory without a config file, so only these flags count.
  const run = await cli(
    [
      join(EXAMPLE, 'x86-iommu-dma.system'),
      '--board',
      'qemu-x86',
      '--config',
      'debug',
      '--search-path',
      EXAMPLE,
      '-o',
      join(dir, 'loader.img'),
      '-r',
      join(dir, 'report.txt'),
      '--capdl-json',
      join(dir, 'capdl.json'),
    ],
    { cwd: dir, env: { MICROKIT_SDK: sdkFor('qemu-x86') } },
  );
  expect(run.code, run.stderr).toBe(0);
  const text = readFileSync(join(dir, 'capdl.json'), 'utf8');
  return { spec: specFromJson(text), text, dir };
}

describe('examples/x86-iommu-dma', async () => {
  const { spec, text, dir } = await buildExample();

  it('has one IO space for the edu device: domain 1, PCI 00:04.0, only the 3-level tree (qemu-x86: levels 3)', () => {
    const spaces = objectsOfType(spec, 'IOSpace');
    expect(spaces.map((s) => s.name)).toEqual(['iospace_edu']);
    const iospace = spaces[0].object;
    expect(iospace.domainId).toBe(1n);
    expect(iospace.pciDevice).toEqual({ bus: 0, device: 4, function: 0 });
    // No spare IOPTs: slot 0 (the tree's root) is the only slot.
    expect(slotsOf(iospace).map((e) => e.slot)).toEqual([0]);
    expect(objectsOfType(spec, 'IOPageTable').filter((o) => o.name.includes('spare'))).toEqual([]);
    // The tree: one table per level on the way to 0x1000000 ([38:30] = 0, [29:21] = 8, [20:12] = 0).
    expect(ioPath(IOVA)).toEqual([0, 0, 8, 0]);
    const tables = objectsOfType(spec, 'IOPageTable');
    expect(tables.map((t) => [t.name, t.object.level])).toEqual([
      ['iopt_level_0_edu_ioaddr_0x0', 0n],
      ['iopt_level_1_edu_ioaddr_0x1000000', 1n],
      ['iopt_level_2_edu_ioaddr_0x1000000', 2n],
    ]);
    expect(walk(spec, iospace, [0])).toEqual({ type: 'IOPageTable', object: tables[0].id });
    expect(walk(spec, iospace, [0, 0])).toEqual({ type: 'IOPageTable', object: tables[1].id });
    expect(walk(spec, iospace, [0, 0, 8])).toEqual({ type: 'IOPageTable', object: tables[2].id });
  });

  it("maps the DMA buffer's frames in the last IOPT level: read/write, uncached, not executable", () => {
    const leaf = named(spec, 'iopt_level_2_edu_ioaddr_0x1000000').object;
    const frames = [named(spec, 'frame_mr_dma_buffer_000000000'), named(spec, 'frame_mr_dma_buffer_000000001')];
    expect(slotsOf(leaf)).toEqual(
      frames.map((f, i) => ({
        slot: i,
        cap: { type: 'Frame', object: f.id, rights: { read: true, write: true, grant: false, grantReply: false }, cached: false, executable: false },
      })),
    );
    // Normal memory chosen at boot: no paddr; 4 KiB pages.
    for (const f of frames) expect(f.object).toMatchObject({ type: 'Frame', sizeBits: 12, paddr: null });
  });

  it('maps the same buffer into the PD (cached) and BAR0 uncached at the assumed address', () => {
    const vspace = spec.objects.get(capAt(named(spec, 'cnode_dma').object, 3)!.object).object;
    const pdFrame = (va: bigint) =>
      walk(
        spec,
        vspace,
        [39n, 30n, 21n, 12n].map((s) => Number((va >> s) & 0x1ffn)),
      ) as FrameCap | undefined;
    for (let i = 0; i < 2; i++) {
      expect(pdFrame(0x3000000n + BigInt(i) * 0x1000n)).toEqual({
        type: 'Frame',
        object: named(spec, `frame_mr_dma_buffer_00000000${i}`).id,
        rights: { read: true, write: true, grant: false, grantReply: false },
        cached: true,
        executable: false,
      });
    }
    const bar = objectsOfType(spec, 'Frame').filter((f) => f.name.startsWith('frame_mr_edu_bar0_'));
    expect(bar.length).toBe(256); // 1 MiB
    bar.forEach((f, i) => {
      expect(f.object.paddr).toBe(EDU_BAR0 + BigInt(i) * 0x1000n);
      expect(pdFrame(0x2000000n + BigInt(i) * 0x1000n)).toMatchObject({ object: f.id, cached: false, executable: false, rights: { read: true, write: true } });
    });
    // PCI configuration ports for the PD, at libmicrokit's BASE_IOPORT_CAP + 0.
    const ports = named(spec, 'ioports_0xcf8_dma');
    expect(ports.object).toEqual({ type: 'IOPorts', startPort: 0xcf8n, endPort: 0xcffn });
    expect(capAt(named(spec, 'cnode_dma').object, 394)).toEqual({ type: 'IOPorts', object: ports.id });
  });

  it('matches the reviewed snapshot', () => {
    if (process.env.MICROKIT_UPDATE_X86_SNAPSHOT === '1') writeFileSync(SNAPSHOT, text);
    expect(existsSync(SNAPSHOT), 'missing snapshot: run with MICROKIT_UPDATE_X86_SNAPSHOT=1').toBe(true);
    const expected = readFileSync(SNAPSHOT, 'utf8');
    // Names first (a readable diff), then everything.
    expect([...specFromJson(text).objects].map((o) => o.name)).toEqual([...specFromJson(expected).objects].map((o) => o.name));
    expect(JSON.parse(text)).toEqual(JSON.parse(expected));
    expect(text).toBe(expected);
  });

  it('wrote the x86 outputs: the image and both kernel copies beside it', () => {
    for (const f of ['loader.img', 'sel4.elf', 'sel4_32.elf', 'report.txt']) expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).toContain("x86 IOPageTable: 'iopt_level_2_edu_ioaddr_0x1000000'");
  });

  it('patches the committed dma.elf with the setvars', async () => {
    const { build } = await buildSystem(SDF, {
      board: 'qemu-x86',
      files: { 'dma.elf': readFileSync(join(EXAMPLE, 'dma.elf')) },
      settings: { iommu: { levels: 3 } },
    });
    const image = build.images!.images[0].image;
    expect(readSymbolWord(image, 'edu_regs_vaddr')).toBe(0x2000000n);
    expect(readSymbolWord(image, 'dma_buffer_vaddr')).toBe(0x3000000n);
    expect(readSymbolWord(image, 'dma_buffer_size')).toBe(0x2000n);
    expect(readSymbolWord(image, 'edu_bar0_paddr')).toBe(EDU_BAR0);
    expect(readSymbolWord(image, 'pci_config_ioport')).toBe(0n);
    expect(readSymbolWord(image, 'microkit_ioports')).toBe(1n);
  });
});

describe('examples/x86-iommu-dma files agree with each other', () => {
  const dmaC = read('dma.c');
  const setvarNames = [...SDF.matchAll(/\b(?:setvar_vaddr|setvar_size|setvar_id|symbol)="([^"]+)"/g)].map((m) => m[1]);
  const stubSymbols = [...(read('make-stub.mjs').match(/SETVAR_SYMBOLS = \[([^\]]*)\]/)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);

  it("the IO address in dma.c is the iomap's (no setvar exists for it)", () => {
    const iomaps = [...SDF.matchAll(/<iomap mr="dma_buffer" iovaddr="(0x[0-9a-f]+)"/g)].map((m) => BigInt(m[1]));
    expect(iomaps).toEqual([IOVA]);
    expect(BigInt(dmaC.match(/#define DMA_BUFFER_IOVA (0x[0-9a-fA-F]+)UL/)![1])).toBe(IOVA);
    expect(SDF).toContain('peripheral_id="0:4.0"');
    expect(dmaC).toMatch(/#define EDU_PCI_DEV 4\b/);
    expect(SDF).toContain(`phys_addr="0x${EDU_BAR0.toString(16)}"`);
  });

  it('every setvar is a seL4_Word in dma.c, in make-stub.mjs and an 8-byte symbol of dma.elf', () => {
    expect(setvarNames.length).toBe(5);
    expect([...stubSymbols].sort()).toEqual([...setvarNames].sort());
    const elf = parseElf(readFileSync(join(EXAMPLE, 'dma.elf')), 'dma.elf');
    for (const name of setvarNames) {
      expect(dmaC, name).toMatch(new RegExp(`^seL4_Word ${name};$`, 'm'));
      const sym = findSymbol(elf, name);
      expect(sym.ok && sym.size, name).toBe(8n);
    }
  });

  it('the committed dma.elf is what make-stub.mjs writes', () => {
    const fresh = stubProgramImage({ arch: 'x86_64', extraWordSymbols: stubSymbols });
    expect(Buffer.compare(Buffer.from(fresh), readFileSync(join(EXAMPLE, 'dma.elf'))), 'run node examples/x86-iommu-dma/make-stub.mjs').toBe(0);
  });

  it("README and Makefile give the qemu-x86 preset's QEMU command", () => {
    const boot = presetRegistry().resolve('qemu-x86').boot!;
    expect(read('README.md')).toContain(`    ${boot}\n`);
    const makefile = read('Makefile').replace(/\\\n\s*/g, '');
    expect(makefile.match(/^QEMU_COMMAND := (.*)$/m)![1]).toBe(boot);
  });

  it('microkit.config.ts names the qemu-x86 board, the debug config and a synthetic SDK', () => {
    const config = read('microkit.config.ts');
    for (const needle of [
      "system: 'x86-iommu-dma.system'",
      "board: 'qemu-x86'",
      "config: 'debug'",
      "sdk: 'synthetic'",
      "searchPaths: ['.']",
      "capdlJson: 'build/capdl.json'",
    ]) {
      expect(config).toContain(needle);
    }
  });
});

/** The documented command itself; its config imports 'microkit-ts', which resolves to dist/. */
describe.skipIf(!existsSync(join(REPO, 'dist/core/index.js')))('the documented command', () => {
  it('node dist/core/cli/bin.js --config-file examples/x86-iommu-dma/microkit.config.ts gives the same spec', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-x86-example-cfg-'));
    const out = join(dir, 'capdl.json');
    const run = await cli(
      ['--config-file', 'examples/x86-iommu-dma/microkit.config.ts', '--capdl-json', out, '-o', join(dir, 'loader.img'), '-r', join(dir, 'report.txt')],
      {
        cwd: REPO,
        env: {},
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });
});
