/**
 * Small building blocks the architectures' boot-page-table writers share:
 * symbol lookup with upstream's message, a 4 KiB table of 512 u64 entries,
 * and the error shape.
 */
import { findSymbol, type ElfFile } from '../elf/index.js';
import type { BootPageTable } from './types.js';
import { loaderError } from './errors.js';

/** Every boot page table is one 4 KiB page of 512 eight-byte entries. */
export const PAGE_TABLE_BYTES = 4096;
export const PAGE_TABLE_ENTRIES = 512;

export { hex } from '../util/bigint.js';

/** A failure while building the loader image (upstream panics for all of these). */
export { loaderError };

/** A symbol of the loader ELF that must exist exactly once (upstream's `grab_symbol!`). */
export function loaderSymbol(elf: ElfFile, name: string): { value: bigint; size: bigint } {
  const found = findSymbol(elf, name);
  if (!found.ok) throw loaderError('LOADER_SYMBOL_MISSING', `Could not find '${name}' symbol in the loader ELF: ${found.reason}`);
  return { value: found.value, size: found.size };
}

/** Whether the loader ELF defines `name` exactly once (upstream: `find_symbol(..).is_ok()`). */
export function hasLoaderSymbol(elf: ElfFile, name: string): boolean {
  return findSymbol(elf, name).ok;
}

/** A zeroed page table whose entries are written by index. */
export class PageTableBuffer {
  readonly bytes = new Uint8Array(PAGE_TABLE_BYTES);
  private readonly view = new DataView(this.bytes.buffer);

  constructor(readonly symbol: string) {}

  set(index: number, entry: bigint): void {
    if (!Number.isInteger(index) || index < 0 || index >= PAGE_TABLE_ENTRIES) {
      throw loaderError('LOADER_BOOT_PAGE_TABLES', `boot page table '${this.symbol}': entry index ${index} is outside the table`);
    }
    this.view.setBigUint64(index * 8, entry, true);
  }

  get(index: number): bigint {
    return this.view.getBigUint64(index * 8, true);
  }

  /** The finished table, placed over its loader symbol. */
  place(symbol: { value: bigint; size: bigint }): BootPageTable {
    return { symbol: this.symbol, vaddr: symbol.value, size: symbol.size, bytes: this.bytes };
  }
}
