/** A throw-away hello project for the reliability tests, its build, and what every clean failure looks like. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { syntheticSdk } from '../support/build.js';
import { cli, type CliRun } from '../support/cli.js';

export const BOARD = 'qemu_virt_aarch64';
export const HELLO = '<system><protection_domain name="hello"><program_image path="hello.elf"/></protection_domain></system>';

/** A new directory with `hello.system` (or `system`) and an AArch64 `hello.elf`. */
export function workspace(system = HELLO): string {
  const dir = mkdtempSync(join(tmpdir(), 'mk-rel-'));
  writeFileSync(join(dir, 'hello.system'), system);
  writeFileSync(join(dir, 'hello.elf'), stubProgramImage({ arch: 'aarch64' }));
  return dir;
}

/** `microkit hello.system` for the board, debug, with its synthetic SDK, plus `extra`. */
export async function build(dir: string, ...extra: string[]): Promise<CliRun> {
  return cli(['hello.system', '--board', BOARD, '--config', 'debug', ...extra], { cwd: dir, env: { MICROKIT_SDK: syntheticSdk(BOARD) } });
}

/** The properties every failure has: exit 1, the expected first line, no internal error, stack or staged file name. */
export function expectCleanFailure(run: CliRun, first: RegExp | string): void {
  expect(run.code, run.stderr).toBe(1);
  const line = run.stderr.split('\n')[0];
  if (typeof first === 'string') expect(line).toBe(first);
  else expect(line).toMatch(first);
  expect(run.stderr).not.toMatch(/internal error|\.partial-\d+|^\s+at /m);
}
