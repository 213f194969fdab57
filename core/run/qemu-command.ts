/**
 * The QEMU command line for an image: a preset's recipe with the image's
 * paths filled in, and the same command as a shell would take it (for
 * `--dry-run` and messages). Pure.
 */
import { dirname, relative } from 'node:path';
import type { QemuRecipe } from '../preset.js';

export interface QemuCommand {
  readonly program: string;
  readonly args: readonly string[];
}

export interface QemuPaths {
  /** The boot image (`-o`). */
  readonly image: string;
  /** Whether the config is an `smp-*` one (adds the recipe's smpArgs). */
  readonly smp: boolean;
}

/** `{image}` → the image, `{dir}` → its directory (x86 builds write sel4_32.elf there). */
export function qemuCommand(recipe: QemuRecipe, paths: QemuPaths): QemuCommand {
  const dir = dirname(paths.image);
  const fill = (arg: string): string => (dir === '.' ? arg.replaceAll('{dir}/', '') : arg.replaceAll('{dir}', dir)).replaceAll('{image}', paths.image);
  return { program: recipe.program, args: [...recipe.args, ...(paths.smp ? (recipe.smpArgs ?? []) : [])].map(fill) };
}

/** Paths inside `cwd` shown relative to it, so a printed command is short and still runs from there. */
export function relativeTo(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** POSIX shell quoting: bare when safe, else single-quoted. */
export function shellQuote(arg: string): string {
  return SAFE.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

export function formatCommand(cmd: QemuCommand): string {
  return [cmd.program, ...cmd.args].map(shellQuote).join(' ');
}
