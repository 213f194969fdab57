/**
 * Kernel facts from the files a Microkit SDK ships per board/config
 * (include/kernel/gen_config.json, object_sizes.json,
 * address_space_constants.json, platform_gen.json). Presets carry the same
 * file contents, so one reader serves the SDK, presets and the synthetic SDK.
 */
import type { MicrokitError } from '../errors/microkit-error.js';
import type { AddressSpaceConstants, ArchName, KernelConfig, ObjectSizes, PhysicalRange, PlatformMemory } from '../kernel/config.js';
import { hex } from '../util/bigint.js';
import { sdkBadKernelConfig, sdkUnsupportedArch, sdkUnsupportedWordSize } from './errors.js';

export type JsonInt = number | bigint | string;

/** The contents of one SDK config directory's JSON files. */
export interface SdkKernelFiles {
  /** include/kernel/gen_config.json: numbers as strings, booleans as booleans. */
  readonly genConfig: Readonly<Record<string, string | boolean>>;
  /** object_sizes.json: size bits. */
  readonly objectSizes: Readonly<Record<string, number>>;
  /** address_space_constants.json. */
  readonly addressSpaceConstants: Readonly<Record<string, JsonInt>>;
  /** platform_gen.json (ARM/RISC-V only). */
  readonly platformGen?: { readonly devices: readonly JsonRange[]; readonly memory: readonly JsonRange[] };
}

export interface JsonRange {
  readonly start: JsonInt;
  readonly end: JsonInt;
}

/** Where the facts came from, for messages (`kernel configuration file '<path>'`). */
export interface KernelFilesOrigin {
  readonly genConfigPath: string;
  readonly objectSizesPath: string;
  readonly addressSpacePath: string;
  /** platform_gen.json (ARM/RISC-V); errors in it name this path when given. */
  readonly platformGenPath?: string;
}

const ARCHES: Record<string, ArchName> = { aarch64: 'aarch64', riscv64: 'riscv64', x86_64: 'x86_64' };

/** Which gen_config key says "hypervisor" per architecture (upstream: ARM hyp, x86 VT-x, never on RISC-V). */
const HYPERVISOR_KEY: Record<ArchName, string | undefined> = { aarch64: 'ARM_HYPERVISOR_SUPPORT', x86_64: 'VTX', riscv64: undefined };

/** The page size the kernel maps its own image with. */
const KERNEL_FRAME_SIZE: Record<ArchName, bigint> = { aarch64: 0x1000n, riscv64: 0x200000n, x86_64: 0x1000n };

function fieldError(origin: string, field: string, problem: string): MicrokitError {
  return sdkBadKernelConfig(origin, `JSON field '${field}' ${problem}`);
}

export function toBigInt(v: JsonInt, origin: string, field: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) return BigInt(v);
  throw fieldError(origin, field, `is not an integer: ${String(v)}`);
}

function str(gen: SdkKernelFiles['genConfig'], origin: string, field: string): string {
  const v = gen[field];
  if (v === undefined) throw fieldError(origin, field, 'does not exist');
  if (typeof v !== 'string') throw fieldError(origin, field, 'is not a string');
  return v;
}

function int(gen: SdkKernelFiles['genConfig'], origin: string, field: string): bigint {
  return toBigInt(str(gen, origin, field), origin, field);
}

function bool(gen: SdkKernelFiles['genConfig'], origin: string, field: string): boolean {
  const v = gen[field];
  if (v === undefined) throw fieldError(origin, field, 'does not exist');
  if (typeof v !== 'boolean') throw fieldError(origin, field, 'is not a boolean');
  return v;
}

function sizeBits(sizes: SdkKernelFiles['objectSizes'], origin: string, field: string, optional: true): number | undefined;
function sizeBits(sizes: SdkKernelFiles['objectSizes'], origin: string, field: string, optional?: false): number;
function sizeBits(sizes: SdkKernelFiles['objectSizes'], origin: string, field: string, optional = false): number | undefined {
  const v = sizes[field];
  if (v === undefined) {
    if (optional) return undefined;
    throw fieldError(origin, field, 'does not exist');
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) throw fieldError(origin, field, 'is not an integer');
  return v;
}

export function objectSizesFromJson(sizes: SdkKernelFiles['objectSizes'], origin: string): ObjectSizes {
  return {
    tcb: sizeBits(sizes, origin, 'tcb'),
    endpoint: sizeBits(sizes, origin, 'endpoint'),
    notification: sizeBits(sizes, origin, 'notification'),
    reply: sizeBits(sizes, origin, 'reply'),
    smallPage: sizeBits(sizes, origin, 'small_page'),
    largePage: sizeBits(sizes, origin, 'large_page'),
    hugePage: sizeBits(sizes, origin, 'huge_page', true),
    asidPool: sizeBits(sizes, origin, 'asid_pool'),
    asidTable: sizeBits(sizes, origin, 'asid_table', true),
    slot: sizeBits(sizes, origin, 'slot', true),
    minUntypedBits: sizeBits(sizes, origin, 'min_untyped_bits', true),
    maxUntypedBits: sizeBits(sizes, origin, 'max_untyped_bits', true),
    vspace: sizeBits(sizes, origin, 'vspace'),
    pageTable: sizeBits(sizes, origin, 'page_table'),
    vcpu: sizeBits(sizes, origin, 'vcpu', true),
    ioPageTable: sizeBits(sizes, origin, 'io_page_table', true),
  };
}

export function addressSpaceFromJson(c: SdkKernelFiles['addressSpaceConstants'], origin: string): AddressSpaceConstants {
  const small = (field: string, optional: boolean): number | undefined => {
    const v = c[field];
    if (v === undefined) {
      if (optional) return undefined;
      throw fieldError(origin, field, 'does not exist');
    }
    return Number(toBigInt(v, origin, field));
  };
  const top = c.vspace_user_top;
  if (top === undefined) throw fieldError(origin, 'vspace_user_top', 'does not exist');
  return {
    pageTableIndexBits: small('page_table_index_bits', false)!,
    vspaceIndexBits: small('vspace_index_bits', true),
    ioPageTableIndexBits: small('io_page_table_index_bits', true),
    vspaceUserTop: toBigInt(top, origin, 'vspace_user_top'),
  };
}

/**
 * The board's RAM and device ranges. Each list must hold non-empty ranges that do not overlap: the boot
 * emulation builds disjoint regions from them, and an empty, reversed or overlapping range was an
 * internal error there. `prefix` names where the lists sit (`platform.` in a --kernel-config file).
 */
export function platformMemoryFromJson(p: NonNullable<SdkKernelFiles['platformGen']>, origin: string, prefix = ''): PlatformMemory {
  const ranges = (list: readonly JsonRange[], name: string): PhysicalRange[] => {
    const field = `${prefix}${name}`;
    if (!Array.isArray(list)) throw fieldError(origin, field, 'is not a list of {start, end} ranges');
    const out = list.map((r, i) => {
      if (typeof r !== 'object' || r === null) throw fieldError(origin, field, 'is not a list of {start, end} ranges');
      const range = { start: toBigInt(r.start, origin, `${field}.start`), end: toBigInt(r.end, origin, `${field}.end`) };
      if (range.start >= range.end)
        throw fieldError(origin, `${field}[${i}]`, `is empty: its start ${hex(range.start)} is not below its end ${hex(range.end)}`);
      return range;
    });
    const order = out.map((_, i) => i).sort((a, b) => (out[a].start < out[b].start ? -1 : out[a].start > out[b].start ? 1 : a - b));
    for (let k = 1; k < order.length; k++) {
      const [a, b] = [out[order[k - 1]], out[order[k]]];
      if (b.start < a.end) {
        const [i, j] = [order[k - 1], order[k]].sort((x, y) => x - y);
        throw fieldError(origin, `${field}[${j}]`, `${span(out[j])} overlaps ${field}[${i}] ${span(out[i])}`);
      }
    }
    return out;
  };
  return { normal: ranges(p.memory, 'memory'), device: ranges(p.devices, 'devices') };
}

function span(r: PhysicalRange): string {
  return `[${hex(r.start)}..${hex(r.end)})`;
}

/**
 * Upstream's Config, built from an SDK config directory's files.
 * @param configName the SDK config (upstream treats exactly `benchmark` as a benchmark kernel).
 */
export function kernelConfigFromSdkFiles(files: SdkKernelFiles, configName: string, origin: KernelFilesOrigin): KernelConfig {
  const g = files.genConfig;
  const gOrigin = `kernel configuration file '${origin.genConfigPath}'`;
  const archText = str(g, gOrigin, 'SEL4_ARCH');
  const arch = ARCHES[archText];
  if (arch === undefined) {
    throw sdkUnsupportedArch(gOrigin, archText);
  }
  const wordSize = Number(int(g, gOrigin, 'WORD_SIZE'));
  if (wordSize !== 64) {
    throw sdkUnsupportedWordSize(gOrigin, wordSize);
  }
  const objectSizes = objectSizesFromJson(files.objectSizes, `kernel object sizes file '${origin.objectSizesPath}'`);
  const hypKey = HYPERVISOR_KEY[arch];
  let armPaSizeBits: number | undefined;
  if (arch === 'aarch64') {
    if (bool(g, gOrigin, 'ARM_PA_SIZE_BITS_40')) armPaSizeBits = 40;
    else if (bool(g, gOrigin, 'ARM_PA_SIZE_BITS_44')) armPaSizeBits = 44;
    else throw sdkBadKernelConfig(gOrigin, 'expected an ARM platform with 40 or 44 physical address bits');
  }
  const smp = bool(g, gOrigin, 'ENABLE_SMP_SUPPORT');
  // Upstream keys benchmark builds off the config name only, so smp-benchmark
  // PDs lose their TCB cap; the kernel's own flag says what it is.
  const benchmark = typeof g.ENABLE_BENCHMARKS === 'boolean' ? g.ENABLE_BENCHMARKS : configName === 'benchmark';
  return {
    arch,
    wordSize,
    minimumPageSize: 1n << BigInt(objectSizes.smallPage),
    paddrUserDeviceTop: int(g, gOrigin, 'PADDR_USER_DEVICE_TOP'),
    kernelFrameSize: KERNEL_FRAME_SIZE[arch],
    initCNodeBits: Number(int(g, gOrigin, 'ROOT_CNODE_SIZE_BITS')),
    capAddressBits: 64,
    fanOutLimit: Number(int(g, gOrigin, 'RETYPE_FAN_OUT_LIMIT')),
    maxNumBootinfoUntypeds: Number(int(g, gOrigin, 'MAX_NUM_BOOTINFO_UNTYPED_CAPS')),
    hypervisor: hypKey === undefined ? false : bool(g, gOrigin, hypKey),
    iommu: arch === 'x86_64' ? bool(g, gOrigin, 'IOMMU') : false,
    benchmark,
    numCores: smp ? Number(int(g, gOrigin, 'MAX_NUM_NODES')) : 1,
    numDomains: Number(int(g, gOrigin, 'NUM_DOMAINS')),
    numDomainSchedules: int(g, gOrigin, 'NUM_DOMAIN_SCHEDULES'),
    fpu: bool(g, gOrigin, 'HAVE_FPU'),
    armPaSizeBits,
    armSmc: arch === 'aarch64' ? bool(g, gOrigin, 'ALLOW_SMC_CALLS') : undefined,
    riscvPtLevels: arch === 'riscv64' ? (typeof g.PT_LEVELS === 'string' ? Number(g.PT_LEVELS) : 3) : undefined,
    addressSpace: addressSpaceFromJson(files.addressSpaceConstants, `kernel address space constants file '${origin.addressSpacePath}'`),
    objectSizes,
    memory: files.platformGen
      ? platformMemoryFromJson(
          files.platformGen,
          origin.platformGenPath === undefined ? 'kernel platform configuration file' : `kernel platform configuration file '${origin.platformGenPath}'`,
        )
      : undefined,
  };
}
