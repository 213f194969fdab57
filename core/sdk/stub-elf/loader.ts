/** The SDK's loader stub, `loader.elf` (ARM and RISC-V). */
import { ElfError, PF_R, PF_W, PF_X } from '../../elf/types.js';
import type { ArchName } from '../../kernel/config.js';
import { ARCH } from './traits.js';
import { alignUp, linkStub, codeBytes, u64, CODE, DATA, FUNC, OBJECT, MARKER, placeBss } from './link.js';
import type { StubSection, StubSymbol } from './link.js';

const LOADER_FILL = 0x1000;
const PAGE_TABLE = 0x1000n;

export interface StubLoaderOptions {
  readonly linkAddress: bigint;
  /** Defines `uart_addr` (in `.data`) with this value. */
  readonly uartAddr?: bigint;
}

/**
 * `loader.elf` (ARM, RISC-V): one RWX PT_LOAD at the link address with the
 * loader's header symbols and its boot page tables in a page-aligned `.bss`.
 */
export function stubLoaderElf(arch: ArchName, options: StubLoaderOptions): Uint8Array {
  const tables = ARCH[arch].loaderTables;
  if (tables.length === 0) throw new ElfError(`no loader on ${arch}`);
  const base = options.linkAddress;
  const text = codeBytes(arch, LOADER_FILL);
  const textEnd = base + BigInt(text.length);
  const sections: StubSection[] = [{ name: '.text', flags: CODE, addr: base, align: ARCH[arch].codeAlign, data: text, startsWithInsn: true }];
  const symbols: StubSymbol[] = [MARKER('_text_end', textEnd, '.text')];
  let dataEnd = textEnd;
  if (options.uartAddr !== undefined) {
    const data = alignUp(textEnd, 8n);
    sections.push({ name: '.data', flags: DATA, addr: data, align: 8n, data: u64(options.uartAddr) });
    dataEnd = data + 8n;
    symbols.push(MARKER('_data', data, '.data'), MARKER('_data_end', dataEnd, '.data'), OBJECT('uart_addr', data, 8n, '.data'));
  } else {
    symbols.push(MARKER('_data', textEnd, '.text'), MARKER('_data_end', textEnd, '.text'));
  }
  const bss = alignUp(dataEnd, PAGE_TABLE);
  const placed = placeBss(
    arch,
    bss,
    tables.map((name) => ({ name, size: PAGE_TABLE })),
  );
  sections.push({ name: '.bss', flags: DATA, addr: bss, align: PAGE_TABLE, size: placed.end - bss });
  symbols.push(
    ...placed.symbols,
    MARKER('_bss', bss, '.bss'),
    MARKER('_bss_end', placed.end, '.bss'),
    MARKER('_loader_end', placed.end, '.bss'),
    FUNC(arch, '_start', base, '.text'),
    MARKER('_text', base, '.text'),
    MARKER('_loader_start', base, '.text'),
  );
  return linkStub({ arch, entry: base, file: 'loader.c', segments: [{ flags: PF_R | PF_W | PF_X, sections }], symbols });
}
