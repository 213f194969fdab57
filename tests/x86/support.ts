/**
 * Helpers for the x86 tests: look objects and caps up by name in a built
 * spec, and run the CLI in-process against a synthetic SDK made once per
 * board (so builds go through the same setup as a user's: preset options,
 * config file, SDK).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Cap, CapdlObject, CapTableEntry, NamedObject, Spec } from '../../core/capdl/spec.js';
import { stubProgramImage } from '../../core/sdk/stub-elfs.js';
import { synthesizeSdk } from '../../core/sdk/synthetic.js';
import { presetRegistry } from '../../presets/index.js';
import { cli, type CliRun } from '../support/cli.js';

/** The object called `name`; fails the test when there is none. */
export function named(spec: Spec, name: string): NamedObject & { id: number } {
  const id = [...spec.objects].findIndex((o) => o.name === name);
  expect(id, `no object '${name}'`).toBeGreaterThanOrEqual(0);
  return { ...spec.objects.get(id), id };
}

export function objectsOfType<T extends CapdlObject['type']>(spec: Spec, type: T): (NamedObject & { id: number; object: Extract<CapdlObject, { type: T }> })[] {
  return [...spec.objects].flatMap((o, id) => (o.object.type === type ? [{ ...o, id, object: o.object as Extract<CapdlObject, { type: T }> }] : []));
}

export function slotsOf(object: CapdlObject): CapTableEntry[] {
  expect('slots' in object, `${object.type} has no slots`).toBe(true);
  return (object as { slots: CapTableEntry[] }).slots;
}

/** The cap in `slot` of `object`, or undefined. */
export function capAt(object: CapdlObject, slot: number): Cap | undefined {
  return slotsOf(object).find((e) => e.slot === slot)?.cap;
}

/** Follow a chain of slots from `start` through table caps; returns the last cap. */
export function walk(spec: Spec, start: CapdlObject, path: readonly number[]): Cap | undefined {
  let object = start;
  let cap: Cap | undefined;
  for (const slot of path) {
    cap = capAt(object, slot);
    if (cap === undefined) return undefined;
    object = spec.objects.get(cap.object).object;
  }
  return cap;
}

/** IOVA → slot indices of the IOPT tree (IOSpace slot 0, then 9 bits per level: [38:30], [29:21], [20:12]). */
export function ioPath(iova: bigint): number[] {
  return [0, Number((iova >> 30n) & 0x1ffn), Number((iova >> 21n) & 0x1ffn), Number((iova >> 12n) & 0x1ffn)];
}

const sdks = new Map<string, string>();

/** A synthetic SDK (debug config only) for a preset board, made once per test process. */
export function sdkFor(board: string): string {
  let root = sdks.get(board);
  if (root === undefined) {
    root = mkdtempSync(join(tmpdir(), `mk-x86-sdk-${board}-`));
    synthesizeSdk({ registry: presetRegistry(), board, configs: ['debug'], outDir: root });
    sdks.set(board, root);
  }
  return root;
}

export interface Project {
  readonly dir: string;
  /** Run the CLI in the project directory. */
  run(argv: readonly string[], env?: Record<string, string | undefined>): Promise<CliRun>;
}

/**
 * A directory with a system file, stub program images (name → setvar
 * symbols) and, optionally, a microkit.config.json.
 */
export function project(files: { system: string; images: Record<string, readonly string[]>; config?: object }): Project {
  const dir = mkdtempSync(join(tmpdir(), 'mk-x86-'));
  writeFileSync(join(dir, 'x.system'), files.system);
  for (const [name, symbols] of Object.entries(files.images)) {
    writeFileSync(join(dir, name), stubProgramImage({ arch: 'x86_64', extraWordSymbols: [...symbols] }));
  }
  if (files.config !== undefined) writeFileSync(join(dir, 'microkit.config.json'), JSON.stringify(files.config));
  return { dir, run: (argv, env = {}) => cli(argv, { cwd: dir, env }) };
}
