/**
 * The outer container of a boot image (image-dump-format.md §image): which of
 * the four kinds it is, its architecture, and the loader payload inside it
 * (ARM/RISC-V) or its program headers (x86 boot module).
 */
import { crc32 } from 'node:zlib';
import { EM_AARCH64, EM_RISCV, EM_X86_64, ElfError, PT_LOAD, parseElf } from '../elf/index.js';
import type { ElfFile } from '../elf/index.js';
import { PT_SEL4_CAPDL_SPEC } from '../pack/initialiser-elf.js';
import type { DumpJson } from './canonical-json.js';
import { phdrTypeName } from './phdrs.js';
import { InspectError } from './types.js';
import type { Checks, ImageArch, ImageKind } from './types.js';
import { hx, sha256, slice } from './util.js';

const UIMAGE_MAGIC = 0x27051956;
const UIMAGE_HEADER_SIZE = 64;
const LINUX_HEADER_SIZE = 64;
const IH_ARCH: Record<number, ImageArch> = { 22: 'aarch64', 26: 'riscv64' };

export interface Container {
  readonly kind: ImageKind;
  readonly arch: ImageArch;
  /** The `image` record of the dump. */
  readonly record: { [key: string]: DumpJson };
  /** The loader payload (ARM/RISC-V). */
  readonly payload?: Uint8Array;
  /** The boot module (x86). */
  readonly elf?: ElfFile;
}

export function archOfMachine(machine: number): ImageArch {
  return machine === EM_AARCH64 ? 'aarch64' : machine === EM_RISCV ? 'riscv64' : machine === EM_X86_64 ? 'x86_64' : 'unknown';
}

function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

export function readContainer(bytes: Uint8Array, checks: Checks, binaryArch: ImageArch): Container {
  const layout: { [key: string]: DumpJson } = { file_size: hx(bytes.length), sha256: sha256(bytes) };
  if (isElf(bytes)) {
    let elf: ElfFile;
    try {
      elf = parseElf(bytes, undefined, { requireSymbols: false });
    } catch (e) {
      if (e instanceof ElfError || e instanceof RangeError) throw new InspectError(`not a valid ELF image: ${e.message}`);
      throw e;
    }
    const arch = archOfMachine(elf.header.machine);
    if (elf.programHeaders.some((p) => p.type === PT_SEL4_CAPDL_SPEC)) {
      layout.elf_phdrs = elf.programHeaders.map((p) => ({
        type: phdrTypeName(p.type),
        offset: hx(p.offset),
        vaddr: hx(p.vaddr),
        filesz: hx(p.filesz),
        memsz: hx(p.memsz),
      }));
      return {
        kind: 'x86-boot-module',
        arch,
        elf,
        record: { kind: 'x86-boot-module', arch, entry: hx(elf.header.entry), machine: elf.header.machine, e_type: elf.header.type, layout },
      };
    }
    const loads = elf.programHeaders.filter((p) => p.type === PT_LOAD);
    if (loads.length !== 1) throw new InspectError(`a loader ELF has exactly one PT_LOAD segment; this one has ${loads.length}`);
    const seg = loads[0];
    return {
      kind: 'elf',
      arch,
      payload: slice(bytes, seg.offset, seg.filesz, 'the PT_LOAD segment'),
      record: {
        kind: 'elf',
        arch,
        entry: hx(elf.header.entry),
        load_vaddr: hx(seg.vaddr),
        load_paddr: hx(seg.paddr),
        flags: seg.flags,
        machine: elf.header.machine,
        layout,
      },
    };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 4 && dv.getUint32(0, false) === UIMAGE_MAGIC) {
    if (bytes.length < UIMAGE_HEADER_SIZE + LINUX_HEADER_SIZE) throw new InspectError(`a uImage of ${bytes.length} bytes is too short for its headers`);
    const dataSize = dv.getUint32(12, false);
    const data = slice(bytes, UIMAGE_HEADER_SIZE, dataSize, 'the uImage data');
    const header = new Uint8Array(bytes.subarray(0, UIMAGE_HEADER_SIZE));
    new DataView(header.buffer).setUint32(4, 0, false);
    if (crc32(header) >>> 0 !== dv.getUint32(4, false)) checks.error('uImage header CRC mismatch');
    if (crc32(data) >>> 0 !== dv.getUint32(24, false)) checks.error('uImage data CRC mismatch');
    if (data.length < LINUX_HEADER_SIZE) throw new InspectError('the uImage data is too short for the Linux image header');
    const l = new DataView(data.buffer, data.byteOffset, LINUX_HEADER_SIZE);
    const payload = data.subarray(LINUX_HEADER_SIZE);
    const imageSize = l.getBigUint64(16, true);
    if (imageSize !== BigInt(payload.length)) checks.error(`Linux header image_size ${hx(imageSize)} differs from the payload size ${hx(payload.length)}`);
    const load = dv.getUint32(16, false);
    const ep = dv.getUint32(20, false);
    if (ep !== load + LINUX_HEADER_SIZE) checks.error(`uImage entry ${hx(ep)} is not its load address ${hx(load)} plus the Linux header`);
    const nameBytes = bytes.subarray(32, 64);
    const nul = nameBytes.indexOf(0);
    const arch = IH_ARCH[bytes[29]] ?? 'unknown';
    return {
      kind: 'uimage',
      arch,
      payload,
      record: {
        kind: 'uimage',
        arch,
        layout,
        ih_load: hx(load),
        ih_ep: hx(ep),
        ih_os: bytes[28],
        ih_arch: bytes[29],
        ih_type: bytes[30],
        ih_comp: bytes[31],
        ih_time: dv.getUint32(8, false),
        ih_name: Buffer.from(nameBytes.subarray(0, nul < 0 ? 32 : nul)).toString('latin1'),
        linux_header: {
          code0: l.getUint32(0, true),
          code1: l.getUint32(4, true),
          text_offset: hx(l.getBigUint64(8, true)),
          flags: hx(l.getBigUint64(24, true)),
          version: l.getUint32(32, true),
          res1: l.getUint32(36, true),
          res2: hx(l.getBigUint64(40, true)),
          magic: hx(l.getBigUint64(48, true)),
          magic2: hx(l.getUint32(56, true)),
          res3: l.getUint32(60, true),
        },
      },
    };
  }
  return { kind: 'binary', arch: binaryArch, payload: bytes, record: { kind: 'binary', arch: binaryArch, layout } };
}
