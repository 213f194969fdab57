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

/** @param output the path as the user gave it (messages name it so). */
export function writeOutputFile(output: string, cwd: string, inputs: readonly NamedPath[], produce: (emit: (chunk: OutputChunk) => void) => void): void {
  // An empty name is no file; a trailing separator names a directory (open(2)); resolve() would lose both.
  if (output === '') throw fileAccessError('OUTPUT_WRITE', 'write', output, 'no such file or directory', undefined);
  if (/[\\/]$/.test(output)) throw fileAccessError('OUTPUT_WRITE', 'write', output, 'is a directory', undefined);
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
