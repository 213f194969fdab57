/**
 * Types of the ARM/RISC-V loader image builder and of the boot-page-table
 * writers the architecture plugins provide for it.
 */
import type { ImageType } from '../../core/build-types.js';
import type { ElfFile } from '../../core/elf/index.js';
import type { KernelConfig } from '../../core/kernel/config.js';
import type { BootPageTable, LoaderHeader } from '../../core/loader/types.js';

export type { LoaderHeader } from '../../core/loader/types.js';

export type { BootPageTable, BootPageTableRequest, BootPageTableWriter, LoaderArchSupport } from '../../core/loader/types.js';
import type { LoaderArchSupport } from '../../core/loader/types.js';

/** One loadable segment of the (packed) initialiser, at its virtual address. */
export interface InitialiserSegment {
  readonly vaddr: bigint;
  /** The segment's leading bytes, whole or as chunks in order (never concatenated); the rest up to `memsz` is zero. */
  readonly data: Uint8Array | readonly Uint8Array[];
  readonly memsz: bigint;
}

/** Where and what the initialiser (the capDL initialiser with its spec) is. */
export interface InitialiserPlacement {
  /** Every loadable segment; segments with memsz 0 are skipped, as upstream does. */
  readonly segments: readonly InitialiserSegment[];
  /** Entry point (virtual). */
  readonly entry: bigint;
  /** Physical address of `vaddrRange.start`. */
  readonly physBase: bigint;
  /** Upstream's `image_bound`: [lowest vaddr, highest vaddr rounded up to 4 KiB). */
  readonly vaddrRange: { readonly start: bigint; readonly end: bigint };
}

export interface LoaderImageInput {
  /** The SDK's `loader.elf`. */
  readonly loaderElf: ElfFile;
  /** The kernel ELF actually used (SDK `sel4.elf` or `--override-kernel`). */
  readonly kernelElf: ElfFile;
  readonly kernel: KernelConfig;
  readonly initialiser: InitialiserPlacement;
  readonly arch: LoaderArchSupport;
  readonly imageType: ImageType;
  /** The output file, only named in messages (upstream's uImage errors name it). */
  readonly outputPath?: string;
}

/** A region the loader copies to physical memory before starting the kernel. */
export interface LoaderRegion {
  readonly role: 'kernel' | 'initialiser';
  readonly loadAddr: bigint;
  /** Offset of the data within the region-data area. */
  readonly offset: bigint;
  /** The region's bytes in order, zeros included: what the image writers stream. */
  readonly chunks: readonly Uint8Array[];
  /** Bytes in the region (the chunks' total). */
  readonly size: bigint;
  /** Exactly the region's bytes (bss materialised as zeros), concatenated on first use: for inspection, not for writing. */
  readonly data: Uint8Array;
  /** Loader region type; always 1 from the upstream tool. */
  readonly type: bigint;
}

/** The loader image before it is put into a container (binary, ELF or uImage). */
export interface LoaderLayout {
  /** The loader's first PT_LOAD (memsz bytes) with the boot page tables written in. */
  readonly loaderImage: Uint8Array;
  /** Loader link address = entry = address of the image's first byte. */
  readonly loaderEntry: bigint;
  readonly header: LoaderHeader;
  /** Kernel regions (every kernel PT_LOAD, in file order), then the initialiser's. */
  readonly regions: readonly LoaderRegion[];
  /** The kernel ELF's e_machine, used for the ELF container. */
  readonly elfMachine: number;
  readonly bootPageTables: readonly BootPageTable[];
}
