/**
 * AArch64 boot page tables for the Microkit loader (4 KiB granule, stage 1
 * descriptors, used at EL2 through TTBR0_EL2 and at EL1 through
 * TTBR0_EL1/TTBR1_EL1).
 *
 * - Lower half: `boot_lvl0_lower[0]` → `boot_lvl1_lower`, which holds an
 *   optional 1 GiB device block for the UART (`uart_addr`, debug loaders)
 *   and, in the loader's 1 GiB slot, → `boot_lvl2_lower`: the loader
 *   identity-mapped with 2 MiB device-nGnRnE blocks from `_loader_start`
 *   to `_loader_end` (inclusive of the block holding `_loader_end`).
 * - Kernel window: `boot_lvl1_upper` is entered from `boot_lvl0_lower`
 *   (EL2, one address space) and from `boot_lvl0_upper` (EL1, TTBR1), at
 *   the kernel's level-0 index; it points at `boot_lvl2_upper`, which maps
 *   2 MiB normal-memory blocks from the kernel's first vaddr to the end of
 *   its 1 GiB slot onto the kernel's first paddr onwards.
 * - Block descriptors: access flag set, AP[2:1] = 00 (privileged RW),
 *   shareability inner for normal memory and outer for device memory,
 *   AttrIndx 4 (MT_NORMAL) or 0 (MT_DEVICE_nGnRnE), type 0b01. Table
 *   descriptors are the next table's address | 0b11.
 * - The BCM2711 (Raspberry Pi 4B) loader defines `cpus_release_addr`; then
 *   the first 2 MiB of physical memory are also mapped as device memory
 *   (upstream calls this a hack to be removed).
 */
import { ElfError, readBytes, type ElfFile } from '../../core/elf/index.js';
import { hasLoaderSymbol, hex, loaderError, loaderSymbol, PageTableBuffer } from '../../core/loader/boot-tables.js';
import type { BootPageTable, BootPageTableRequest, BootPageTableWriter, LoaderArchSupport } from '../../core/loader/types.js';

const INDEX_BITS = 9n;
const INDEX_MASK = (1n << INDEX_BITS) - 1n;
const BLOCK_BITS_2MB = 21n;
const BLOCK_BITS_1GB = 30n;
const PAGE_BITS = 12n;
const OA_LIMIT = 1n << 48n;

/** AttrIndx values; they index the MAIR the loader (and seL4) programs. */
export const MT_DEVICE_nGnRnE = 0b000n;
export const MT_NORMAL = 0b100n;

const SH_OUTER = 0b10n;
const SH_INNER = 0b11n;
const ACCESS_FLAG = 1n << 10n;
const AP_PRIV_RW = 0b00n;
const DESC_BLOCK = 0b01n;
const DESC_TABLE = 0b11n;

export function lvl0Index(addr: bigint): number {
  return Number((addr >> (BLOCK_BITS_2MB + 2n * INDEX_BITS)) & INDEX_MASK);
}

export function lvl1Index(addr: bigint): number {
  return Number((addr >> (BLOCK_BITS_2MB + INDEX_BITS)) & INDEX_MASK);
}

export function lvl2Index(addr: bigint): number {
  return Number((addr >> BLOCK_BITS_2MB) & INDEX_MASK);
}

function checkOutputAddress(addr: bigint, what: string): void {
  if (addr < 0n || addr >= OA_LIMIT) {
    throw loaderError('LOADER_BOOT_PAGE_TABLES', `AArch64 boot page tables: ${what} ${hex(addr)} does not fit in a 48-bit output address`);
  }
}

/** A level-1 (1 GiB) or level-2 (2 MiB) block descriptor. */
export function blockDescriptor(level: 1 | 2, addr: bigint, attrIndex: bigint, what = 'address'): bigint {
  checkOutputAddress(addr, what);
  const blockBits = level === 1 ? BLOCK_BITS_1GB : BLOCK_BITS_2MB;
  const outputAddress = addr & ~((1n << blockBits) - 1n);
  const shareability = attrIndex === MT_NORMAL ? SH_INNER : SH_OUTER;
  const lower = ACCESS_FLAG | (AP_PRIV_RW << 6n) | (shareability << 8n) | (attrIndex << 2n);
  return outputAddress | lower | DESC_BLOCK;
}

/** A table descriptor pointing at the next-level table at `addr` (4 KiB aligned). */
export function tableDescriptor(addr: bigint, what = 'page table'): bigint {
  checkOutputAddress(addr, what);
  if (addr & ((1n << PAGE_BITS) - 1n)) {
    throw loaderError('LOADER_BOOT_PAGE_TABLES', `AArch64 boot page tables: ${what} at ${hex(addr)} is not 4 KiB aligned`);
  }
  return addr | DESC_TABLE;
}

/** The UART base the debug loader prints through: the 8-byte value of `uart_addr`. */
function uartBase(elf: ElfFile): bigint | undefined {
  if (!hasLoaderSymbol(elf, 'uart_addr')) return undefined;
  const sym = loaderSymbol(elf, 'uart_addr');
  if (sym.size < 8n) {
    throw loaderError('LOADER_BOOT_PAGE_TABLES', `the loader's 'uart_addr' symbol is ${sym.size} bytes, expected 8`);
  }
  let data: Uint8Array;
  try {
    data = readBytes(elf, sym.value, sym.size);
  } catch (e) {
    if (e instanceof ElfError) throw loaderError('LOADER_BOOT_PAGE_TABLES', `uart_addr not initialized: ${e.reason}`);
    throw e;
  }
  return new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
}

export const aarch64BootPageTables: BootPageTableWriter = (request: BootPageTableRequest): readonly BootPageTable[] => {
  const elf = request.loaderElf;
  // Looked up in upstream's order, so a loader lacking several names the same one first.
  const sym = {
    lvl1Lower: loaderSymbol(elf, 'boot_lvl1_lower'),
    lvl1Upper: loaderSymbol(elf, 'boot_lvl1_upper'),
    lvl2Upper: loaderSymbol(elf, 'boot_lvl2_upper'),
    lvl0Lower: loaderSymbol(elf, 'boot_lvl0_lower'),
    lvl0Upper: loaderSymbol(elf, 'boot_lvl0_upper'),
    lvl2Lower: loaderSymbol(elf, 'boot_lvl2_lower'),
  };
  const loaderStart = loaderSymbol(elf, '_loader_start').value;
  const loaderEnd = loaderSymbol(elf, '_loader_end').value;

  if (lvl1Index(loaderStart) !== lvl1Index(loaderEnd)) {
    throw loaderError(
      'LOADER_BOOT_PAGE_TABLES',
      `We only map 1GiB, but loader paddr range covers multiple GiB (_loader_start ${hex(loaderStart)}, _loader_end ${hex(loaderEnd)})`,
    );
  }

  const lvl0Lower = new PageTableBuffer('boot_lvl0_lower');
  const lvl1Lower = new PageTableBuffer('boot_lvl1_lower');
  const lvl2Lower = new PageTableBuffer('boot_lvl2_lower');
  const lvl0Upper = new PageTableBuffer('boot_lvl0_upper');
  const lvl1Upper = new PageTableBuffer('boot_lvl1_upper');
  const lvl2Upper = new PageTableBuffer('boot_lvl2_upper');

  // Lower half: the loader's own identity map (and the UART).
  lvl0Lower.set(0, tableDescriptor(sym.lvl1Lower.value, 'boot_lvl1_lower'));

  const uart = uartBase(elf);
  if (uart !== undefined) lvl1Lower.set(lvl1Index(uart), blockDescriptor(1, uart, MT_DEVICE_nGnRnE, 'uart_addr'));

  lvl1Lower.set(lvl1Index(loaderStart), tableDescriptor(sym.lvl2Lower.value, 'boot_lvl2_lower'));
  const firstLoaderBlock = lvl2Index(loaderStart);
  for (let i = firstLoaderBlock; i <= lvl2Index(loaderEnd); i++) {
    const addr = loaderStart + (BigInt(i - firstLoaderBlock) << BLOCK_BITS_2MB);
    lvl2Lower.set(i, blockDescriptor(2, addr, MT_DEVICE_nGnRnE, 'loader address'));
  }

  if (hasLoaderSymbol(elf, 'cpus_release_addr')) {
    // BCM2711 spin tables live in the first 2 MiB of physical memory.
    if (lvl2Index(loaderStart) === lvl2Index(0n) || lvl1Index(loaderStart) !== lvl1Index(0n)) {
      throw loaderError(
        'LOADER_BOOT_PAGE_TABLES',
        `the loader defines 'cpus_release_addr', so the first 2 MiB of physical memory are mapped too; that needs the loader (_loader_start ${hex(loaderStart)}) in the first 1 GiB but outside the first 2 MiB`,
      );
    }
    lvl2Lower.set(lvl2Index(0n), blockDescriptor(2, 0n, MT_DEVICE_nGnRnE));
  }

  // Kernel window, reachable from TTBR0_EL2 (lvl0_lower) and TTBR1_EL1 (lvl0_upper).
  const first = request.kernelFirstVaddr;
  const toLvl1Upper = tableDescriptor(sym.lvl1Upper.value, 'boot_lvl1_upper');
  lvl0Lower.set(lvl0Index(first), toLvl1Upper);
  lvl0Upper.set(lvl0Index(first), toLvl1Upper);
  lvl1Upper.set(lvl1Index(first), tableDescriptor(sym.lvl2Upper.value, 'boot_lvl2_upper'));
  const firstKernelBlock = lvl2Index(first);
  for (let i = firstKernelBlock; i < 512; i++) {
    const addr = request.kernelFirstPaddr + (BigInt(i - firstKernelBlock) << BLOCK_BITS_2MB);
    lvl2Upper.set(i, blockDescriptor(2, addr, MT_NORMAL, 'kernel physical address'));
  }

  return [
    lvl0Lower.place(sym.lvl0Lower),
    lvl1Lower.place(sym.lvl1Lower),
    lvl0Upper.place(sym.lvl0Upper),
    lvl1Upper.place(sym.lvl1Upper),
    lvl2Upper.place(sym.lvl2Upper),
    lvl2Lower.place(sym.lvl2Lower),
  ];
};

/** AArch64 boots the loader as a raw binary or an ELF; no uImage. */
export const aarch64LoaderSupport: LoaderArchSupport = {
  bootPageTables: aarch64BootPageTables,
};
