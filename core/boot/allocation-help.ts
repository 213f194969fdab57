/**
 * What a failed allocation needed and had, for the `help:` lines after
 * upstream's error: memory per object kind (objects without a fixed
 * address, which the initialiser retypes from untyped memory) and the
 * untyped memory the kernel hands over. One pass over the objects; one
 * counter per kind.
 */
import { physicalSizeBits } from '../capdl/object-sizes.js';
import { objectPaddr, type Spec } from '../capdl/spec.js';
import type { ObjectSizes } from '../kernel/config.js';
import { humanSizeStrict } from '../util/human-size.js';
import type { Untyped } from './kernel-boot.js';

export function allocationFailureHelp(spec: Spec, untypeds: readonly Untyped[], sizes: ObjectSizes): string[] {
  const byKind = new Map<string, { count: number; bytes: bigint }>();
  let total = 0n;
  for (let id = 0; id < spec.objects.length; id++) {
    const object = spec.objects.object(id);
    if (objectPaddr(object) !== null) continue;
    const bits = physicalSizeBits(object, sizes);
    if (bits === 0) continue;
    const bytes = 1n << BigInt(bits);
    const kind = byKind.get(object.type) ?? { count: 0, bytes: 0n };
    kind.count++;
    kind.bytes += bytes;
    byKind.set(object.type, kind);
    total += bytes;
  }
  const kinds = [...byKind.entries()].sort((a, b) => (a[1].bytes > b[1].bytes ? -1 : a[1].bytes < b[1].bytes ? 1 : 0));
  const ram = untypeds.filter((u) => !u.isDevice);
  let largest = 0n;
  let free = 0n;
  for (const u of ram) {
    const size = u.end - u.start;
    free += size;
    if (size > largest) largest = size;
  }
  return [
    `objects to create need ${humanSizeStrict(total)}: ${kinds.map(([k, v]) => `${k} ${v.count}× = ${humanSizeStrict(v.bytes)}`).join(', ')}`,
    `untyped memory: ${humanSizeStrict(free)} in ${ram.length} untypeds, the largest ${humanSizeStrict(largest)}`,
    'make memory regions smaller, use larger pages (page_size) for large regions, or give the board more memory',
  ];
}
