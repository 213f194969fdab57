/**
 * Oracle: every golden ARM/RISC-V loader image is rebuilt byte for byte
 * from the SDK's loader.elf and sel4.elf plus the initialiser regions and
 * placement read back from the golden image itself. That pins the loader
 * image with its boot page tables, the header, the kernel regions, the
 * region table and the uImage wrapper.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadableSegments, parseElf, segmentData } from '../../core/elf/index.js';
import { readSdkKernelConfig } from '../../core/sdk/config-dir.js';
import { aarch64LoaderSupport } from '../../plugins/aarch64/loader.js';
import { buildLoaderImage, loaderImageSizeLine, type LoaderArchSupport, type LoaderImageInput } from '../../plugins/loader-image/index.js';
import { riscv64LoaderSupport } from '../../plugins/riscv64/loader.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';
import {
  firstDifference,
  goldenLoaderRuns,
  initialiserFromImage,
  parseLoaderImage,
  sameBytes,
  wrap,
  type GoldenRun,
  type ParsedLoaderImage,
} from './golden-image.js';

const hex = (x: bigint): string => '0x' + x.toString(16);

const ARCH: Record<string, LoaderArchSupport> = {
  qemu_virt_aarch64: aarch64LoaderSupport,
  qemu_virt_aarch64_el1: aarch64LoaderSupport,
  qemu_virt_riscv64: riscv64LoaderSupport,
};

function rebuild(run: GoldenRun, golden: Uint8Array): { built: Uint8Array; parsed: ParsedLoaderImage; elf: Uint8Array } {
  const sdkDir = path.join(SHARED_SDK, 'board', run.board, run.config);
  const elfDir = path.join(sdkDir, 'elf');
  const parsed = parseLoaderImage(golden);
  const input: LoaderImageInput = {
    loaderElf: parseElf(readFileSync(path.join(elfDir, 'loader.elf'))),
    kernelElf: parseElf(readFileSync(path.join(elfDir, 'sel4.elf'))),
    kernel: readSdkKernelConfig({ root: SHARED_SDK, board: run.board, config: run.config, dir: sdkDir, synthetic: false }),
    initialiser: initialiserFromImage(parsed),
    arch: ARCH[run.board],
    imageType: parsed.kind,
  };
  return { built: buildLoaderImage(input), parsed, elf: buildLoaderImage({ ...input, imageType: 'elf' }) };
}

const runs = HAS_SHARED ? goldenLoaderRuns() : [];

describe.skipIf(!HAS_SHARED)('golden loader images', () => {
  it('finds golden images for every loader board', () => {
    for (const board of Object.keys(ARCH)) expect(runs.filter((r) => r.board === board).length, board).toBeGreaterThan(0);
    expect(runs.length).toBeGreaterThanOrEqual(100);
  });

  it.each(runs.map((r) => [`${r.board}/${r.config}/${r.example}`, r] as const))('reproduces %s', (_name, run) => {
    const golden = readFileSync(path.join(run.dir, 'loader.img'));
    const { built, parsed, elf } = rebuild(run, golden);

    // The image dump (made by an independent decoder) agrees with how the test read the image.
    const dump = JSON.parse(readFileSync(path.join(run.dir, 'image-dump.json'), 'utf8'));
    expect(hex(parsed.header.uiPRegStart)).toBe(dump.loader.header.ui_p_reg_start);
    expect(hex(parsed.header.pvOffset)).toBe(dump.loader.header.pv_offset);
    expect(hex(parsed.header.vEntry)).toBe(dump.loader.header.v_entry);
    expect(dump.image.kind).toBe(parsed.kind);
    expect(hex(wrap(parsed.header.uiPRegStart - parsed.header.pvOffset))).toBe(dump.initialiser.vaddr_start);

    const diff = firstDifference(built, golden);
    expect(diff, `first difference at byte ${hex(BigInt(diff))} (built ${built.length} bytes, golden ${golden.length})`).toBe(-1);
    expect(sameBytes(built, golden)).toBe(true);

    // The ELF form carries the same payload in its one segment.
    const loaderElf = parseElf(elf, undefined, { requireSymbols: false });
    expect(sameBytes(segmentData(loaderElf, loadableSegments(loaderElf)[0]), parsed.payload)).toBe(true);

    const stdout = readFileSync(path.join(run.dir, 'stdout.txt'), 'utf8').trimEnd().split('\n');
    expect(stdout).toContain(loaderImageSizeLine(built.length));
  });
});
