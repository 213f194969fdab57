/**
 * RISC-V (Sv39) boot page tables for the Microkit loader.
 *
 * - `boot_lvl1_pt` (the root) points, at the loader's index, to
 *   `boot_lvl2_pt_loader`, which maps 2 MiB leaves from `_text` (which must
 *   be 2 MiB aligned) up to the end of that 1 GiB slot, identity-mapped.
 * - At the kernel's index it points to `boot_lvl2_pt`: when the kernel's
 *   first vaddr is not 2 MiB aligned, its first entry points to
 *   `boot_lvl3_pt`, which maps 4 KiB leaves from that vaddr to the end of
 *   its 2 MiB onto the kernel's first paddr onwards; the remaining entries
 *   to the end of the slot are 2 MiB leaves starting at the kernel's first
 *   paddr rounded up to 2 MiB.
 * - Leaves carry D|A|X|W|R|V; pointers to a next-level table only V. The
 *   physical page number sits at bit 10.
 */
import { hex, loaderError, loaderSymbol, PageTableBuffer } from '../../core/loader/boot-tables.js';
import type { BootPageTable, BootPageTableRequest, BootPageTableWriter, LoaderArchSupport } from '../../core/loader/types.js';

const INDEX_BITS = 9n;
const PAGE_SHIFT = 12n;
const BLOCK_BITS_2MB = 21n;
const PTE_PPN_SHIFT = 10n;
const PTE_VALID = 0b1n;
/** D, A, X, W, R. */
const PTE_LEAF_BITS = 0b11001110n;

/** The only virtual-memory system the loader supports. */
const SV39_LEVELS = 3;

/** U-Boot's `IH_ARCH_RISCV`. */
export const IH_ARCH_RISCV = 26;

/** Index into the level-`level` table (1 = root) of a `levels`-level tree. */
export function ptIndex(levels: number, addr: bigint, level: number): number {
  const shift = INDEX_BITS * BigInt(levels - level) + PAGE_SHIFT;
  return Number((addr >> shift) % 512n);
}

function ppn(addr: bigint): bigint {
  return (addr >> PAGE_SHIFT) << PTE_PPN_SHIFT;
}

/** A pointer to a next-level table. */
export function pteNext(addr: bigint): bigint {
  return ppn(addr) | PTE_VALID;
}

/** A leaf mapping `addr` readable, writable and executable. */
export function pteLeaf(addr: bigint): bigint {
  return ppn(addr) | PTE_LEAF_BITS | PTE_VALID;
}

function aligned(addr: bigint, bits: bigint): boolean {
  return (addr & ((1n << bits) - 1n)) === 0n;
}

function fail(message: string): never {
  throw loaderError('LOADER_BOOT_PAGE_TABLES', `RISC-V boot page tables: ${message}`);
}

export const riscv64BootPageTables: BootPageTableWriter = (request: BootPageTableRequest): readonly BootPageTable[] => {
  const elf = request.loaderElf;
  const text = loaderSymbol(elf, '_text').value;
  const sym = {
    lvl1: loaderSymbol(elf, 'boot_lvl1_pt'),
    lvl2: loaderSymbol(elf, 'boot_lvl2_pt'),
    lvl3: loaderSymbol(elf, 'boot_lvl3_pt'),
    lvl2Loader: loaderSymbol(elf, 'boot_lvl2_pt_loader'),
  };

  if (!aligned(text, BLOCK_BITS_2MB)) fail(`the loader is mapped with 2 MiB pages, but its start (_text ${hex(text)}) is not 2 MiB aligned`);
  const levels = request.kernel.riscvPtLevels ?? SV39_LEVELS;
  if (levels !== SV39_LEVELS) fail(`the loader only supports Sv39 (3 page-table levels), but the kernel uses ${levels}`);

  const lvl1 = new PageTableBuffer('boot_lvl1_pt');
  const lvl2Loader = new PageTableBuffer('boot_lvl2_pt_loader');
  const lvl2 = new PageTableBuffer('boot_lvl2_pt');
  const lvl3 = new PageTableBuffer('boot_lvl3_pt');

  // The loader, identity-mapped.
  lvl1.set(ptIndex(levels, text, 1), pteNext(sym.lvl2Loader.value));
  const firstLoaderBlock = ptIndex(levels, text, 2);
  for (let i = firstLoaderBlock; i < 512; i++) {
    lvl2Loader.set(i, pteLeaf(text + (BigInt(i - firstLoaderBlock) << BLOCK_BITS_2MB)));
  }

  // The kernel window.
  const firstVaddr = request.kernelFirstVaddr;
  const firstPaddr = request.kernelFirstPaddr;
  lvl1.set(ptIndex(levels, firstVaddr, 1), pteNext(sym.lvl2.value));
  let lvl2Next = ptIndex(levels, firstVaddr, 2);
  if (!aligned(firstVaddr, BLOCK_BITS_2MB)) {
    if (!aligned(firstPaddr, PAGE_SHIFT)) fail(`the kernel's first physical address ${hex(firstPaddr)} is not 4 KiB aligned`);
    if (!aligned(sym.lvl3.value, PAGE_SHIFT)) fail(`boot_lvl3_pt at ${hex(sym.lvl3.value)} is not 4 KiB aligned`);
    const firstPage = ptIndex(levels, firstVaddr, 3);
    for (let i = firstPage; i < 512; i++) {
      lvl3.set(i, pteLeaf(firstPaddr + (BigInt(i - firstPage) << PAGE_SHIFT)));
    }
    lvl2.set(lvl2Next, pteNext(sym.lvl3.value));
    lvl2Next += 1;
  }
  const blockSize = 1n << BLOCK_BITS_2MB;
  const firstBlockPaddr = ((firstPaddr + blockSize - 1n) / blockSize) * blockSize;
  for (let i = lvl2Next; i < 512; i++) {
    lvl2.set(i, pteLeaf(firstBlockPaddr + (BigInt(i - lvl2Next) << BLOCK_BITS_2MB)));
  }

  return [lvl1.place(sym.lvl1), lvl2.place(sym.lvl2), lvl3.place(sym.lvl3), lvl2Loader.place(sym.lvl2Loader)];
};

/** RISC-V boots the loader as a raw binary, an ELF, or a uImage posing as Linux. */
export const riscv64LoaderSupport: LoaderArchSupport = {
  bootPageTables: riscv64BootPageTables,
  uimageArch: IH_ARCH_RISCV,
};
