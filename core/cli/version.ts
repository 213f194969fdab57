/** `microkit --version`: this package's version, and the upstream release it is a drop-in for. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The upstream microkit version whose behaviour we match (docs/compat.md). */
export const UPSTREAM_VERSION = '2.3.0-dev';

/** The package.json above this module (`core/cli` in the sources, `dist/core/cli` when built). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'microkit-ts' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: look further up
    }
    const parent = dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

export function versionText(): string {
  return `microkit-ts ${packageVersion()} (drop-in for microkit ${UPSTREAM_VERSION})`;
}
