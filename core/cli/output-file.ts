/**
 * The one output file of a command other than the build (`inspect -o`,
 * `graph -o`): staged and renamed as the build's outputs are (a failure
 * leaves no partial file; a device or FIFO is written directly, never
 * replaced), refused when it names one of the command's inputs.
 */
import { resolve } from 'node:path';
import { StagedOutputs, type OutputChunk } from '../output.js';
import { fileAccessError } from '../util/errors.js';
import { checkOutputConflicts, type NamedPath } from './output-conflicts.js';

/**
 * Refuse an output name that names no file, as open(2) would: an empty name (ENOENT) and, for a file
 * output, a trailing separator (a directory). resolve() would turn both into another path.
 */
export function checkOutputName(given: string, kind: 'file' | 'directory' = 'file'): void {
  if (given === '') throw fileAccessError('OUTPUT_WRITE', 'write', given, 'no such file or directory', undefined);
  if (kind === 'file' && /[\\/]$/.test(given)) throw fileAccessError('OUTPUT_WRITE', 'write', given, 'is a directory', undefined);
}

/** @param output the path as the user gave it (messages name it so). */
export function writeOutputFile(output: string, cwd: string, inputs: readonly NamedPath[], produce: (emit: (chunk: OutputChunk) => void) => void): void {
  checkOutputName(output);
  const path = resolve(cwd, output);
  checkOutputConflicts([{ given: output, path, role: 'the output (-o)' }], inputs);
  const outputs = new StagedOutputs(() => output);
  try {
    outputs.write(path, produce);
    outputs.commit();
  } finally {
    outputs.discard();
  }
}
