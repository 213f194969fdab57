/**
 * Finding a Microkit SDK and its boards/configs, with upstream's messages.
 * Upstream: `$MICROKIT_SDK`, else the grandparent of the executable. We use
 * `$MICROKIT_SDK`, else the config file's `sdk`; with neither, boards come
 * from presets.
 */
import { existsSync, opendirSync, statSync } from 'node:fs';
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

/**
 * The directories in `path`, in the order the file system lists them (readdir(3), as Rust's
 * `read_dir`; Node's readdirSync sorts): upstream lists a board's configs in that order in
 * `invalid choice` and sorts only the boards.
 */
function subdirectories(path: string): string[] {
  const names: string[] = [];
  try {
    const dir = opendirSync(path);
    try {
      for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) names.push(entry.name);
    } finally {
      dir.closeSync();
    }
  } catch (e) {
    throw sdkError(`The directory '${path}' could not be read: ${(e as Error).message}`);
  }
  return names.filter((n) => isDir(join(path, n)));
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
  const boards = subdirectories(boardDir)
    .sort()
    .map((name) => {
      const dir = join(boardDir, name);
      return { name, dir, configs: subdirectories(dir) };
    });
  return { root, boards, synthetic };
}

export function sdkBoard(sdk: Sdk, name: string): SdkBoard | undefined {
  return sdk.boards.find((b) => b.name === name);
}
