/** Small helpers shared by the reader, patcher and writer. */
import { ElfError } from './types.js';

import { hex } from '../util/bigint.js';

export { hex };

/** Zeroed buffer; sizes from a corrupt file must fail as an ElfError, not a RangeError. */
export function allocate(size: bigint, what: string): Uint8Array {
  try {
    return new Uint8Array(Number(size));
  } catch {
    throw new ElfError(`${what} of ${hex(size)} bytes is too large to hold in memory`);
  }
}
