/**
 * `--kernel-config FILE`: a kernel configuration in upstream's Config field
 * names (the format of conformance/sdf-unit/cases.json `configs`), applied
 * over a base (the board's facts, or the architecture's generic preset).
 * 64-bit values may be JSON numbers or strings (decimal or 0x hex).
 */
import type { MicrokitError } from '../errors/microkit-error.js';
import { objectSizesFromJson, platformMemoryFromJson, toBigInt, type JsonInt, type SdkKernelFiles } from '../sdk/kernel-files.js';
import { ARCH_NAMES, type AddressSpaceConstants, type ArchName, type KernelConfig } from './config.js';
import { kernelConfigFieldInvalid, kernelConfigNotObject } from './errors.js';

type Json = Record<string, unknown>;

function bad(file: string, field: string, problem: string): MicrokitError {
  return kernelConfigFieldInvalid(file, field, problem);
}

/** Fields that must be integers, with how to convert them. */
const BIG_FIELDS = ['minimum_page_size', 'paddr_user_device_top', 'kernel_frame_size', 'num_domain_schedules'] as const;
const SMALL_FIELDS = ['word_size', 'init_cnode_bits', 'cap_address_bits', 'max_num_bootinfo_untypeds', 'fan_out_limit', 'num_cores', 'num_domains'] as const;
const BOOL_FIELDS = ['hypervisor', 'iommu', 'benchmark', 'fpu'] as const;

const CAMEL: Record<string, string> = {
  word_size: 'wordSize',
  minimum_page_size: 'minimumPageSize',
  paddr_user_device_top: 'paddrUserDeviceTop',
  kernel_frame_size: 'kernelFrameSize',
  init_cnode_bits: 'initCNodeBits',
  cap_address_bits: 'capAddressBits',
  max_num_bootinfo_untypeds: 'maxNumBootinfoUntypeds',
  fan_out_limit: 'fanOutLimit',
  num_cores: 'numCores',
  num_domains: 'numDomains',
  num_domain_schedules: 'numDomainSchedules',
  hypervisor: 'hypervisor',
  iommu: 'iommu',
  benchmark: 'benchmark',
  fpu: 'fpu',
};

const KNOWN = new Set([
  ...Object.keys(CAMEL),
  'arch',
  'arm_pa_size_bits',
  'arm_smc',
  'riscv_pt_levels',
  'address_space_constants',
  'object_sizes',
  'platform',
  'invocations_labels',
  'device_regions',
  'normal_regions',
]);

/**
 * What each integer field can hold, inclusive. Values outside reached the
 * allocator as fractions or shifts of thousands of bits (`word_size: 7` was an
 * internal error; `word_size: 2^64 + 1` built an image).
 */
const U64_MAX = (1n << 64n) - 1n;
const RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  word_size: [64n, 64n],
  minimum_page_size: [1n, U64_MAX],
  paddr_user_device_top: [0n, U64_MAX],
  kernel_frame_size: [1n, U64_MAX],
  num_domain_schedules: [0n, U64_MAX],
  init_cnode_bits: [1n, 63n],
  cap_address_bits: [1n, 64n],
  max_num_bootinfo_untypeds: [0n, 0xffff_ffffn],
  fan_out_limit: [1n, 0xffff_ffffn],
  num_cores: [1n, 0xffffn],
  num_domains: [1n, 0xffffn],
  arm_pa_size_bits: [1n, 64n],
  page_table_index_bits: [1n, 64n],
  vspace_index_bits: [1n, 64n],
  io_page_table_index_bits: [1n, 64n],
  vspace_user_top: [0n, U64_MAX],
};

function isJsonInt(v: unknown): v is JsonInt {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string';
}

/**
 * Apply a `--kernel-config` document over `base`. `base` supplies whatever
 * the file leaves out (object sizes and the memory map, typically).
 */
export function applyKernelConfigJson(doc: unknown, base: KernelConfig, file: string): KernelConfig {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw kernelConfigNotObject(file);
  }
  const j = doc as Json;
  for (const k of Object.keys(j)) if (!KNOWN.has(k)) throw bad(file, k, 'is not a kernel configuration field');
  const out: Record<string, unknown> = { ...base };

  if (j.arch !== undefined) {
    if (typeof j.arch !== 'string' || !ARCH_NAMES.includes(j.arch as ArchName)) throw bad(file, 'arch', `must be one of ${ARCH_NAMES.join(', ')}`);
    out.arch = j.arch;
  }
  const int = (k: string, from: Json = j, name = k): bigint => integer(from[k], file, name, RANGES[k]);
  for (const k of BIG_FIELDS) if (j[k] !== undefined) out[CAMEL[k]] = int(k);
  for (const k of SMALL_FIELDS) if (j[k] !== undefined) out[CAMEL[k]] = Number(int(k));
  for (const k of BOOL_FIELDS) {
    if (j[k] === undefined) continue;
    if (typeof j[k] !== 'boolean') throw bad(file, k, 'must be true or false');
    out[CAMEL[k]] = j[k];
  }
  // Optional facts: null means "not applicable to this architecture".
  if ('arm_pa_size_bits' in j) out.armPaSizeBits = j.arm_pa_size_bits === null ? undefined : Number(int('arm_pa_size_bits'));
  if ('arm_smc' in j) {
    if (j.arm_smc !== null && typeof j.arm_smc !== 'boolean') throw bad(file, 'arm_smc', 'must be true, false or null');
    out.armSmc = j.arm_smc === null ? undefined : j.arm_smc;
  }
  if ('riscv_pt_levels' in j) out.riscvPtLevels = j.riscv_pt_levels === null ? undefined : riscvLevels(j.riscv_pt_levels, file);

  if (j.address_space_constants !== undefined) {
    const a = object(j.address_space_constants, file, 'address_space_constants');
    const opt = (k: string): number | undefined => (a[k] === undefined || a[k] === null ? undefined : Number(int(k, a, `address_space_constants.${k}`)));
    const addressSpace: AddressSpaceConstants = {
      pageTableIndexBits: opt('page_table_index_bits') ?? base.addressSpace.pageTableIndexBits,
      vspaceIndexBits: 'vspace_index_bits' in a ? opt('vspace_index_bits') : base.addressSpace.vspaceIndexBits,
      ioPageTableIndexBits: 'io_page_table_index_bits' in a ? opt('io_page_table_index_bits') : base.addressSpace.ioPageTableIndexBits,
      vspaceUserTop: a.vspace_user_top === undefined ? base.addressSpace.vspaceUserTop : int('vspace_user_top', a, 'address_space_constants.vspace_user_top'),
    };
    out.addressSpace = addressSpace;
  }
  if (j.object_sizes !== undefined) {
    const sizes = object(j.object_sizes, file, 'object_sizes');
    for (const [k, v] of Object.entries(sizes)) integer(v, file, `object_sizes.${k}`, [0n, 64n]);
    out.objectSizes = objectSizesFromJson(sizes as SdkKernelFiles['objectSizes'], `kernel config '${file}'`);
  }
  if (j.platform !== undefined) {
    const p = object(j.platform, file, 'platform');
    for (const k of ['memory', 'devices']) {
      const list = p[k];
      if (!Array.isArray(list)) throw bad(file, `platform.${k}`, 'must be an array of {start, end} ranges');
      list.forEach((r, i) => {
        const range = object(r, file, `platform.${k}[${i}]`);
        for (const end of ['start', 'end']) integer(range[end], file, `platform.${k}[${i}].${end}`, [0n, U64_MAX]);
      });
    }
    out.memory = platformMemoryFromJson(p as unknown as NonNullable<SdkKernelFiles['platformGen']>, `kernel config '${file}'`, 'platform.');
  }
  return out as unknown as KernelConfig;
}

function integer(v: unknown, file: string, field: string, range: readonly [bigint, bigint] | undefined): bigint {
  let n: bigint;
  try {
    if (!isJsonInt(v)) throw new Error();
    n = toBigInt(v, `kernel config '${file}'`, field);
  } catch {
    throw bad(file, field, 'must be an integer');
  }
  if (range && (n < range[0] || n > range[1])) {
    throw bad(file, field, range[0] === range[1] ? `must be ${range[0]}` : `must be between ${range[0]} and ${range[1]}`);
  }
  return n;
}

function object(v: unknown, file: string, field: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(file, field, 'must be a JSON object');
  return v as Json;
}

function riscvLevels(v: unknown, file: string): number {
  if (v === 'Sv39' || v === 'sv39') return 3;
  if (v === 'Sv48' || v === 'sv48') return 4;
  if (v === 3 || v === 4 || v === 3n || v === 4n) return Number(v);
  throw bad(file, 'riscv_pt_levels', "must be 'Sv39', 'Sv48', 3 or 4");
}
