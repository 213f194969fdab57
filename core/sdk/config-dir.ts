/**
 * One board/config directory of an SDK: the files upstream requires, checked
 * in upstream's order with its messages, and the kernel facts read from it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SdkConfigDir } from '../build-types.js';
import type { MicrokitError } from '../errors/microkit-error.js';
import type { KernelConfig } from '../kernel/config.js';
import { parsePlainJson as parseJsonExact } from '../util/json-plain.js';
import { kernelConfigFromSdkFiles, type KernelFilesOrigin, type SdkKernelFiles } from './kernel-files.js';
import { sdkBadJson, sdkMissingFile, sdkReadFailed } from './errors.js';

export interface SdkElfPaths {
  readonly elfDir: string;
  readonly kernel: string;
  readonly kernel32: string;
  readonly monitor: string;
  readonly initialiser: string;
  readonly loader: string;
}

export function sdkElfPaths(dir: SdkConfigDir, overrideKernel?: string): SdkElfPaths {
  const elfDir = join(dir.dir, 'elf');
  const kernel = overrideKernel ?? join(elfDir, 'sel4.elf');
  return {
    elfDir,
    kernel,
    // Upstream looks for the 32-bit kernel next to the kernel actually used.
    kernel32: join(kernel, '..', 'sel4_32.elf'),
    monitor: join(elfDir, 'monitor.elf'),
    initialiser: join(elfDir, 'initialiser.elf'),
    loader: join(elfDir, 'loader.elf'),
  };
}

export function missingFile(description: string, path: string): MicrokitError {
  return sdkMissingFile(description, path);
}

export function requireFile(description: string, path: string): void {
  if (!existsSync(path)) throw missingFile(description, path);
}

/** Upstream's first checks of a full build (B1), in its order. */
export function requireSdkBuildFiles(dir: SdkConfigDir, elfs: SdkElfPaths): void {
  requireFile('board ELF directory', elfs.elfDir);
  requireFile('kernel ELF', elfs.kernel);
  requireFile('monitor ELF', elfs.monitor);
  requireFile('CapDL initialiser ELF', elfs.initialiser);
  requireFile('kernel configuration file', join(dir.dir, 'include/kernel/gen_config.json'));
  requireFile('invocations JSON file', join(dir.dir, 'invocations_all.json'));
}

function readJson(description: string, path: string): unknown {
  requireFile(description, path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw sdkReadFailed(description, path, (e as Error).message);
  }
  let doc: unknown;
  try {
    doc = parseJsonExact(text);
  } catch (e) {
    throw sdkBadJson(description, path, (e as Error).message);
  }
  // Every SDK kernel file is one object; `null` or a list was an internal error further on.
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw sdkBadJson(description, path, 'expected a JSON object');
  return doc;
}

/** The kernel files of an SDK config directory as they are, and where they are. */
export function readSdkKernelFiles(dir: SdkConfigDir): { files: SdkKernelFiles; origin: KernelFilesOrigin } {
  const genConfigPath = join(dir.dir, 'include/kernel/gen_config.json');
  const objectSizesPath = join(dir.dir, 'object_sizes.json');
  const addressSpacePath = join(dir.dir, 'address_space_constants.json');
  const genConfig = readJson('kernel configuration file', genConfigPath) as SdkKernelFiles['genConfig'];
  const isX86 = (genConfig as Record<string, unknown>).SEL4_ARCH === 'x86_64';
  const platformGenPath = join(dir.dir, 'platform_gen.json');
  const platformGen = isX86 ? undefined : (readJson('kernel platform configuration file', platformGenPath) as SdkKernelFiles['platformGen']);
  const files: SdkKernelFiles = {
    genConfig,
    objectSizes: numbersOf(readJson('kernel object sizes file', objectSizesPath)),
    addressSpaceConstants: readJson('kernel address space constants file', addressSpacePath) as SdkKernelFiles['addressSpaceConstants'],
    platformGen,
  };
  return { files, origin: { genConfigPath, objectSizesPath, addressSpacePath, platformGenPath: isX86 ? undefined : platformGenPath } };
}

/** Read the kernel facts of an SDK config directory. */
export function readSdkKernelConfig(dir: SdkConfigDir): KernelConfig {
  const { files, origin } = readSdkKernelFiles(dir);
  return kernelConfigFromSdkFiles(files, dir.config, origin);
}

/** object_sizes.json holds small integers; the exact parser gives bigints. */
function numbersOf(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = typeof x === 'bigint' ? Number(x) : (x as number);
  return out;
}
