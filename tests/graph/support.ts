/** The example systems the graph tests draw: each system once, on the first board/config it builds for. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLES, goldenRuns } from '../conformance/golden.js';
import type { GoldenRun } from '../conformance/golden.js';

export function exampleSystems(): GoldenRun[] {
  const seen = new Map<string, GoldenRun>();
  for (const run of goldenRuns()) if (run.exitCode === 0 && !seen.has(run.system)) seen.set(run.system, run);
  return [...seen.values()];
}

/** PD names and channel count straight from the SDF text (independent of the tool's parser). */
export function sdfFacts(run: GoldenRun): { pds: string[]; channels: number } {
  const text = readFileSync(join(EXAMPLES, run.system), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const pds = [...text.matchAll(/<protection_domain\s[^>]*?name="([^"]+)"/g)].map((m) => m[1]);
  const channels = [...text.matchAll(/<channel[\s>]/g)].length;
  return { pds, channels };
}

export function graphArgs(run: GoldenRun): string[] {
  return [run.system, '--board', run.board, '--config', run.config, '--search-path', ...run.searchPaths];
}
