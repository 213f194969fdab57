/**
 * What `microkit boards` says about a board: a flat, JSON-ready summary of a
 * resolved preset (its identity, the kernel facts a user picks a board by,
 * memory map, image types and how it boots). Pure: no I/O.
 */
import type { ImageType } from '../build-types.js';
import type { ArchName } from '../kernel/config.js';
import { presetKernelFiles, type ResolvedPreset } from '../preset.js';

export interface BoardSummary {
  readonly name: string;
  readonly description?: string;
  readonly arch: ArchName;
  readonly cpu?: string;
  /** seL4's platform (gen_config PLAT). */
  readonly platform?: string;
  readonly configs: readonly string[];
  readonly imageType: ImageType;
  readonly imageTypes: readonly ImageType[];
  readonly hypervisor: boolean;
  readonly iommu: boolean;
  readonly vtx: boolean;
  readonly smc: boolean;
  /** Cores of the smp-* configs; absent without them. */
  readonly smpCores?: number;
  readonly paBits?: number;
  readonly fpu: boolean;
  /** Hex strings, so that scripts need no 64-bit integers. */
  readonly loaderLinkAddress?: string;
  readonly memory?: readonly { readonly start: string; readonly end: string }[];
  readonly boot?: string;
  readonly qemu?: { readonly program: string; readonly args: readonly string[]; readonly smpArgs?: readonly string[]; readonly package: string };
  readonly uboot?: { readonly loadAddress: string; readonly commands: readonly string[] };
  /** Facts the preset does not know, with why. */
  readonly unknown?: Readonly<Record<string, string>>;
  /** The SDK's configs for the board, when an SDK is known and has it. */
  readonly sdkConfigs?: readonly string[];
}

/** The image types each architecture's tool accepts (upstream: uImage on RISC-V only, no loader image on x86). */
export const IMAGE_TYPES_BY_ARCH: Readonly<Record<ArchName, readonly ImageType[]>> = {
  aarch64: ['binary', 'elf'],
  riscv64: ['binary', 'elf', 'uimage'],
  x86_64: ['elf'],
};

const hex = (v: bigint | number | string): string => `0x${BigInt(v).toString(16)}`;

export function summarizeBoard(p: ResolvedPreset, sdkConfigs?: readonly string[]): BoardSummary {
  const g = p.kernel.genConfig;
  const smpFiles = Object.keys(p.configs).find((c) => c.startsWith('smp-'));
  const smp = smpFiles === undefined ? undefined : presetKernelFiles(p, smpFiles)!.genConfig.MAX_NUM_NODES;
  const hyp = p.arch === 'aarch64' ? g.ARM_HYPERVISOR_SUPPORT === true : p.arch === 'x86_64' ? g.VTX === true : false;
  const paBits = g.ARM_PA_SIZE_BITS_40 === true ? 40 : g.ARM_PA_SIZE_BITS_44 === true ? 44 : undefined;
  const loader = p.synthetic?.loaderLinkAddress;
  return {
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    arch: p.arch,
    ...(p.cpu ? { cpu: p.cpu } : {}),
    ...(typeof g.PLAT === 'string' ? { platform: g.PLAT } : {}),
    configs: Object.keys(p.configs),
    imageType: p.imageType,
    imageTypes: IMAGE_TYPES_BY_ARCH[p.arch],
    hypervisor: hyp,
    iommu: p.arch === 'x86_64' && g.IOMMU === true,
    vtx: g.VTX === true,
    smc: p.arch === 'aarch64' && g.ALLOW_SMC_CALLS === true,
    ...(typeof smp === 'string' ? { smpCores: Number(smp) } : {}),
    ...(paBits ? { paBits } : {}),
    fpu: g.HAVE_FPU === true,
    ...(loader !== undefined ? { loaderLinkAddress: hex(loader) } : {}),
    ...(p.kernel.platformGen ? { memory: p.kernel.platformGen.memory.map((r) => ({ start: hex(r.start), end: hex(r.end) })) } : {}),
    ...(p.boot ? { boot: p.boot } : {}),
    ...(p.qemu ? { qemu: { ...p.qemu } } : {}),
    ...(p.uboot ? { uboot: { loadAddress: hex(p.uboot.loadAddress), commands: p.uboot.commands } } : {}),
    ...(p.unknown && Object.keys(p.unknown).length > 0 ? { unknown: p.unknown } : {}),
    ...(sdkConfigs ? { sdkConfigs } : {}),
  };
}

/** `debug,release,benchmark,smp-*`: the configs in a table cell. */
function configsCell(configs: readonly string[]): string {
  const plain = configs.filter((c) => !c.startsWith('smp-'));
  return plain.join(',') + (plain.length < configs.length ? ',smp-*' : '');
}

const yes = (b: boolean): string => (b ? 'yes' : '-');

/** The table of `microkit boards`: one line per board, at most 100 columns. */
export function boardsTable(boards: readonly BoardSummary[]): string[] {
  const widths = [22, 7, 31, 6, 3, 5, 0];
  const row = (c: readonly string[]) =>
    c
      .map((cell, i) => cell.padEnd(widths[i]))
      .join(' ')
      .trimEnd();
  const lines = [row(['BOARD', 'ARCH', 'CONFIGS', 'IMAGE', 'HYP', 'IOMMU', 'SMP'])];
  for (const b of boards) {
    lines.push(row([b.name, b.arch, configsCell(b.configs), b.imageType, yes(b.hypervisor), yes(b.iommu), b.smpCores ? String(b.smpCores) : '-']));
  }
  return lines;
}

/** `microkit boards --long`: a block per board. */
export function boardsLong(boards: readonly BoardSummary[]): string[] {
  const out: string[] = [];
  for (const b of boards) {
    out.push(`${b.name}${b.description ? ` — ${b.description}` : ''}`);
    const facts = [
      `arch ${b.arch}`,
      b.cpu && `cpu ${b.cpu}`,
      b.platform && `seL4 platform ${b.platform}`,
      b.paBits && `${b.paBits}-bit PA`,
      `hypervisor ${yes(b.hypervisor)}`,
      b.arch === 'x86_64' && `IOMMU ${yes(b.iommu)}`,
      b.smpCores && `${b.smpCores} cores`,
    ].filter(Boolean);
    out.push(`  ${facts.join(', ')}`);
    out.push(`  configs: ${b.configs.join(', ')}${b.sdkConfigs ? ` (SDK: ${b.sdkConfigs.join(', ')})` : ''}`);
    out.push(`  image: ${b.imageType} (allowed: ${b.imageTypes.join(', ')})${b.loaderLinkAddress ? `, loader at ${b.loaderLinkAddress}` : ''}`);
    if (b.memory) out.push(`  memory: ${b.memory.map((r) => `${r.start}-${r.end}`).join(' ')}`);
    if (b.qemu) out.push(`  run: ${[b.qemu.program, ...b.qemu.args].join(' ')}`);
    if (b.uboot) out.push(`  U-Boot: ${b.uboot.commands.join('; ')}`);
    else if (b.boot && !b.qemu) out.push(`  boot: ${b.boot}`);
    for (const [fact, why] of Object.entries(b.unknown ?? {})) out.push(`  unknown: ${fact}: ${why}`);
  }
  return out;
}
