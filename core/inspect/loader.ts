/**
 * The Microkit loader's header and regions inside a loader payload
 * (image-dump-format.md §loader): found by its magic, validated against the
 * payload's length before anything is sliced.
 */
import type { LoaderHeader } from '../loader/types.js';
import { Buffer } from 'node:buffer';
import { InspectError } from './types.js';
import type { Checks } from './types.js';
import { U64, hx } from './util.js';

const MAGIC = 0x5e14dead14de5eadn;
const HEADER_SIZE = 64;
const REGION_SIZE = 32;

export interface LoaderRegion {
  readonly index: number;
  readonly loadAddr: bigint;
  readonly size: bigint;
  readonly offset: bigint;
  readonly type: bigint;
  readonly data: Uint8Array;
  readonly role: 'kernel' | 'initialiser';
  /** Initialiser virtual address (`load_addr - pv_offset` mod 2^64). */
  readonly vaddr: bigint;
}

/** The loader header as read back from an image, with the loader's own image before it and the regions after. */
export interface LoaderPayload extends LoaderHeader {
  readonly headerOffset: number;
  /** The loader's own image: everything before the header. */
  readonly image: Uint8Array;
  readonly regions: readonly LoaderRegion[];
}

function findHeader(payload: Uint8Array): number {
  const magic = Buffer.alloc(8);
  magic.writeBigUInt64LE(MAGIC);
  const hay = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const found: number[] = [];
  for (let at = hay.indexOf(magic); at >= 0; at = hay.indexOf(magic, at + 1)) {
    if (at + 16 <= payload.length && dv.getBigUint64(at + 8, true) + BigInt(at) === BigInt(payload.length)) found.push(at);
  }
  if (found.length === 0) throw new InspectError('no Microkit loader header (magic 0x5e14dead14de5ead whose size reaches the end of the payload) in the image');
  if (found.length > 1)
    throw new InspectError(`${found.length} candidate loader headers in the image (at ${found.map(hx).join(', ')}); cannot tell which is real`);
  return found[0];
}

export function readLoader(payload: Uint8Array, checks: Checks): LoaderPayload {
  const at = findHeader(payload);
  if (at + HEADER_SIZE > payload.length) throw new InspectError(`the loader header at ${hx(at)} is truncated`);
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const w = (i: number): bigint => dv.getBigUint64(at + i * 8, true);
  const [magic, size, kernelEntry, uiPRegStart, uiPRegEnd, pvOffset, vEntry, numRegions] = [0, 1, 2, 3, 4, 5, 6, 7].map(w);
  const tableEnd = BigInt(at + HEADER_SIZE) + numRegions * BigInt(REGION_SIZE);
  if (tableEnd > BigInt(payload.length)) {
    throw new InspectError(`the loader header claims ${numRegions} regions, more than the ${hx(payload.length - at)} bytes after it can describe`);
  }
  const dataBase = Number(tableEnd);
  const regions: LoaderRegion[] = [];
  let expectedOffset = 0n;
  let total = BigInt(HEADER_SIZE);
  for (let i = 0; i < Number(numRegions); i++) {
    const d = at + HEADER_SIZE + i * REGION_SIZE;
    const loadAddr = dv.getBigUint64(d, true);
    const rsize = dv.getBigUint64(d + 8, true);
    const offset = dv.getBigUint64(d + 16, true);
    const type = dv.getBigUint64(d + 24, true);
    const start = BigInt(dataBase) + offset;
    if (start + rsize > BigInt(payload.length)) {
      throw new InspectError(`loader region ${i} (${hx(rsize)} bytes at data offset ${hx(offset)}) lies outside the image: it is truncated or corrupt`);
    }
    if (offset !== expectedOffset) checks.warn(`loader region ${i}: data offset ${hx(offset)} is not the running sum ${hx(expectedOffset)}`);
    expectedOffset = offset + rsize;
    total += rsize + BigInt(REGION_SIZE);
    const role = loadAddr >= uiPRegStart && loadAddr < uiPRegEnd ? 'initialiser' : 'kernel';
    regions.push({
      index: i,
      loadAddr,
      size: rsize,
      offset,
      type,
      role,
      data: payload.subarray(Number(start), Number(start + rsize)),
      vaddr: (((loadAddr - pvOffset) % U64) + U64) % U64,
    });
  }
  if (size !== total) checks.error(`loader header size ${hx(size)} differs from 64 + the sum of (region size + 32) = ${hx(total)}`);
  const sorted = [...regions].sort((a, b) => (a.loadAddr < b.loadAddr ? -1 : a.loadAddr > b.loadAddr ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1];
    if (p.loadAddr + p.size > sorted[i].loadAddr) checks.error(`loader regions ${p.index} and ${sorted[i].index} overlap`);
  }
  for (const r of regions) {
    if (r.role === 'initialiser' && r.loadAddr + r.size > uiPRegEnd) checks.error(`loader region ${r.index} crosses ui_p_reg_end ${hx(uiPRegEnd)}`);
  }
  return {
    headerOffset: at,
    image: payload.subarray(0, at),
    magic,
    size,
    kernelEntry,
    uiPRegStart,
    uiPRegEnd,
    pvOffset,
    vEntry,
    numRegions,
    regions,
  };
}
