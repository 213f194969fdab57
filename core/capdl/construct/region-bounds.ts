/**
 * A memory region the machine cannot possibly hold is refused before its
 * frames exist: frames cost memory per page, so a 2^52-byte region would
 * otherwise exhaust the tool's memory (upstream runs out of memory or
 * takes hours there). Regions of up to FRAME_GUARD pages keep upstream's
 * own allocation errors, so only hopeless sizes get this message.
 */
import type { KernelConfig } from '../../kernel/config.js';
import type { ProgramHeader } from '../../elf/types.js';
import type { MemoryRegion } from '../../sdf/model.js';
import { hex } from '../../util/bigint.js';
import { elfSegmentTooLarge, mrTooLarge } from '../errors.js';

/** Below this many frames a region is built and allocated as upstream does, whatever its fate. */
export const FRAME_GUARD = 1n << 22n;
/** The most frames any region may have (256 GiB of 4 KiB pages, 128 TiB of 2 MiB ones; about 1 GiB of this tool's memory). */
export const FRAME_LIMIT = 1n << 26n;

export function checkRegionFits(kernel: KernelConfig, mr: MemoryRegion): void {
  const frames = mr.size / mr.pageSize;
  if (frames <= FRAME_GUARD) return;
  const refuse = (why: string) => mrTooLarge(mr.name, why, mr.location);
  const memory = kernel.memory;
  const base = mr.physAddr.kind === 'specified' || mr.physAddr.kind === 'tool' ? mr.physAddr.paddr : undefined;
  if (memory !== undefined && base === undefined) {
    const ram = memory.normal.reduce((sum, r) => sum + (r.end - r.start), 0n);
    if (mr.size > ram) throw refuse(`of ${hex(mr.size)} bytes is larger than all of the board's RAM (${hex(ram)} bytes)`);
  }
  if (memory !== undefined && base !== undefined) {
    const top = [...memory.normal, ...memory.device].reduce((max, r) => (r.end > max ? r.end : max), 0n);
    if (base + mr.size > top) throw refuse(`[${hex(base)}..${hex(base + mr.size)}) ends beyond the board's physical memory (top ${hex(top)})`);
  }
  if (frames > FRAME_LIMIT) throw refuse(`of ${hex(mr.size)} bytes needs ${frames} frames, more than the ${FRAME_LIMIT} this tool builds for one region`);
}

/**
 * The same guard for a loadable ELF segment, whose memory becomes one 4 KiB frame per page: a corrupt or
 * hostile header claiming 2^40 bytes would otherwise build 2^28 frames (upstream aborts allocating it).
 * Up to FRAME_GUARD pages (16 GiB) upstream's own placement error stands.
 */
export function checkSegmentFits(kernel: KernelConfig, image: string, pdName: string, seg: ProgramHeader): void {
  const frames = (seg.memsz + 0xfffn) >> 12n;
  if (frames <= FRAME_GUARD) return;
  const refuse = (why: string) => elfSegmentTooLarge(image, pdName, seg.index, why);
  const memory = kernel.memory;
  if (memory !== undefined) {
    const ram = memory.normal.reduce((sum, r) => sum + (r.end - r.start), 0n);
    if (seg.memsz > ram) throw refuse(`of ${hex(seg.memsz)} bytes is larger than all of the board's RAM (${hex(ram)} bytes)`);
  }
  if (frames > FRAME_LIMIT) throw refuse(`of ${hex(seg.memsz)} bytes needs ${frames} frames, more than the ${FRAME_LIMIT} this tool builds for one segment`);
}
