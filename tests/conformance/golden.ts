/** The golden example runs of ../shared/conformance/examples (see its README). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAS_SHARED, SHARED } from '../support/paths.js';

export const EXAMPLES = join(SHARED, 'conformance/examples');

export interface GoldenRun {
  readonly dir: string;
  readonly label: string;
  readonly board: string;
  readonly config: string;
  readonly system: string;
  readonly searchPaths: readonly string[];
  readonly exitCode: number;
}

export function goldenRuns(boards?: readonly string[]): GoldenRun[] {
  if (!HAS_SHARED) return [];
  const runs: GoldenRun[] = [];
  const root = join(EXAMPLES, 'golden');
  for (const board of readdirSync(root).sort()) {
    if (boards && !boards.includes(board)) continue;
    for (const config of readdirSync(join(root, board)).sort()) {
      for (const example of readdirSync(join(root, board, config)).sort()) {
        const dir = join(root, board, config, example);
        if (!existsSync(join(dir, 'args.json'))) continue;
        const args = JSON.parse(readFileSync(join(dir, 'args.json'), 'utf8')) as { system: string; search_paths: string[] };
        runs.push({
          dir,
          label: `${board}/${config}/${example}`,
          board,
          config,
          system: args.system,
          searchPaths: args.search_paths,
          exitCode: Number(readFileSync(join(dir, 'exit_code'), 'utf8').trim()),
        });
      }
    }
  }
  return runs;
}

/** Upstream's first error line, with `{system}` replaced as the conformance script does. */
export function goldenFirstErrorLine(run: GoldenRun): string {
  const text = readFileSync(join(run.dir, 'stderr.txt'), 'utf8') + '\n' + readFileSync(join(run.dir, 'stdout.txt'), 'utf8');
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  ).replaceAll('{system}', run.system);
}
