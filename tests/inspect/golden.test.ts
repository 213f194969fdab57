/**
 * `microkit inspect --json` against every golden `loader.img`: the dump must
 * equal upstream's `image-dump.json` except under `layout` keys and in
 * `checks` (image-dump-format.md), with no integrity errors. In-process, one
 * test per board so the 190 images share one worker.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, inspectImage } from '../../core/inspect/index.js';
import { parsePlainJson } from '../../core/util/json-plain.js';
import { goldenRuns } from '../conformance/golden.js';
import { HAS_SHARED } from '../support/paths.js';
import { sdkElfs, semantic } from './support.js';

const runs = goldenRuns().filter((r) => existsSync(join(r.dir, 'loader.img')));
const boards = [...new Set(runs.map((r) => r.board))];

describe.skipIf(!HAS_SHARED)('inspect --json on golden images', () => {
  it('finds all 190 golden images', () => {
    expect(runs.length).toBe(190);
  });
  // The golden dumps have no checks either, so a dump of the very same image is byte-identical.
  let identical = 0;
  for (const board of boards) {
    it(`equals image-dump.json outside layout and checks: ${board}`, () => {
      for (const run of runs.filter((r) => r.board === board)) {
        const result = inspectImage(readFileSync(join(run.dir, 'loader.img')), { elfs: sdkElfs(run.board, run.config) });
        const ours = canonicalJson(result.dump);
        const gold = readFileSync(join(run.dir, 'image-dump.json'), 'utf8');
        expect({ run: run.label, errors: result.checks.errors }).toEqual({ run: run.label, errors: [] });
        if (ours === gold.trimEnd()) {
          identical++;
          continue;
        }
        expect({ run: run.label, dump: semantic(parsePlainJson(ours)) }).toEqual({ run: run.label, dump: semantic(parsePlainJson(gold)) });
      }
    });
  }
  it('is byte-identical to every golden dump (same images, same canonical encoding)', () => {
    expect(identical).toBe(runs.length);
  });
});
