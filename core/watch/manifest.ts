/**
 * What one build tells the watcher (`--watch`): the files it read and a
 * digest of what it built, so the watcher knows what to watch and can say
 * what a rebuild changed. The build (a child process of the watcher) writes
 * it to the file named by MICROKIT_WATCH_MANIFEST; pure functions here.
 */
import type { Spec } from '../capdl/spec.js';
import type { SystemDescription } from '../sdf/model.js';

export const WATCH_MANIFEST_ENV = 'MICROKIT_WATCH_MANIFEST';

export interface WatchManifest {
  readonly ok: boolean;
  /** Absolute paths of every input file the build read (or would have read). */
  readonly inputs: readonly string[];
  /** Spec object names, when the spec was built. */
  readonly objects?: readonly string[];
  /** One line per PD map (`pd: mr @ vaddr perms`), when the system parsed. */
  readonly maps?: readonly string[];
}

export function mapLines(system: SystemDescription): string[] {
  const out: string[] = [];
  for (const pd of system.protectionDomains) {
    for (const m of pd.maps) out.push(`${pd.name}: ${m.mr} @ 0x${m.vaddr.toString(16)} perms=${m.perms} cached=${m.cached}`);
    for (const m of pd.virtualMachine?.maps ?? []) out.push(`${pd.name}/${pd.virtualMachine!.name}: ${m.mr} @ 0x${m.vaddr.toString(16)} perms=${m.perms}`);
  }
  return out;
}

export function objectNames(spec: Spec): string[] {
  const names: string[] = new Array(spec.objects.length);
  for (let id = 0; id < names.length; id++) names[id] = spec.objects.name(id);
  return names;
}

function added(before: readonly string[], after: readonly string[]): number {
  const had = new Set(before);
  let n = 0;
  for (const x of after) if (!had.has(x)) n++;
  return n;
}

/** `+A -R objects, maps +a -r` between two successful builds (the summary's tail). */
export function describeChange(before: WatchManifest | undefined, after: WatchManifest): string {
  if (after.objects === undefined) return 'no spec';
  if (before?.objects === undefined) return `${after.objects.length} objects`;
  const objects = `objects +${added(before.objects, after.objects)} -${added(after.objects, before.objects)}`;
  const maps = `maps +${added(before.maps ?? [], after.maps ?? [])} -${added(after.maps ?? [], before.maps ?? [])}`;
  return `${objects}, ${maps}`;
}
