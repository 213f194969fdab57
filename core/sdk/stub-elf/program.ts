/** Stub PD program images. */
import { ElfError, PF_R, PF_W, PF_X } from '../../elf/types.js';
import type { ArchName } from '../../kernel/config.js';
import { ARCH, archForMachine } from './traits.js';
import { PAGE, alignUp, linkStub, codeBytes, u64, CODE, DATA, FUNC, OBJECT, MARKER, placeBss } from './link.js';

const PROGRAM_BASE = 0x200000n;
const PROGRAM_FILL = 0x1000;
const PROGRAM_RODATA = new TextEncoder().encode('microkit stub program image\0');
/** libmicrokit's variables the tool patches, in the stubs' bss order (after the extra words). */
const LIBMICROKIT_WORDS: readonly { name: string; size: bigint }[] = [
  { name: 'microkit_ioports', size: 8n },
  { name: 'microkit_pps', size: 8n },
  { name: 'microkit_notifications', size: 8n },
  { name: 'microkit_irqs', size: 8n },
  { name: 'microkit_passive', size: 1n },
];
const MICROKIT_NAME = { name: 'microkit_name', size: 64n };
const PROGRAM_FIXED_SYMBOLS = new Set([
  '_start',
  '_text',
  '_text_end',
  'pd_stub_rodata',
  '__sel4_ipc_buffer',
  MICROKIT_NAME.name,
  ...LIBMICROKIT_WORDS.map((s) => s.name),
]);

export interface StubProgramImageOptions {
  /** The architecture, or `machine` (an ELF e_machine). */
  readonly arch?: ArchName;
  readonly machine?: number;
  /** One 8-byte bss variable each (setvar symbols), placed first, in this order. */
  readonly extraWordSymbols?: readonly string[];
}

/**
 * A PD program image like the conformance examples' stub images: entry
 * 0x200000, a text segment with a little rodata, and a data+bss segment with
 * `__sel4_ipc_buffer`, the libmicrokit variables (`microkit_name` is 64
 * bytes, `microkit_passive` 1, the bitmasks 8) and the extra words.
 */
export function stubProgramImage(options: StubProgramImageOptions): Uint8Array {
  const arch = options.arch ?? (options.machine !== undefined ? archForMachine(options.machine) : undefined);
  if (arch === undefined) throw new ElfError('stub program image: give an arch or a machine');
  if (options.arch !== undefined && options.machine !== undefined && ARCH[options.arch].machine !== options.machine) {
    throw new ElfError(`stub program image: machine ${options.machine} is not ${options.arch}`);
  }
  const extras = options.extraWordSymbols ?? [];
  const seen = new Set<string>();
  for (const name of extras) {
    if (name === '' || name.includes('\0')) throw new ElfError(`stub program image: invalid symbol name '${name}'`);
    if (PROGRAM_FIXED_SYMBOLS.has(name) || seen.has(name)) throw new ElfError(`stub program image: symbol '${name}' given twice`);
    seen.add(name);
  }
  const codeEnd = PROGRAM_BASE + BigInt(ARCH[arch].insn.length + PROGRAM_FILL);
  const rodata = alignUp(codeEnd, arch === 'x86_64' ? 16n : 8n);
  const text = new Uint8Array(Number(rodata - PROGRAM_BASE) + PROGRAM_RODATA.length);
  text.set(codeBytes(arch, PROGRAM_FILL, Number(rodata - PROGRAM_BASE)));
  text.set(PROGRAM_RODATA, Number(rodata - PROGRAM_BASE));
  const textEnd = PROGRAM_BASE + BigInt(text.length);
  const data = alignUp(textEnd, PAGE);
  const bss = alignUp(data + 8n, ARCH[arch].bssAlign);
  const words = [...extras.map((name) => ({ name, size: 8n })), ...LIBMICROKIT_WORDS];
  const placed = placeBss(arch, bss, ARCH[arch].programNameFirst ? [MICROKIT_NAME, ...words] : [...words, MICROKIT_NAME]);
  return linkStub({
    arch,
    entry: PROGRAM_BASE,
    file: 'pd.c',
    dataInCode: [rodata],
    segments: [
      {
        flags: PF_R | PF_X,
        sections: [{ name: '.text', flags: CODE, addr: PROGRAM_BASE, align: arch === 'x86_64' ? 16n : 8n, data: text, startsWithInsn: true }],
      },
      {
        flags: PF_R | PF_W,
        sections: [
          { name: '.data', flags: DATA, addr: data, align: 8n, data: u64(1n) },
          { name: '.bss', flags: DATA, addr: bss, align: ARCH[arch].bssAlign, size: placed.end - bss },
        ],
      },
    ],
    symbols: [
      OBJECT('pd_stub_rodata', rodata, BigInt(PROGRAM_RODATA.length), '.text'),
      MARKER('_text_end', textEnd, '.text'),
      OBJECT('__sel4_ipc_buffer', data, 8n, '.data'),
      FUNC(arch, '_start', PROGRAM_BASE, '.text'),
      MARKER('_text', PROGRAM_BASE, '.text'),
      ...placed.symbols,
    ],
  });
}
