/**
 * What an architecture that boots through the Microkit loader (ARM, RISC-V)
 * provides to the loader-image builder: its boot page tables and whether it
 * can be booted from a uImage. An extension point of ArchSupport.
 */
import type { ElfFile } from '../elf/index.js';
import type { KernelConfig } from '../kernel/config.js';

/** What an architecture's boot-page-table writer is given. */
export interface BootPageTableRequest {
  /**
   * The SDK's `loader.elf`: its symbols say where each table lives, and its
   * data holds values the tables depend on (AArch64 `uart_addr`).
   */
  readonly loaderElf: ElfFile;
  /** The kernel facts of the board/config (RISC-V: page-table levels). */
  readonly kernel: KernelConfig;
  /** Lowest vaddr of any kernel PT_LOAD segment: the start of the kernel window. */
  readonly kernelFirstVaddr: bigint;
  /** Lowest paddr of any kernel PT_LOAD segment: where the kernel window maps to. */
  readonly kernelFirstPaddr: bigint;
}

/** One page table to write into the loader image, over the symbol that reserves it. */
export interface BootPageTable {
  readonly symbol: string;
  /** The symbol's address in the loader ELF. */
  readonly vaddr: bigint;
  /** The symbol's size in the loader ELF; it must equal `bytes.length`. */
  readonly size: bigint;
  readonly bytes: Uint8Array;
}

/**
 * The common signature of the per-architecture boot-page-table writers
 * (`plugins/aarch64/loader.ts`, `plugins/riscv64/loader.ts`). Returns the
 * tables in the order they are written (a later one wins where two
 * symbols overlap). Failures are MicrokitErrors.
 */
export type BootPageTableWriter = (request: BootPageTableRequest) => readonly BootPageTable[];

/** Everything the loader builder needs from an architecture that boots through the Microkit loader. */
export interface LoaderArchSupport {
  readonly bootPageTables: BootPageTableWriter;
  /**
   * U-Boot legacy image `ih_arch` code when the architecture can be booted
   * from a uImage (RISC-V: 26); absent means uImage output is unsupported.
   */
  readonly uimageArch?: number;
}

/** The loader header the loader reads after its own image (8 little-endian u64 words). */
export interface LoaderHeader {
  readonly magic: bigint;
  /** Header + region table + region data, in bytes. */
  readonly size: bigint;
  readonly kernelEntry: bigint;
  readonly uiPRegStart: bigint;
  readonly uiPRegEnd: bigint;
  readonly pvOffset: bigint;
  readonly vEntry: bigint;
  readonly numRegions: bigint;
}
