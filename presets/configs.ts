/**
 * The build configs of a board, as upstream's build_sdk.py elaborates them:
 * `debug`, `release` and `benchmark` from per-config kernel options, and for
 * boards with `smp_cores`, `smp-<config>` = the same config plus
 * `KernelMaxNumNodes=<cores>` and `KernelNumDomains=1`.
 */
import type { KernelFilesOverlay } from '../core/preset.js';

export interface BoardConfigOverlays {
  /** Over the board's base files (which are the release files). */
  readonly debug: KernelFilesOverlay;
  readonly release?: KernelFilesOverlay;
  readonly benchmark: KernelFilesOverlay;
  /** Cores of the SMP configs; no `smp-*` configs without it. */
  readonly smpCores?: number;
}

/** An overlay with `extra` applied over `overlay` (per file, key by key). */
export function mergeOverlays(overlay: KernelFilesOverlay, extra: KernelFilesOverlay): KernelFilesOverlay {
  return {
    ...(overlay.genConfig || extra.genConfig ? { genConfig: { ...overlay.genConfig, ...extra.genConfig } } : {}),
    ...(overlay.objectSizes || extra.objectSizes ? { objectSizes: { ...overlay.objectSizes, ...extra.objectSizes } } : {}),
    ...(overlay.addressSpaceConstants || extra.addressSpaceConstants
      ? { addressSpaceConstants: { ...overlay.addressSpaceConstants, ...extra.addressSpaceConstants } }
      : {}),
    ...((extra.platformGen ?? overlay.platformGen) ? { platformGen: extra.platformGen ?? overlay.platformGen } : {}),
  };
}

/** What `smp-<config>` adds over `<config>`: build_sdk.py's KernelMaxNumNodes and KernelNumDomains=1. */
export function smpOverlay(cores: number): KernelFilesOverlay {
  return { genConfig: { ENABLE_SMP_SUPPORT: true, MAX_NUM_NODES: String(cores), NUM_DOMAINS: '1' } };
}

/**
 * The six configs of a board with SMP cores (three without). `debug`,
 * `release`, `benchmark` and `smp-debug` are the shared SDK's; `smp-release`
 * and `smp-benchmark` are derived the same way build_sdk.py derives every
 * `smp-*` config (the SDK's smp-debug is exactly debug + the SMP options,
 * object sizes included, so their object sizes are release's and
 * benchmark's).
 */
export function boardConfigs(o: BoardConfigOverlays): Record<string, KernelFilesOverlay> {
  const base: Record<string, KernelFilesOverlay> = { debug: o.debug, release: o.release ?? {}, benchmark: o.benchmark };
  if (o.smpCores === undefined) return base;
  const smp = smpOverlay(o.smpCores);
  return {
    ...base,
    'smp-debug': mergeOverlays(base.debug, smp),
    // Derived (not in the shared SDK): release/benchmark + the SMP options.
    'smp-release': mergeOverlays(base.release, smp),
    'smp-benchmark': mergeOverlays(base.benchmark, smp),
  };
}

/**
 * The kernel options build_sdk.py sets on every board (DEFAULT_KERNEL_OPTIONS, MCS, 64-bit) as seL4's
 * gen_config.json shows them, with release values (configs overlay debug, benchmark and SMP).
 */
export const DEFAULT_GEN_CONFIG = {
  WORD_SIZE: '64',
  KERNEL_MCS: true,
  ROOT_CNODE_SIZE_BITS: '17',
  RETYPE_FAN_OUT_LIMIT: '256',
  MAX_NUM_BOOTINFO_UNTYPED_CAPS: '230',
  MAX_NUM_WORK_UNITS_PER_PREEMPTION: '100',
  RESET_CHUNK_BITS: '8',
  NUM_DOMAINS: '16',
  NUM_DOMAIN_SCHEDULES: '100',
  NUM_PRIORITIES: '256',
  ENABLE_SMP_SUPPORT: false,
  MAX_NUM_NODES: '1',
  HAVE_FPU: true,
} as const;

/** The release build's debugging and fast-path options, the same on every architecture (configs overlay them). */
export const RELEASE_GEN_CONFIG = {
  DEBUG_BUILD: false,
  PRINTING: false,
  VERIFICATION_BUILD: false,
  HARDWARE_DEBUG_API: false,
  ENABLE_BENCHMARKS: false,
  BENCHMARK_TRACK_UTILISATION: false,
  SIGNAL_FASTPATH: false,
  FASTPATH: true,
  LIB_SEL4_USE_THREAD_LOCALS: false,
} as const;
