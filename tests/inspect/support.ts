/** Shared by the inspect tests: SDK ELFs of a golden run and the semantic part of a dump. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SdkElfBytes } from '../../core/inspect/index.js';
import type { PlainJson } from '../../core/util/json-plain.js';
import { SHARED_SDK } from '../support/paths.js';

/** The dump without what two correct tools may differ in (image-dump-format.md). */
export function semantic(v: PlainJson): PlainJson {
  if (Array.isArray(v)) return v.map(semantic);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: PlainJson } = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'layout' && k !== 'checks') out[k] = semantic(x);
    return out;
  }
  return v;
}

export function sdkElfs(board: string, config: string, sdk = SHARED_SDK): SdkElfBytes {
  const dir = join(sdk, 'board', board, config, 'elf');
  const read = (f: string): Uint8Array | undefined => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : undefined);
  return { initialiser: read('initialiser.elf'), kernel: read('sel4.elf'), loader: read('loader.elf') };
}
