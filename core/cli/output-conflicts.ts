/**
 * Outputs that would destroy each other or an input: `-o x -r x` left only
 * the last one written, `-r hello.elf` or `-o hello.system` replaced an input
 * of the build with an output. Upstream writes them regardless; we refuse
 * before anything is written (docs/compat.md). Devices and FIFOs
 * (`-o /dev/null -r /dev/null`) are streams, not files, and never conflict.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MicrokitError } from '../errors/microkit-error.js';
import { fileAccessError } from '../util/errors.js';

/** One output or input: what the user called it, where it resolves, and what it is (for messages). */
export interface NamedPath {
  readonly given: string;
  readonly path: string;
  readonly role: string;
}

/** The identity of a file: device and inode when it exists (links and `./x` spellings agree), else its path; undefined for a stream. */
export function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return `path:${resolve(path)}`;
  }
}

function conflict(output: NamedPath, other: NamedPath): MicrokitError {
  return fileAccessError('OUTPUT_WRITE', 'write', output.given, `it is also ${other.role}`, undefined);
}

/** The first output that is the same file as an earlier output or as an input. */
export function checkOutputConflicts(outputs: readonly NamedPath[], inputs: readonly NamedPath[]): void {
  const seen = new Map<string, NamedPath>();
  for (const input of inputs) {
    const id = fileIdentity(input.path);
    if (id !== undefined && !seen.has(id)) seen.set(id, input);
  }
  for (const output of outputs) {
    const id = fileIdentity(output.path);
    if (id === undefined) continue;
    const other = seen.get(id);
    if (other !== undefined) throw conflict(output, other);
    seen.set(id, output);
  }
}

/** The output a file found through the search paths would be (a program image or prefill file named as an output), if any. */
export function outputNamed(outputs: readonly NamedPath[], path: string): NamedPath | undefined {
  const id = fileIdentity(path);
  return id === undefined ? undefined : outputs.find((o) => fileIdentity(o.path) === id);
}
