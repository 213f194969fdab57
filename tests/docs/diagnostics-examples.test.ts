/**
 * docs/diagnostics.md shows real output per code, made by scripts/diagnostics-examples.mjs:
 * the page must say what the tool says today (a message or its wrapping changed, the page is stale).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, REPO } from '../support/paths.js';

describe.skipIf(!HAS_SHARED)('docs/diagnostics.md examples', () => {
  it('are what scripts/diagnostics-examples.mjs prints now', () => {
    const run = spawnSync(process.execPath, [join(REPO, 'scripts/diagnostics-examples.mjs')], { cwd: REPO, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const generated = run.stdout.slice(run.stdout.indexOf('### ')).trimEnd();
    const page = readFileSync(join(REPO, 'docs/diagnostics.md'), 'utf8');
    const shown = page.slice(page.indexOf('### ', page.indexOf('## Examples per code'))).trimEnd();
    expect(generated.length).toBeGreaterThan(1000);
    // Regenerate with: npm run build && node scripts/diagnostics-examples.mjs (the part from the first ### heading).
    expect(shown).toBe(generated);
  });
});
