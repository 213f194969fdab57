/**
 * Finding a Microkit SDK and its boards/configs, with upstream's messages.
 * Upstream: `$MICROKIT_SDK`, else the grandparent of the executable. We use
 * `$MICROKIT_SDK`, else the config file's `sdk`; with neither, boards come
 * from presets.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { MicrokitError } from '../errors/microkit-error.js';
import { sdkDiscoveryFailed } from './errors.js';

export interface SdkBoard {
  readonly name: string;
  readonly dir: string;
  /** Config names, sorted (upstream lists them in directory order). */
  readonly configs: readonly string[];
}

export interface Sdk {
  readonly root: string;
  /** Sorted by name, as upstream. */
  readonly boards: readonly SdkBoard[];
  /** True when the tool generated it (stub ELFs). */
  readonly synthetic: boolean;
}

function sdkError(message: string): MicrokitError {
  return sdkDiscoveryFailed(message);
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function subdirectories(path: string): string[] {
  let names: string[];
  try {
    names = readdirSync(path);
  } catch (e) {
    throw sdkError(`The directory '${path}' could not be read: ${(e as Error).message}`);
  }
  return names.filter((n) => isDir(join(path, n))).sort();
}

/**
 * @param fromEnv true when the path came from MICROKIT_SDK (upstream's wording differs).
 */
export function discoverSdk(root: string, fromEnv: boolean, synthetic = false): Sdk {
  if (!existsSync(root) || !isDir(root)) {
    throw sdkError(fromEnv ? `The MICROKIT_SDK directory '${root}' does not exist` : `The SDK directory '${root}' does not exist`);
  }
  const boardDir = join(root, 'board');
  if (!isDir(boardDir)) throw sdkError(`The SDK directory does not have a 'board' sub-directory at '${boardDir}'`);
  const boards = subdirectories(boardDir).map((name) => {
    const dir = join(boardDir, name);
    return { name, dir, configs: subdirectories(dir) };
  });
  return { root, boards, synthetic };
}

export function sdkBoard(sdk: Sdk, name: string): SdkBoard | undefined {
  return sdk.boards.find((b) => b.name === name);
}
