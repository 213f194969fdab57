import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EM_AARCH64,
  PF_R,
  PF_W,
  PF_X,
  PT_LOAD,
  PT_LOOS,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHT_NOBITS,
  SHT_PROGBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_OBJECT,
} from '../../core/elf/index.js';
import type { ElfSpec } from '../../core/elf/index.js';

export const SDK_ELF_DIR = path.resolve(import.meta.dirname, '../../../shared/sdk/board/qemu_virt_aarch64/debug/elf');

export function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed + i * 7) & 0xff);
}

/**
 * Text at 0x200000, data+bss at 0x203010 (deliberately not page aligned so
 * the offset congruence is visible), a custom header aliasing data bytes.
 */
export function sampleSpec(): ElfSpec {
  return {
    machine: EM_AARCH64,
    entry: 0x200000n,
    segments: [
      { type: PT_LOAD, flags: PF_R | PF_X, vaddr: 0x200000n, data: pattern(0x20, 1) },
      { flags: PF_R | PF_W, vaddr: 0x203010n, paddr: 0x8003010n, data: pattern(0x18, 100), memsz: 0x2000n },
    ],
    extraHeaders: [{ type: PT_LOOS + 5, flags: PF_R, target: { kind: 'segment', segment: 1, offset: 8n, size: 8n } }],
    sections: [
      { name: '.text', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addralign: 4n, segment: 0 },
      { name: '.data', type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_WRITE, addralign: 8n, segment: 1 },
      { name: '.bss', type: SHT_NOBITS, flags: SHF_ALLOC | SHF_WRITE, addralign: 8n, segment: 1, offset: 0x18n },
      { name: '.comment', type: SHT_PROGBITS, data: new TextEncoder().encode('stub\0') },
    ],
    symbols: [
      { name: '_start', value: 0x200000n, size: 4n, type: STT_FUNC, shndx: 1 },
      { name: 'stub.c', value: 0n, type: STT_FILE, bind: STB_LOCAL, shndx: SHN_ABS },
      { name: 'data_word', value: 0x203010n, size: 8n, type: STT_OBJECT, shndx: 2 },
      { name: 'data_small', value: 0x203018n, size: 4n, type: STT_OBJECT, shndx: 2 },
      { name: 'bss_word', value: 0x204000n, size: 8n, type: STT_OBJECT, shndx: 3 },
      { name: 'bss_buf', value: 0x204100n, size: 0x20n, type: STT_OBJECT, shndx: 3 },
      { name: 'edge', value: 0x203024n, size: 8n, type: STT_OBJECT, shndx: 2 },
      { name: 'dup', value: 0x200004n, bind: STB_LOCAL, shndx: 1 },
      { name: 'dup', value: 0x200008n, bind: STB_GLOBAL, shndx: 1 },
      { name: 'unmapped', value: 0x300000n, size: 8n, type: STT_OBJECT, shndx: SHN_ABS },
    ],
  };
}

let readelfAvailable: boolean | undefined;

/** `readelf` output for `bytes`, or undefined when readelf is not installed. */
export function readelf(bytes: Uint8Array, args = ['-a', '-W']): { stdout: string; stderr: string } | undefined {
  readelfAvailable ??= spawnSync('readelf', ['--version']).status === 0;
  if (!readelfAvailable) return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'elf-test-'));
  try {
    const file = path.join(dir, 'test.elf');
    writeFileSync(file, bytes);
    const r = spawnSync('readelf', [...args, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`readelf failed: ${r.stderr}`);
    return { stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fast equality for large byte arrays (toEqual walks them element by element). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
