/**
 * Determinism: every example system that builds is built twice, in two
 * separate processes with different V8 random seeds, working directories
 * and time zones, and the two builds give the same bytes (image, report,
 * capDL JSON). One process pair per example system (its first successful
 * golden run), not all 255 runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, REPO, SHARED } from '../support/paths.js';

const run = promisify(execFile);
const EXAMPLES = join(SHARED, 'conformance/examples');

interface Case {
  readonly example: string;
  readonly dir: string;
}

function cases(): Case[] {
  const golden = join(EXAMPLES, 'golden');
  if (!existsSync(golden)) return [];
  const seen = new Map<string, string>();
  for (const board of readdirSync(golden).sort()) {
    for (const config of readdirSync(join(golden, board)).sort()) {
      for (const example of readdirSync(join(golden, board, config)).sort()) {
        const dir = join(golden, board, config, example);
        if (!seen.has(example) && readFileSync(join(dir, 'exit_code'), 'utf8').trim() === '0') seen.set(example, dir);
      }
    }
  }
  return [...seen].map(([example, dir]) => ({ example, dir }));
}

async function buildOnce(c: Case, seed: number): Promise<Record<string, Buffer>> {
  const args = JSON.parse(readFileSync(join(c.dir, 'args.json'), 'utf8')) as { system: string; board: string; config: string; search_paths: string[] };
  const out = mkdtempSync(join(tmpdir(), `mk-det-${seed}-`));
  const argv = [
    `--random-seed=${seed}`,
    join(REPO, 'dist/core/cli/bin.js'),
    join(EXAMPLES, args.system),
    '--board',
    args.board,
    '--config',
    args.config,
    ...args.search_paths.flatMap((p) => ['--search-path', join(EXAMPLES, p)]),
    '-o',
    join(out, 'loader.img'),
    '-r',
    join(out, 'report.txt'),
    '--capdl-json',
    join(out, 'capdl.json'),
  ];
  await run(process.execPath, argv, {
    cwd: out,
    env: { ...process.env, MICROKIT_SDK: join(SHARED, 'sdk'), TZ: seed === 1 ? 'UTC' : 'Pacific/Chatham' },
    maxBuffer: 1 << 26,
  });
  return Object.fromEntries(['loader.img', 'report.txt', 'capdl.json'].map((f) => [f, readFileSync(join(out, f))]));
}

describe.skipIf(!HAS_SHARED)('determinism across processes', () => {
  const all = cases();
  it('there are example systems to build', () => expect(all.length).toBeGreaterThan(10));
  for (const c of all) {
    it(`${c.example}: two processes, same bytes`, async () => {
      const [a, b] = await Promise.all([buildOnce(c, 1), buildOnce(c, 2)]);
      for (const f of Object.keys(a)) expect(Buffer.compare(a[f], b[f]), `${c.example}/${f} differs`).toBe(0);
    }, 120_000);
  }
});
