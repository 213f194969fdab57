/**
 * Stub ELFs for a synthetic SDK and for tests: the kernel, monitor,
 * initialiser and loader of an SDK config, and PD program images. They never
 * run. Each carries a realistic segment layout and exactly the symbols a
 * Microkit tool reads or patches, with the names, sizes and relative layout
 * of the stubs in the project's shared test SDK (which came from a real
 * toolchain, hence the per-architecture differences in symbol order,
 * alignment and mapping symbols). Segment contents are a branch-to-self
 * followed by filler, so images built from equal facts are equal byte for
 * byte, and every function here is deterministic.
 */
import { writeElf } from '../elf/write.js';
import type { SectionSpec, SegmentSpec, SymbolSpec } from '../elf/write.js';
import {
  EM_AARCH64, EM_RISCV, EM_X86_64, ElfError, PF_R, PF_W, PF_X, PT_LOAD, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS,
  SHT_NOBITS, SHT_PROGBITS, SHT_STRTAB, SHT_SYMTAB, STB_GLOBAL, STB_LOCAL, STT_FILE, STT_FUNC, STT_NOTYPE, STT_OBJECT,
  STT_SECTION,
} from '../elf/types.js';
import type { ArchName } from '../kernel/config.js';
import type { SyntheticElfFacts } from '../preset.js';

/**
 * Facts a preset may add for its stubs beyond {@link SyntheticElfFacts}
 * (core/preset.ts cannot express them yet; presets declare their facts with
 * this type).
 */
export interface StubElfFacts extends SyntheticElfFacts {
  /**
   * The loader's `uart_addr` value. Upstream's loader defines the symbol only
   * when it prints (debug kernels, `PRINTING`), and only on ARM.
   */
  readonly loaderUartAddr?: bigint;
  /** Where the initialiser is linked; default per architecture (RISC-V 0x10000, else 0x200000). */
  readonly initialiserLinkAddress?: bigint;
}

/** Per-architecture toolchain habits the stubs reproduce. */
interface ArchTraits {
  readonly machine: number;
  readonly flags: number;
  /** A branch to itself: `b .`, `c.j .`, `jmp .`. */
  readonly insn: Uint8Array;
  /** Section alignment of code. */
  readonly codeAlign: bigint;
  /** Alignment of .bss, and of bss objects of 32 bytes or more (x86-64 GCC aligns those to 32). */
  readonly bssAlign: bigint;
  readonly bigObjectAlign: bigint;
  /** The code mapping symbol; undefined: no mapping symbols at all. */
  readonly codeMapping?: string;
  /** AArch64 marks every section after the first with `$d`; RISC-V only executable ones. */
  readonly dataMapping: 'all' | 'exec' | 'none';
  readonly sectionSymbols: boolean;
  /** Padding inside code: zeros, or x86 multi-byte NOPs as GNU as emits them. */
  readonly codePadding: (length: number) => Uint8Array;
  readonly initialiserLinkAddress: bigint;
  /** Order of the monitor's bss objects (the linker's). */
  readonly monitorBss: readonly MonitorBssObject[];
  /** Order of the loader's boot page tables in its bss. */
  readonly loaderTables: readonly string[];
  /** Program images: the linker puts `microkit_name` (64 bytes) first in .bss, not last. */
  readonly programNameFirst: boolean;
}

type MonitorBssObject = 'pd_stack_bottom_addrs' | 'vm_names_len' | 'vm_names' | 'pd_names_len' | 'pd_names';

/** e_machine of the 32-bit x86 kernel copy (core/elf has 64-bit machines only). */
export const EM_386 = 3;

const zeros = (length: number): Uint8Array => new Uint8Array(length);

/** GNU as x86 NOP fill: 10-byte NOPs, then one shorter NOP for the rest. */
const X86_NOPS: readonly (readonly number[])[] = [
  [],
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

function x86Nops(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let o = 0;
  while (length - o >= 10) {
    out.set(X86_NOPS[10], o);
    o += 10;
  }
  out.set(X86_NOPS[length - o], o);
  return out;
}

const RISCV_ISA_MAPPING = '$xrv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zifencei2p0_zmmul1p0';

const ARCH: Record<ArchName, ArchTraits> = {
  aarch64: {
    machine: EM_AARCH64,
    flags: 0,
    insn: Uint8Array.of(0x00, 0x00, 0x00, 0x14),
    codeAlign: 4n,
    bssAlign: 8n,
    bigObjectAlign: 8n,
    codeMapping: '$x',
    dataMapping: 'all',
    sectionSymbols: true,
    codePadding: zeros,
    initialiserLinkAddress: 0x200000n,
    monitorBss: ['pd_stack_bottom_addrs', 'vm_names_len', 'vm_names', 'pd_names_len', 'pd_names'],
    loaderTables: ['boot_lvl2_lower', 'boot_lvl1_lower', 'boot_lvl0_lower', 'boot_lvl2_upper', 'boot_lvl1_upper', 'boot_lvl0_upper'],
    programNameFirst: false,
  },
  riscv64: {
    machine: EM_RISCV,
    // EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE
    flags: 0x5,
    insn: Uint8Array.of(0x01, 0xa0),
    codeAlign: 2n,
    bssAlign: 8n,
    bigObjectAlign: 8n,
    codeMapping: RISCV_ISA_MAPPING,
    dataMapping: 'exec',
    sectionSymbols: true,
    codePadding: zeros,
    initialiserLinkAddress: 0x10000n,
    monitorBss: ['pd_stack_bottom_addrs', 'vm_names', 'pd_names', 'vm_names_len', 'pd_names_len'],
    loaderTables: ['boot_lvl2_pt_loader', 'boot_lvl3_pt', 'boot_lvl2_pt', 'boot_lvl1_pt'],
    programNameFirst: true,
  },
  x86_64: {
    machine: EM_X86_64,
    flags: 0,
    insn: Uint8Array.of(0xeb, 0xfe),
    codeAlign: 1n,
    bssAlign: 32n,
    bigObjectAlign: 32n,
    dataMapping: 'none',
    sectionSymbols: false,
    codePadding: x86Nops,
    initialiserLinkAddress: 0x200000n,
    monitorBss: ['pd_stack_bottom_addrs', 'vm_names_len', 'vm_names', 'pd_names_len', 'pd_names'],
    loaderTables: [],
    programNameFirst: false,
  },
};

const MACHINE_ARCH: ReadonlyMap<number, ArchName> = new Map([
  [EM_AARCH64, 'aarch64'],
  [EM_RISCV, 'riscv64'],
  [EM_X86_64, 'x86_64'],
]);

/** The architecture of an ELF e_machine, for the machines the stubs support. */
export function archForMachine(machine: number): ArchName {
  const arch = MACHINE_ARCH.get(machine);
  if (arch === undefined) throw new ElfError(`no stub ELFs for machine ${machine}`);
  return arch;
}

export function stubMachine(arch: ArchName): number {
  return ARCH[arch].machine;
}

/** Default initialiser link address of an architecture's stubs. */
export function defaultInitialiserLinkAddress(arch: ArchName): bigint {
  return ARCH[arch].initialiserLinkAddress;
}

// ---------------------------------------------------------------------------
// A small linker: sections placed by address into segments, symbols by section.

const FILL = 0x5a;
const PAGE = 0x1000n;

interface StubSection {
  readonly name: string;
  readonly flags: bigint;
  readonly addr: bigint;
  readonly align: bigint;
  /** PROGBITS contents; absent for .bss. */
  readonly data?: Uint8Array;
  /** NOBITS size. */
  readonly size?: bigint;
  /** The section starts with the entry instruction (gets the code mapping symbol). */
  readonly startsWithInsn?: boolean;
}

interface StubSegment {
  readonly flags: number;
  /** Default: the first section's address. */
  readonly paddr?: bigint;
  readonly sections: readonly StubSection[];
}

interface StubSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly size?: bigint;
  readonly type: number;
  readonly section: string;
}

interface StubSpec {
  readonly arch: ArchName;
  readonly entry: bigint;
  /** The FILE symbol. */
  readonly file: string;
  readonly segments: readonly StubSegment[];
  readonly symbols: readonly StubSymbol[];
  /** Data inside code sections (AArch64 marks it with `$d`). */
  readonly dataInCode?: readonly bigint[];
}

const sectionEnd = (s: StubSection): bigint => s.addr + (s.data ? BigInt(s.data.length) : (s.size ?? 0n));

function alignUp(x: bigint, align: bigint): bigint {
  return align <= 1n ? x : ((x + align - 1n) / align) * align;
}

function linkStub(spec: StubSpec): Uint8Array {
  const traits = ARCH[spec.arch];
  const segments: SegmentSpec[] = [];
  const sections: SectionSpec[] = [];
  const all: StubSection[] = [];
  spec.segments.forEach((seg, segIndex) => {
    const vaddr = seg.sections[0].addr;
    const withData = seg.sections.filter((s) => s.data !== undefined);
    const fileEnd = withData.length > 0 ? sectionEnd(withData[withData.length - 1]) : vaddr;
    const data = new Uint8Array(Number(fileEnd - vaddr));
    for (const s of withData) data.set(s.data!, Number(s.addr - vaddr));
    const memEnd = seg.sections.reduce((end, s) => (sectionEnd(s) > end ? sectionEnd(s) : end), vaddr);
    segments.push({ type: PT_LOAD, flags: seg.flags, vaddr, paddr: seg.paddr ?? vaddr, data, memsz: memEnd - vaddr, align: PAGE });
    for (const s of seg.sections) {
      const nobits = s.data === undefined;
      sections.push({
        name: s.name,
        type: nobits ? SHT_NOBITS : SHT_PROGBITS,
        flags: s.flags,
        addralign: s.align,
        segment: segIndex,
        offset: s.addr - vaddr,
        size: nobits ? (s.size ?? 0n) : BigInt(s.data!.length),
      });
      all.push(s);
    }
  });
  const indexOf = (name: string): number => {
    const i = all.findIndex((s) => s.name === name);
    if (i < 0) throw new ElfError(`stub ELF: no section ${name}`);
    return i + 1;
  };

  const locals: SymbolSpec[] = [];
  if (traits.sectionSymbols) {
    all.forEach((s, i) => locals.push({ name: '', value: s.addr, type: STT_SECTION, bind: STB_LOCAL, shndx: i + 1 }));
  }
  locals.push({ name: spec.file, value: 0n, type: STT_FILE, bind: STB_LOCAL, shndx: SHN_ABS });
  if (traits.codeMapping !== undefined) {
    const mark = (name: string, value: bigint, section: number): void => {
      locals.push({ name, value, type: STT_NOTYPE, bind: STB_LOCAL, shndx: section });
    };
    all.forEach((s, i) => {
      if (s.startsWithInsn) {
        mark(traits.codeMapping!, s.addr, i + 1);
        if (sectionEnd(s) > s.addr + BigInt(traits.insn.length)) mark('$d', s.addr + BigInt(traits.insn.length), i + 1);
      } else if (traits.dataMapping === 'all' || (traits.dataMapping === 'exec' && (s.flags & SHF_EXECINSTR) !== 0n)) {
        mark('$d', s.addr, i + 1);
      }
    });
    if (traits.dataMapping === 'all') {
      for (const v of spec.dataInCode ?? []) {
        const i = all.findIndex((s) => v >= s.addr && v < sectionEnd(s));
        if (i < 0) throw new ElfError(`stub ELF: data mark ${v} lies in no section`);
        mark('$d', v, i + 1);
      }
    }
  }
  const globals: SymbolSpec[] = spec.symbols.map((s) => ({
    name: s.name, value: s.value, size: s.size ?? 0n, type: s.type, bind: STB_GLOBAL, shndx: indexOf(s.section),
  }));
  return writeElf({ machine: traits.machine, flags: traits.flags, entry: spec.entry, segments, sections, symbols: [...locals, ...globals] });
}

/** Code bytes: the branch-to-self, `fill` filler bytes, then padding to `length` (if given). */
function codeBytes(arch: ArchName, fill: number, length?: number): Uint8Array {
  const insn = ARCH[arch].insn;
  const body = insn.length + fill;
  const out = new Uint8Array(length ?? body);
  if (out.length < body) throw new ElfError(`stub ELF: ${out.length} bytes of code cannot hold ${body}`);
  out.set(insn);
  out.fill(FILL, insn.length, body);
  out.set(ARCH[arch].codePadding(out.length - body), body);
  return out;
}

function u64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

const CODE = SHF_ALLOC | SHF_EXECINSTR;
const DATA = SHF_ALLOC | SHF_WRITE;
const FUNC = (arch: ArchName, name: string, value: bigint, section: string): StubSymbol => ({
  name, value, size: BigInt(ARCH[arch].insn.length), type: STT_FUNC, section,
});
const OBJECT = (name: string, value: bigint, size: bigint, section: string): StubSymbol => ({ name, value, size, type: STT_OBJECT, section });
const MARKER = (name: string, value: bigint, section: string): StubSymbol => ({ name, value, type: STT_NOTYPE, section });

/** Objects placed in order in a bss, word-aligned, big ones at the architecture's alignment. */
function placeBss(arch: ArchName, start: bigint, objects: readonly { name: string; size: bigint }[]): { symbols: StubSymbol[]; end: bigint } {
  const symbols: StubSymbol[] = [];
  let at = start;
  for (const o of objects) {
    const align = o.size >= 32n ? ARCH[arch].bigObjectAlign : o.size >= 8n ? 8n : 1n;
    at = alignUp(at, align);
    symbols.push(OBJECT(o.name, at, o.size, '.bss'));
    at += o.size;
  }
  return { symbols, end: at };
}

// ---------------------------------------------------------------------------
// The SDK's ELFs.

/** Bytes of kernel text after `.boot`, and the size of `kernel_bss`. */
const KERNEL_TEXT = 0x10000n;
const KERNEL_BSS_OBJECT = 0x20000n;
const KERNEL_BOOT_FILL = 0x4000n;

/**
 * `sel4.elf`: one RWX PT_LOAD at the kernel's paddr/vaddr with `.boot`
 * (`ki_boot_end` at its end), `.text`, `.data` and a `.bss` ending at `ki_end`.
 */
export function stubKernelElf(arch: ArchName, facts: SyntheticElfFacts): Uint8Array {
  const layout = kernelLayout(arch, facts);
  const v = facts.kernelVaddr;
  return linkStub({
    arch,
    entry: v,
    file: 'kernel.c',
    segments: [{
      flags: PF_R | PF_W | PF_X,
      paddr: facts.kernelPaddr,
      sections: [
        { name: '.boot', flags: CODE, addr: v, align: ARCH[arch].codeAlign, data: layout.boot, startsWithInsn: true },
        { name: '.text', flags: CODE, addr: layout.text, align: ARCH[arch].codeAlign, data: new Uint8Array(Number(KERNEL_TEXT)).fill(FILL) },
        { name: '.data', flags: DATA, addr: layout.data, align: 8n, data: u64(KERNEL_DATA_WORD) },
        { name: '.bss', flags: DATA, addr: layout.bss, align: ARCH[arch].bssAlign, size: layout.end - layout.bss },
      ],
    }],
    symbols: [
      MARKER('ki_end', layout.end, '.bss'),
      FUNC(arch, '_start', v, '.boot'),
      OBJECT('kernel_data_word', layout.data, 8n, '.data'),
      MARKER('ki_boot_end', layout.text, '.boot'),
      OBJECT('kernel_bss', layout.bss, layout.bssObject, '.bss'),
    ],
  });
}

const KERNEL_DATA_WORD = 0x5e14n;

interface KernelLayout {
  boot: Uint8Array;
  text: bigint;
  data: bigint;
  bss: bigint;
  bssObject: bigint;
  end: bigint;
}

function kernelLayout(arch: ArchName, facts: SyntheticElfFacts): KernelLayout {
  const v = facts.kernelVaddr;
  const insn = BigInt(ARCH[arch].insn.length);
  if (facts.kernelBootSize <= insn) throw new ElfError(`stub kernel: boot size ${facts.kernelBootSize} is too small`);
  const fill = facts.kernelBootSize - insn < KERNEL_BOOT_FILL ? facts.kernelBootSize - insn : KERNEL_BOOT_FILL;
  const boot = codeBytes(arch, Number(fill), Number(facts.kernelBootSize));
  const text = v + facts.kernelBootSize;
  const data = text + KERNEL_TEXT;
  const bss = alignUp(data + 8n, ARCH[arch].bssAlign);
  const end = v + facts.kernelSize;
  if (end < bss) throw new ElfError(`stub kernel: size ${facts.kernelSize} is too small for its boot code, text and data`);
  return { boot, text, data, bss, bssObject: end - bss < KERNEL_BSS_OBJECT ? end - bss : KERNEL_BSS_OBJECT, end };
}

/**
 * `sel4_32.elf` (x86): the 32-bit copy of the kernel QEMU's `-kernel`
 * needs: ELF32, EM_386, the same segment bytes at the low 32 bits of the
 * kernel's addresses. Written here because core/elf writes ELF64 only.
 */
export function stubKernel32Elf(facts: SyntheticElfFacts): Uint8Array {
  const layout = kernelLayout('x86_64', facts);
  const low = (x: bigint): number => Number(x & 0xffffffffn);
  const base = low(facts.kernelVaddr);
  const segData = new Uint8Array(Number(layout.data + 8n - facts.kernelVaddr));
  segData.set(layout.boot, 0);
  segData.fill(FILL, Number(layout.text - facts.kernelVaddr), Number(layout.data - facts.kernelVaddr));
  segData.set(u64(KERNEL_DATA_WORD), Number(layout.data - facts.kernelVaddr));
  const memsz = Number(layout.end - facts.kernelVaddr);

  const shstr = new StringBuilder();
  const str = new StringBuilder();
  const segOffset = 0x1000;
  type Sh = { name: number; type: number; flags: number; addr: number; offset: number; size: number; link: number; info: number; align: number; entsize: number };
  const sh: Sh[] = [{ name: 0, type: 0, flags: 0, addr: 0, offset: 0, size: 0, link: 0, info: 0, align: 0, entsize: 0 }];
  const sec = (name: string, type: number, flags: bigint, addr: bigint, size: bigint, align: number): void => {
    const rel = Number(addr - facts.kernelVaddr);
    sh.push({ name: shstr.add(name), type, flags: Number(flags), addr: base + rel, offset: segOffset + Math.min(rel, segData.length), size: Number(size), link: 0, info: 0, align, entsize: 0 });
  };
  sec('.boot', SHT_PROGBITS, CODE, facts.kernelVaddr, facts.kernelBootSize, 1);
  sec('.text', SHT_PROGBITS, CODE, layout.text, KERNEL_TEXT, 1);
  sec('.data', SHT_PROGBITS, DATA, layout.data, 8n, 8);
  sec('.bss', SHT_NOBITS, DATA, layout.bss, layout.end - layout.bss, 32);

  // Symbols: null, FILE, then globals (ELF32 Sym: name, value, size, info, other, shndx).
  const syms: [number, number, number, number, number][] = [
    [str.add('kernel.c'), 0, 0, (STB_LOCAL << 4) | STT_FILE, SHN_ABS],
    [str.add('ki_end'), low(layout.end), 0, (STB_GLOBAL << 4) | STT_NOTYPE, 4],
    [str.add('_start'), base, ARCH.x86_64.insn.length, (STB_GLOBAL << 4) | STT_FUNC, 1],
    [str.add('kernel_data_word'), low(layout.data), 8, (STB_GLOBAL << 4) | STT_OBJECT, 3],
    [str.add('ki_boot_end'), low(layout.text), 0, (STB_GLOBAL << 4) | STT_NOTYPE, 1],
    [str.add('kernel_bss'), low(layout.bss), Number(layout.bssObject), (STB_GLOBAL << 4) | STT_OBJECT, 4],
  ];
  const symtab = new Uint8Array((syms.length + 1) * 16);
  const sdv = new DataView(symtab.buffer);
  syms.forEach(([name, value, size, info, shndx], i) => {
    const o = (i + 1) * 16;
    sdv.setUint32(o, name, true);
    sdv.setUint32(o + 4, value, true);
    sdv.setUint32(o + 8, size, true);
    symtab[o + 12] = info;
    sdv.setUint16(o + 14, shndx, true);
  });
  const symtabName = shstr.add('.symtab');
  const strtabName = shstr.add('.strtab');
  const shstrtabName = shstr.add('.shstrtab');
  const strBytes = str.bytes();
  const shstrBytes = shstr.bytes();
  let at = Number(alignUp(BigInt(segOffset + segData.length), 4n));
  const symtabOff = at;
  at += symtab.length;
  const strOff = at;
  at += strBytes.length;
  const shstrOff = at;
  at += shstrBytes.length;
  const shoff = Number(alignUp(BigInt(at), 4n));
  sh.push({ name: symtabName, type: SHT_SYMTAB, flags: 0, addr: 0, offset: symtabOff, size: symtab.length, link: sh.length + 1, info: 2, align: 4, entsize: 16 });
  sh.push({ name: strtabName, type: SHT_STRTAB, flags: 0, addr: 0, offset: strOff, size: strBytes.length, link: 0, info: 0, align: 1, entsize: 0 });
  sh.push({ name: shstrtabName, type: SHT_STRTAB, flags: 0, addr: 0, offset: shstrOff, size: shstrBytes.length, link: 0, info: 0, align: 1, entsize: 0 });

  const out = new Uint8Array(shoff + sh.length * 40);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1 /* ELFCLASS32 */, 1 /* little endian */, 1 /* EV_CURRENT */]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, EM_386, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, base, true); // entry
  dv.setUint32(28, 52, true); // phoff
  dv.setUint32(32, shoff, true);
  dv.setUint32(36, 0, true);
  [52, 32, 1, 40, sh.length, sh.length - 1].forEach((v, k) => dv.setUint16(40 + k * 2, v, true));
  // The one PT_LOAD: type, offset, vaddr, paddr, filesz, memsz, flags, align.
  [PT_LOAD, segOffset, base, low(facts.kernelPaddr), segData.length, memsz, PF_R | PF_W | PF_X, 0x1000].forEach((v, k) => dv.setUint32(52 + k * 4, v, true));
  out.set(segData, segOffset);
  out.set(symtab, symtabOff);
  out.set(strBytes, strOff);
  out.set(shstrBytes, shstrOff);
  sh.forEach((h, i) => {
    const o = shoff + i * 40;
    [h.name, h.type, h.flags, h.addr, h.offset, h.size, h.link, h.info, h.align, h.entsize].forEach((v, k) => dv.setUint32(o + k * 4, v, true));
  });
  return out;
}

class StringBuilder {
  private readonly parts: number[] = [0];
  private readonly seen = new Map<string, number>([['', 0]]);

  add(s: string): number {
    let off = this.seen.get(s);
    if (off === undefined) {
      off = this.parts.length;
      for (const c of new TextEncoder().encode(s)) this.parts.push(c);
      this.parts.push(0);
      this.seen.set(s, off);
    }
    return off;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const MONITOR_BASE = 0x200000n;
const MONITOR_FILL = 0x2000;
const MONITOR_VERSION = 1n;
const MONITOR_BSS_SIZES: Record<MonitorBssObject, bigint> = {
  pd_stack_bottom_addrs: 512n, // (63 + 1) words
  vm_names_len: 8n,
  vm_names: 64n * 64n,
  pd_names_len: 8n,
  pd_names: 64n * 64n,
};

/** `monitor.elf`: text at 0x200000, `.data` + `.bss` with the symbols the tool patches. */
export function stubMonitorElf(arch: ArchName): Uint8Array {
  const text = codeBytes(arch, MONITOR_FILL);
  const textEnd = MONITOR_BASE + BigInt(text.length);
  const data = alignUp(textEnd, PAGE);
  const bss = alignUp(data + 8n, ARCH[arch].bssAlign);
  const placed = placeBss(arch, bss, ARCH[arch].monitorBss.map((name) => ({ name, size: MONITOR_BSS_SIZES[name] })));
  return linkStub({
    arch,
    entry: MONITOR_BASE,
    file: 'monitor.c',
    segments: [
      { flags: PF_R | PF_X, sections: [{ name: '.text', flags: CODE, addr: MONITOR_BASE, align: ARCH[arch].codeAlign, data: text, startsWithInsn: true }] },
      {
        flags: PF_R | PF_W,
        sections: [
          { name: '.data', flags: DATA, addr: data, align: 8n, data: u64(MONITOR_VERSION) },
          { name: '.bss', flags: DATA, addr: bss, align: ARCH[arch].bssAlign, size: placed.end - bss },
        ],
      },
    ],
    symbols: [
      MARKER('_text_end', textEnd, '.text'),
      FUNC(arch, '_start', MONITOR_BASE, '.text'),
      MARKER('_text', MONITOR_BASE, '.text'),
      OBJECT('monitor_version', data, 8n, '.data'),
      ...placed.symbols,
    ],
  });
}

const INITIALISER_FILL = 0x20000;
const INITIALISER_BSS_OBJECT = 0x10000n;
/** PT_SEL4_CAPDL_SPEC, the initialiser's own marker constant. */
const INITIALISER_MAGIC = 0x64c34003n;

/**
 * `initialiser.elf`: text, a read-only page with `initialiser_magic`, and a
 * bss-only segment holding `sel4_phdrs_patched__phnum` (u16) and
 * `sel4_phdrs_patched__vaddr` (u64) after a 64 KiB object.
 */
export function stubInitialiserElf(arch: ArchName, linkAddress: bigint = ARCH[arch].initialiserLinkAddress): Uint8Array {
  const text = codeBytes(arch, INITIALISER_FILL);
  const rodata = alignUp(linkAddress + BigInt(text.length), PAGE);
  const bss = alignUp(rodata + 8n, PAGE);
  const placed = placeBss(arch, bss, [
    { name: 'initialiser_bss', size: INITIALISER_BSS_OBJECT },
    { name: 'sel4_phdrs_patched__phnum', size: 2n },
    { name: 'sel4_phdrs_patched__vaddr', size: 8n },
  ]);
  return linkStub({
    arch,
    entry: linkAddress,
    file: 'initialiser.c',
    segments: [
      { flags: PF_R | PF_X, sections: [{ name: '.text', flags: CODE, addr: linkAddress, align: ARCH[arch].codeAlign, data: text, startsWithInsn: true }] },
      { flags: PF_R, sections: [{ name: '.rodata', flags: SHF_ALLOC, addr: rodata, align: 8n, data: u64(INITIALISER_MAGIC) }] },
      { flags: PF_R | PF_W, sections: [{ name: '.bss', flags: DATA, addr: bss, align: ARCH[arch].bssAlign, size: placed.end - bss }] },
    ],
    symbols: [
      OBJECT('initialiser_magic', rodata, 8n, '.rodata'),
      FUNC(arch, '_start', linkAddress, '.text'),
      ...placed.symbols,
    ],
  });
}

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
  const placed = placeBss(arch, bss, tables.map((name) => ({ name, size: PAGE_TABLE })));
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

// ---------------------------------------------------------------------------
// PD program images.

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
const PROGRAM_FIXED_SYMBOLS = new Set(['_start', '_text', '_text_end', 'pd_stub_rodata', '__sel4_ipc_buffer', MICROKIT_NAME.name, ...LIBMICROKIT_WORDS.map((s) => s.name)]);

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
      { flags: PF_R | PF_X, sections: [{ name: '.text', flags: CODE, addr: PROGRAM_BASE, align: arch === 'x86_64' ? 16n : 8n, data: text, startsWithInsn: true }] },
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
