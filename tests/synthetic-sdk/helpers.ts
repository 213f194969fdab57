import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadableSegments, parseElf, segmentData, type ElfFile } from '../../core/elf/index.js';

export const HAS_READELF = spawnSync('readelf', ['--version']).status === 0;

/** `readelf ARGS file` on bytes or a path; fails on a non-zero exit. */
export function readelf(input: Uint8Array | string, args: string[]): { stdout: string; stderr: string } {
  let path = input as string;
  if (typeof input !== 'string') {
    path = join(mkdtempSync(join(tmpdir(), 'stub-readelf-')), 'file.elf');
    writeFileSync(path, input);
  }
  const r = spawnSync('readelf', [...args, path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`readelf ${args.join(' ')} ${path} failed: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** The symbol table as readelf prints it, without the entry numbers, sorted: comparable across symbol orders. */
export function symbolLines(input: Uint8Array | string): string[] {
  return readelf(input, ['-sW'])
    .stdout.split('\n')
    .filter((l) => /^\s+\d+:/.test(l))
    .map((l) =>
      l
        .replace(/^\s+\d+:\s+/, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .sort();
}

export function loadElf(path: string): ElfFile {
  return parseElf(readFileSync(path), path);
}

export interface Segment {
  type: number;
  flags: number;
  offset: bigint;
  vaddr: bigint;
  paddr: bigint;
  filesz: bigint;
  memsz: bigint;
  data: Uint8Array;
}

/** PT_LOAD segments of an ELF32 or ELF64 little-endian file (core/elf reads ELF64 only). */
export function loadSegments(bytes: Uint8Array): Segment[] {
  if (bytes[4] === 2) {
    const elf = parseElf(bytes);
    return loadableSegments(elf).map((s) => ({ ...s, data: segmentData(elf, s) }));
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phoff = dv.getUint32(28, true);
  const phnum = dv.getUint16(44, true);
  const out: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * 32;
    if (dv.getUint32(o, true) !== 1) continue;
    const offset = dv.getUint32(o + 4, true);
    const filesz = dv.getUint32(o + 16, true);
    out.push({
      type: 1,
      offset: BigInt(offset),
      vaddr: BigInt(dv.getUint32(o + 8, true)),
      paddr: BigInt(dv.getUint32(o + 12, true)),
      filesz: BigInt(filesz),
      memsz: BigInt(dv.getUint32(o + 20, true)),
      flags: dv.getUint32(o + 24, true),
      data: bytes.subarray(offset, offset + filesz),
    });
  }
  return out;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
