/**
 * Test helper: the upstream tool's successful ARM/RISC-V golden runs, with
 * everything the boot emulation needs to replay them: the SDK's kernel facts
 * and kernel ELF, the initialiser's placement from the golden image dump, and
 * the object addresses from the golden report.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { aarch64BootArch, RISCV64_SV39_BOOT_ARCH } from '../../core/boot/arch-facts.js';
import type { BootArch } from '../../core/boot/kernel-boot.js';
import { parseElf } from '../../core/elf/index.js';
import type { ElfFile } from '../../core/elf/index.js';
import type { KernelConfig } from '../../core/kernel/config.js';
import { readSdkKernelConfig } from '../../core/sdk/config-dir.js';
import { SHARED, SHARED_SDK } from '../support/paths.js';

export const GOLDEN = join(SHARED, 'conformance/examples/golden');
export const BOOT_BOARDS = ['qemu_virt_aarch64', 'qemu_virt_aarch64_el1', 'qemu_virt_riscv64'];

export interface BootGoldenRun {
  readonly id: string;
  readonly dir: string;
  readonly board: string;
  readonly config: string;
  readonly example: string;
}

function subdirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every successful run on the three ARM/RISC-V QEMU boards. */
export function bootGoldenRuns(): BootGoldenRun[] {
  const runs: BootGoldenRun[] = [];
  for (const board of BOOT_BOARDS) {
    for (const config of subdirs(join(GOLDEN, board))) {
      for (const example of subdirs(join(GOLDEN, board, config))) {
        const dir = join(GOLDEN, board, config, example);
        if (readFileSync(join(dir, 'exit_code'), 'utf8').trim() !== '0') continue;
        if (!existsSync(join(dir, 'capdl.json'))) continue;
        runs.push({ id: `${board}/${config}/${example}`, dir, board, config, example });
      }
    }
  }
  return runs;
}

export interface SdkFacts {
  readonly kernel: KernelConfig;
  readonly kernelElf: ElfFile;
  readonly arch: BootArch;
}

const sdkCache = new Map<string, SdkFacts>();

/** What an architecture plugin would supply, composed from arch-facts.ts. */
export function bootArchFor(kernel: KernelConfig): BootArch {
  if (kernel.arch === 'aarch64') return aarch64BootArch(kernel.hypervisor, kernel.armPaSizeBits);
  if (kernel.arch === 'riscv64') return RISCV64_SV39_BOOT_ARCH;
  throw new Error(`no boot emulation for ${kernel.arch}`);
}

export function sdkFacts(board: string, config: string): SdkFacts {
  const key = `${board}/${config}`;
  let facts = sdkCache.get(key);
  if (!facts) {
    const dir = join(SHARED_SDK, 'board', board, config);
    const kernel = readSdkKernelConfig({ root: SHARED_SDK, board, config, dir, synthetic: false });
    const elfPath = join(dir, 'elf/sel4.elf');
    const kernelElf = parseElf(readFileSync(elfPath), elfPath);
    facts = { kernel, kernelElf, arch: bootArchFor(kernel) };
    sdkCache.set(key, facts);
  }
  return facts;
}

export interface InitialiserPlacement {
  readonly physStart: bigint;
  readonly physEnd: bigint;
  readonly pvOffset: bigint;
  readonly virtStart: bigint;
  readonly virtEnd: bigint;
}

interface ImageDump {
  loader: { header: { ui_p_reg_start: string; pv_offset: string; layout: { ui_p_reg_end: string } } };
  initialiser: {
    vaddr_start: string;
    phdrs: { type: string; role: string; vaddr?: string; layout?: { vaddr?: string } }[];
    layout: { vaddr_end_page_rounded: string };
  };
}

/** The initialiser's physical and virtual footprint, from image-dump.json. */
export function goldenInitialiser(run: BootGoldenRun): InitialiserPlacement {
  const dump = JSON.parse(readFileSync(join(run.dir, 'image-dump.json'), 'utf8')) as ImageDump;
  const h = dump.loader.header;
  // The lowest PT_LOAD vaddr, wherever the dump puts it (direct or under layout).
  let virtStart: bigint | undefined;
  for (const ph of dump.initialiser.phdrs) {
    if (ph.type !== 'PT_LOAD') continue;
    const v = BigInt(ph.vaddr ?? ph.layout!.vaddr!);
    if (virtStart === undefined || v < virtStart) virtStart = v;
  }
  if (virtStart !== BigInt(dump.initialiser.vaddr_start)) throw new Error(`${run.id}: vaddr_start disagrees with the phdrs`);
  return {
    physStart: BigInt(h.ui_p_reg_start),
    physEnd: BigInt(h.layout.ui_p_reg_end),
    pvOffset: BigInt(h.pv_offset),
    virtStart,
    virtEnd: BigInt(dump.initialiser.layout.vaddr_end_page_rounded),
  };
}

export interface ReportObject {
  readonly id: number;
  readonly type: string;
  readonly name: string;
  readonly paddr: bigint;
}

/** The "Kernel Objects Details" lines of report.txt. */
export function goldenReportObjects(run: BootGoldenRun): ReportObject[] {
  const text = readFileSync(join(run.dir, 'report.txt'), 'utf8');
  const at = text.indexOf('# Kernel Objects Details');
  if (at < 0) throw new Error(`${run.id}: report has no Kernel Objects Details section`);
  const out: ReportObject[] = [];
  for (const m of text.slice(at).matchAll(/^\t(\d+) - ([^:]+): '(.*)' @ 0x([0-9a-f]{12})$/gm)) {
    out.push({ id: Number(m[1]), type: m[2], name: m[3], paddr: BigInt('0x' + m[4]) });
  }
  return out;
}
