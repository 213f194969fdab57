/**
 * The containers a loader payload is written in: raw binary, a minimal
 * ELF64, and a U-Boot legacy uImage wrapping a Linux RISC-V image header.
 */
import { crc32 } from 'node:zlib';
import {
  EHDR_SIZE,
  ELFCLASS64,
  ELFDATA2LSB,
  ET_EXEC,
  EV_CURRENT,
  PF_R,
  PF_W,
  PF_X,
  PHDR_SIZE,
  PT_LOAD,
  SHDR_SIZE,
  SHT_PROGBITS,
  SHT_STRTAB,
} from '../../core/elf/index.js';
import { hex, loaderError } from '../../core/loader/boot-tables.js';
import { concatBytes } from '../../core/util/bytes.js';
import { payloadChunks, payloadSize } from './layout.js';
import type { LoaderLayout } from './types.js';

/** An image file as the chunks to write in order (the large ones referenced, not copied) and its size. */
export interface ImageChunks {
  readonly chunks: readonly Uint8Array[];
  readonly size: bigint;
}

/** The whole file in one buffer (for tests and API users; the build streams the chunks). */
export function joinImage(image: ImageChunks, what: string): Uint8Array {
  try {
    return concatBytes(image.chunks, Number(image.size));
  } catch {
    throw loaderError('LOADER_IMAGE_TOO_LARGE', `the ${what} of ${hex(image.size)} bytes is too large to hold in memory`);
  }
}

/** The raw binary image (`--image-type binary`): the payload as is. */
export function loaderBinaryChunks(layout: LoaderLayout): ImageChunks {
  return { chunks: payloadChunks(layout), size: payloadSize(layout) };
}

export function loaderBinary(layout: LoaderLayout): Uint8Array {
  return joinImage(loaderBinaryChunks(layout), 'loader image');
}

/**
 * Section flags of the one PROGBITS section: upstream ORs SHF_ALLOC (2),
 * SHF_WRITE (1) and its SHF_EXECINSTR constant, which it defines as 3
 * instead of 4; so an RWX segment gets 0x3 ("WA"), reproduced here.
 */
const UPSTREAM_RWX_SECTION_FLAGS = 0x2n | 0x1n | 0x3n;

/**
 * The ELF image (`--image-type elf`), laid out as upstream's ELF writer does:
 * ELF header; one PT_LOAD (RWX, vaddr = paddr = loader entry, offset just
 * past the headers, align 0) holding the whole payload; section headers
 * (null, one unnamed SHT_PROGBITS over the payload, a 1-byte SHT_STRTAB
 * which is also the section-name table); the payload; the string table's
 * single zero byte. e_machine is the kernel's.
 */
export function loaderElfChunks(layout: LoaderLayout): ImageChunks {
  const size = payloadSize(layout);
  const phnum = 1;
  const shnum = 3;
  const dataOffset = BigInt(EHDR_SIZE + phnum * PHDR_SIZE + shnum * SHDR_SIZE);
  const out = new Uint8Array(Number(dataOffset));
  const dv = new DataView(out.buffer);
  const entry = layout.loaderEntry;

  out.set([0x7f, 0x45, 0x4c, 0x46, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, 0]);
  dv.setUint16(16, ET_EXEC, true);
  dv.setUint16(18, layout.elfMachine, true);
  dv.setUint32(20, EV_CURRENT, true);
  dv.setBigUint64(24, entry, true);
  dv.setBigUint64(32, BigInt(EHDR_SIZE), true);
  dv.setBigUint64(40, BigInt(EHDR_SIZE + phnum * PHDR_SIZE), true);
  dv.setUint32(48, 0, true);
  [EHDR_SIZE, PHDR_SIZE, phnum, SHDR_SIZE, shnum, shnum - 1].forEach((v, i) => dv.setUint16(52 + 2 * i, v, true));

  let o = EHDR_SIZE;
  dv.setUint32(o, PT_LOAD, true);
  dv.setUint32(o + 4, PF_R | PF_W | PF_X, true);
  [dataOffset, entry, entry, size, size, 0n].forEach((v, i) => dv.setBigUint64(o + 8 + 8 * i, v, true));

  o += PHDR_SIZE + SHDR_SIZE; // section 0 stays zero
  const section = (type: number, flags: bigint, addr: bigint, offset: bigint, length: bigint): void => {
    dv.setUint32(o, 0, true); // name: the empty string
    dv.setUint32(o + 4, type, true);
    [flags, addr, offset, length].forEach((v, i) => dv.setBigUint64(o + 8 + 8 * i, v, true));
    // link, info, addralign and entsize stay zero.
    o += SHDR_SIZE;
  };
  section(SHT_PROGBITS, UPSTREAM_RWX_SECTION_FLAGS, entry, dataOffset, size);
  section(SHT_STRTAB, 0n, 0n, dataOffset + size, 1n);

  // Then the payload and the string table's single zero byte.
  return { chunks: [out, ...payloadChunks(layout), new Uint8Array(1)], size: dataOffset + size + 1n };
}

export function loaderElf(layout: LoaderLayout): Uint8Array {
  return joinImage(loaderElfChunks(layout), 'loader ELF');
}

// U-Boot include/image.h (legacy image header, big-endian).
export const IH_MAGIC = 0x27051956;
export const IH_OS_LINUX = 5;
export const IH_TYPE_KERNEL = 2;
export const IH_COMP_NONE = 0;
const IH_NMLEN = 32;
export const UIMAGE_NAME = 'seL4 Microkit';
export const UIMAGE_HEADER_SIZE = 64;

// Linux Documentation/arch/riscv/boot-image-header.rst (little-endian).
export const LINUX_RISCV_HEADER_SIZE = 64;
/** Header version 0.2: major in bits 16..31, minor in 0..15. */
const LINUX_RISCV_HEADER_VERSION = 2;
/** "RISCV\0\0\0". */
const LINUX_RISCV_MAGIC = 0x5643534952n;
/** "RSC\x05". */
const LINUX_RISCV_MAGIC2 = 0x05435352;

const U32 = 1n << 32n;

/**
 * The uImage (`--image-type uimage`): a U-Boot legacy header claiming a
 * Linux kernel (so U-Boot follows the Linux boot protocol and passes the
 * hart id), whose data is a Linux RISC-V image header followed by the loader
 * payload. U-Boot loads the data at entry − 64 so the loader lands at its
 * link address. CRCs are the standard CRC-32 (node:zlib's `crc32`, the same
 * polynomial, reflection, initial value and final xor as upstream's).
 */
export function loaderUImageChunks(layout: LoaderLayout, ihArch: number, outputPath?: string): ImageChunks {
  const entry = layout.loaderEntry;
  const target = outputPath === undefined ? 'the uImage' : `'${outputPath}'`;
  if (entry >= U32) {
    throw loaderError('LOADER_UIMAGE', `Could not create ${target}: Loader link address ${hex(entry)} cannot be above 4G for uImage.`);
  }
  if (entry < BigInt(LINUX_RISCV_HEADER_SIZE)) {
    throw loaderError(
      'LOADER_UIMAGE',
      `Could not create ${target}: Loader link address ${hex(entry)} leaves no room for the ${LINUX_RISCV_HEADER_SIZE}-byte Linux image header below it.`,
    );
  }
  const payload = payloadSize(layout);
  const dataSize = BigInt(LINUX_RISCV_HEADER_SIZE) + payload;
  if (dataSize >= U32) {
    throw loaderError('LOADER_UIMAGE', `Could not create ${target}: an image of ${hex(dataSize)} bytes is too large for a uImage.`);
  }
  const out = new Uint8Array(UIMAGE_HEADER_SIZE + LINUX_RISCV_HEADER_SIZE);
  const dv = new DataView(out.buffer);

  // Linux RISC-V image header; code0/code1, text_offset, flags and the reserved words stay zero.
  const l = UIMAGE_HEADER_SIZE;
  dv.setBigUint64(l + 16, payload, true); // image_size
  dv.setUint32(l + 32, LINUX_RISCV_HEADER_VERSION, true);
  dv.setBigUint64(l + 48, LINUX_RISCV_MAGIC, true);
  dv.setUint32(l + 56, LINUX_RISCV_MAGIC2, true);
  const data = [out.subarray(UIMAGE_HEADER_SIZE), ...payloadChunks(layout)];
  // CRC-32 of the data, chunk by chunk.
  const dataCrc = data.reduce((crc, chunk) => crc32(chunk, crc), 0);

  dv.setUint32(0, IH_MAGIC, false);
  // ih_hcrc (4) is zero while the header CRC is computed; ih_time (8) stays zero.
  dv.setUint32(12, Number(dataSize), false);
  dv.setUint32(16, Number(entry) - LINUX_RISCV_HEADER_SIZE, false);
  dv.setUint32(20, Number(entry), false);
  dv.setUint32(24, dataCrc, false);
  out[28] = IH_OS_LINUX;
  out[29] = ihArch;
  out[30] = IH_TYPE_KERNEL;
  out[31] = IH_COMP_NONE;
  const name = new TextEncoder().encode(UIMAGE_NAME);
  out.set(name.subarray(0, IH_NMLEN), 32);
  dv.setUint32(4, crc32(out.subarray(0, UIMAGE_HEADER_SIZE)), false);
  return { chunks: [out.subarray(0, UIMAGE_HEADER_SIZE), ...data], size: BigInt(UIMAGE_HEADER_SIZE) + dataSize };
}

export function loaderUImage(layout: LoaderLayout, ihArch: number, outputPath?: string): Uint8Array {
  return joinImage(loaderUImageChunks(layout, ihArch, outputPath), 'uImage');
}
