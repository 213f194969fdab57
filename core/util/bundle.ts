/**
 * Where the bundled CLI lives (`dist/bundle/`, scripts/bundle.mjs): a module
 * inside it is a chunk, so paths relative to its own URL do not find the
 * tool's other files; the bundle's entry points beside it do.
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUNDLE = `${sep}dist${sep}bundle${sep}`;

/** The bundle's directory (with a trailing separator) when `moduleUrl` is inside it, else undefined. */
export function bundleDir(moduleUrl: string): string | undefined {
  const path = fileURLToPath(moduleUrl);
  const at = path.lastIndexOf(BUNDLE);
  return at < 0 ? undefined : path.slice(0, at + BUNDLE.length);
}
