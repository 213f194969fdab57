/**
 * Test helper: the upstream tool's reference outputs under
 * /work/shared/conformance/examples/golden and the SDK object sizes they were
 * built with. Tests skip themselves when these folders are not present.
 */

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchName, ObjectSizes } from '../../core/kernel/config.js';

export const GOLDEN_DIR = '/work/shared/conformance/examples/golden';
export const SDK_BOARD_DIR = '/work/shared/sdk/board';

export interface GoldenRun {
  /** `<board>/<config>/<example>`, for test names. */
  readonly id: string;
  readonly dir: string;
  readonly board: string;
  readonly config: string;
  readonly arch: ArchName;
}

export function boardArch(board: string): ArchName {
  if (board.startsWith('x86_64')) return 'x86_64';
  if (board.includes('riscv64')) return 'riscv64';
  if (board.includes('aarch64')) return 'aarch64';
  throw new Error(`unknown architecture for board ${board}`);
}

function subdirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every golden run that produced a capdl.json (failed runs have none). */
export function goldenRuns(): GoldenRun[] {
  if (!existsSync(GOLDEN_DIR)) return [];
  const runs: GoldenRun[] = [];
  for (const board of subdirs(GOLDEN_DIR)) {
    for (const config of subdirs(join(GOLDEN_DIR, board))) {
      for (const example of subdirs(join(GOLDEN_DIR, board, config))) {
        const dir = join(GOLDEN_DIR, board, config, example);
        if (!existsSync(join(dir, 'capdl.json'))) continue;
        runs.push({ id: `${board}/${config}/${example}`, dir, board, config, arch: boardArch(board) });
      }
    }
  }
  return runs;
}

export function readGolden(run: GoldenRun, file: 'capdl.json' | 'report.txt'): string {
  return readFileSync(join(run.dir, file), 'utf8');
}

/** The SDK's object_sizes.json for the run's board and config, or null without an SDK. */
export function sdkObjectSizes(run: GoldenRun): ObjectSizes | null {
  const path = join(SDK_BOARD_DIR, run.board, run.config, 'object_sizes.json');
  if (!existsSync(path)) return null;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, number>;
  return {
    tcb: raw.tcb,
    endpoint: raw.endpoint,
    notification: raw.notification,
    reply: raw.reply,
    smallPage: raw.small_page,
    largePage: raw.large_page,
    hugePage: raw.huge_page,
    asidPool: raw.asid_pool,
    vspace: raw.vspace,
    pageTable: raw.page_table,
    vcpu: raw.vcpu,
    ioPageTable: raw.io_page_table,
  };
}
