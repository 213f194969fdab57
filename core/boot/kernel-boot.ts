/**
 * Emulation of the seL4 kernel's boot on ARM and RISC-V, as far as the tool
 * needs it: which physical memory the kernel keeps, where it puts the root
 * server's objects, and the untypeds it hands to the initial task (the capDL
 * initialiser). Upstream: sel4.rs `emulate_kernel_boot_partial`,
 * `emulate_kernel_boot`, `calculate_rootserver_size`.
 *
 * Everything architecture-specific arrives in a {@link BootArch}; the
 * architecture plugins build theirs from `arch-facts.ts`.
 */
import { findSymbol, loadableSegments } from '../elf/index.js';
import type { ElfFile } from '../elf/index.js';
import type { KernelConfig, ObjectSizes, PhysicalRange, PlatformMemory } from '../kernel/config.js';
import { hex, roundDown, roundUp, u64 } from '../util/bigint.js';
import { trailingZeros64 } from './bits.js';
import { DisjointRegions, splitPowerOfTwo } from './memory-regions.js';
import { kernelImageOutsideMemory, kernelSymbolMissing, noRootserverRegion } from './errors.js';

/** Kernel facts of one architecture (mode) that the SDK does not record. */
export interface BootArch {
  /** Kernel virtual address of physical address 0 (the kernel's PPTR_BASE). */
  readonly kernelVirtualBase: bigint;
  /**
   * Bits of virtual address space covered by one table at each non-root
   * page-table level, e.g. [39, 30, 21]: the kernel allocates one table per
   * aligned span of the initial task's virtual region at each level.
   */
  readonly pagingSpanBits: readonly number[];
  /** Largest untyped, in bits, when object_sizes.json has no `max_untyped_bits`. */
  readonly maxUntypedBits: number;
}

/** The physical footprint of the kernel ELF. */
export interface KernelImageRegions {
  /** `[first segment's paddr, paddr of ki_end)`: the kernel image, never handed out. */
  readonly image: PhysicalRange;
  /** `[first segment's paddr, paddr of ki_boot_end)`: freed after boot and handed out as normal untypeds. */
  readonly boot: PhysicalRange;
}

/** What the kernel has decided before it places the initial task. */
export interface PartialBoot {
  readonly deviceMemory: DisjointRegions;
  /** The platform's normal memory minus the kernel image. */
  readonly normalMemory: DisjointRegions;
  readonly bootRegion: PhysicalRange;
}

export interface Untyped {
  /** Cap slot in the initial task's CNode. */
  readonly cap: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly sizeBits: number;
  readonly isDevice: boolean;
}

/** The parts of seL4's BootInfo the tool models. */
export interface BootInfo {
  readonly fixedCapCount: number;
  readonly pagingCapCount: number;
  readonly pageCapCount: number;
  readonly schedControlCap: number;
  readonly firstAvailableCap: number;
  /** Device untypeds, then the boot region's, then normal memory's: cap order. */
  readonly untypeds: readonly Untyped[];
  /** Where the root server's kernel objects went (not part of upstream's BootInfo). */
  readonly rootServerRegion: PhysicalRange;
}

/** Initial caps the kernel always creates (seL4_NumInitialCaps). */
const FIXED_CAP_COUNT = 16;
/** seL4_SlotBits. */
const SLOT_BITS = 5;
/** seL4_ASIDPoolBits: upstream hard-codes 12 rather than reading object_sizes. */
const ASID_POOL_BITS = 12;
/** seL4_MinSchedContextBits. */
const MIN_SCHED_CONTEXT_BITS = 7;
/** The kernel maps an IPC buffer and a bootinfo frame (4 KiB each) after the initial task's image. */
const IPC_BUFFER_SIZE = 0x1000n;
const BOOTINFO_FRAME_SIZE = 0x1000n;

function pow2(bits: number): bigint {
  return 1n << BigInt(bits);
}

function requireObjectSizes(kernel: KernelConfig): ObjectSizes {
  if (!kernel.objectSizes) throw new Error('kernel boot emulation: the kernel config has no object sizes');
  return kernel.objectSizes;
}

function kernelSymbolPaddr(elf: ElfFile, name: string, first: { vaddr: bigint; paddr: bigint }): bigint {
  const sym = findSymbol(elf, name);
  // Upstream: `.expect("Could not find '<name>' symbol")`, a panic.
  if (!sym.ok) throw kernelSymbolMissing(name);
  return u64(sym.value - first.vaddr + first.paddr);
}

/**
 * The kernel image and boot regions of a kernel ELF, translated to physical
 * addresses through its first loadable segment (upstream `kernel_self_mem`,
 * `kernel_boot_mem`).
 */
export function kernelImageRegions(kernelElf: ElfFile): KernelImageRegions {
  const segments = loadableSegments(kernelElf);
  if (segments.length === 0) throw new Error('kernel ELF has no loadable segments');
  const first = segments[0];
  const base = first.paddr;
  return {
    image: { start: base, end: kernelSymbolPaddr(kernelElf, 'ki_end', first) },
    boot: { start: base, end: kernelSymbolPaddr(kernelElf, 'ki_boot_end', first) },
  };
}

/**
 * The boot up to the point where the initial task is placed: platform
 * memory with the kernel image taken out, and the kernel boot region.
 */
export function emulateKernelBootPartial(memory: PlatformMemory, kernelImage: KernelImageRegions): PartialBoot {
  const deviceMemory = DisjointRegions.of(memory.device);
  const normalMemory = DisjointRegions.of(memory.normal);
  const { start, end } = kernelImage.image;
  if (!normalMemory.contains(start, end)) {
    const ranges = memory.normal.map((r) => `[${hex(r.start)}..${hex(r.end)})`).join(', ');
    throw kernelImageOutsideMemory(`[${hex(start)}..${hex(end)})`, ranges === '' ? 'none' : ranges);
  }
  normalMemory.remove(start, end);
  return { deviceMemory, normalMemory, bootRegion: kernelImage.boot };
}

/** Number of aligned 2^bits spans that `[start, end)` touches (seL4 `get_n_paging`). */
export function pagingSpanCount(region: PhysicalRange, bits: number): bigint {
  const span = pow2(bits);
  return (roundUp(region.end, span) - roundDown(region.start, span)) / span;
}

/** Page tables the kernel allocates to map `virtRegion` (seL4 `arch_get_n_paging`). */
export function pagingTableCount(arch: BootArch, virtRegion: PhysicalRange): bigint {
  let n = 0n;
  for (const bits of arch.pagingSpanBits) n += pagingSpanCount(virtRegion, bits);
  return n;
}

/**
 * Bytes of the root server's kernel objects (seL4 `calculate_rootserver_size`):
 * root CNode, TCB, IPC buffer and bootinfo frames, ASID pool, VSpace root,
 * the page tables for `virtRegion`, and a minimum scheduling context.
 * `virtRegion` already includes the IPC buffer and bootinfo pages.
 */
export function rootServerSize(kernel: KernelConfig, arch: BootArch, virtRegion: PhysicalRange): bigint {
  const sizes = requireObjectSizes(kernel);
  return (
    pow2(kernel.initCNodeBits + SLOT_BITS) +
    pow2(sizes.tcb) +
    2n * pow2(sizes.smallPage) +
    pow2(ASID_POOL_BITS) +
    pow2(sizes.vspace) +
    pagingTableCount(arch, virtRegion) * pow2(sizes.pageTable) +
    pow2(MIN_SCHED_CONTEXT_BITS)
  );
}

/** Alignment (bits) of the root server block: its largest object, root CNode or VSpace. */
export function rootServerAlignBits(kernel: KernelConfig): number {
  return Math.max(kernel.initCNodeBits + SLOT_BITS, requireObjectSizes(kernel).vspace);
}

/**
 * The whole boot: the kernel loads the initial task at `initialTaskPhys`
 * (mapped at `initialTaskVirt`, the same size), places the root server's
 * objects at the top of the highest normal region that holds them, and
 * turns the remaining memory into untypeds.
 *
 * `partial` is not modified.
 */
export function emulateKernelBoot(
  partial: PartialBoot,
  kernel: KernelConfig,
  arch: BootArch,
  initialTaskPhys: PhysicalRange,
  initialTaskVirt: PhysicalRange,
): BootInfo {
  if (initialTaskPhys.end - initialTaskPhys.start !== initialTaskVirt.end - initialTaskVirt.start) {
    throw new Error("kernel boot emulation: the initial task's physical and virtual regions differ in size");
  }
  const normalMemory = partial.normalMemory.clone();
  normalMemory.remove(initialTaskPhys.start, initialTaskPhys.end);

  const virt: PhysicalRange = {
    start: initialTaskVirt.start,
    end: initialTaskVirt.end + IPC_BUFFER_SIZE + BOOTINFO_FRAME_SIZE,
  };
  const rsSize = rootServerSize(kernel, arch, virt);
  const rsAlign = pow2(rootServerAlignBits(kernel));

  // The highest region that can hold the block, block aligned down from its
  // top. Upstream's tool computes `end - size` without checking for
  // underflow (it would then panic); the kernel (init_freemem) skips such a
  // region, and so do we.
  let rsStart: bigint | undefined;
  for (let i = normalMemory.count - 1; i >= 0; i--) {
    const start = normalMemory.start(i);
    const end = normalMemory.end(i);
    if (rsSize > end) continue;
    const candidate = roundDown(end - rsSize, rsAlign);
    if (candidate >= start) {
      rsStart = candidate;
      break;
    }
  }
  if (rsStart === undefined) {
    // A panic upstream.
    throw noRootserverRegion();
  }
  normalMemory.remove(rsStart, rsStart + rsSize);

  const pagingCapCount = Number(pagingTableCount(arch, virt));
  const pageCapCount = Number((virt.end - virt.start) / kernel.minimumPageSize);
  // One scheduling-control cap even on SMP kernels (upstream quirk; only the
  // cap numbers depend on it).
  const schedControlCapCount = 1;
  const firstUntypedCap = FIXED_CAP_COUNT + pagingCapCount + schedControlCapCount + pageCapCount;

  const maxBits = kernel.objectSizes?.maxUntypedBits ?? arch.maxUntypedBits;
  const base = arch.kernelVirtualBase;
  const deviceBlocks = partial.deviceMemory.powerOfTwoBlocks(base, maxBits);
  const normalBlocks = splitPowerOfTwo(partial.bootRegion.start, partial.bootRegion.end, base, maxBits);
  for (let i = 0; i < normalMemory.count; i++) {
    splitPowerOfTwo(normalMemory.start(i), normalMemory.end(i), base, maxBits, normalBlocks);
  }

  const untypeds: Untyped[] = [];
  let cap = firstUntypedCap;
  for (const b of deviceBlocks) untypeds.push(untyped(cap++, b, true));
  for (const b of normalBlocks) untypeds.push(untyped(cap++, b, false));

  return {
    fixedCapCount: FIXED_CAP_COUNT,
    pagingCapCount,
    pageCapCount,
    schedControlCap: FIXED_CAP_COUNT + pagingCapCount,
    firstAvailableCap: cap,
    untypeds,
    rootServerRegion: { start: rsStart, end: rsStart + rsSize },
  };
}

function untyped(cap: number, block: PhysicalRange, isDevice: boolean): Untyped {
  return { cap, start: block.start, end: block.end, sizeBits: trailingZeros64(u64(block.end - block.start)), isDevice };
}
