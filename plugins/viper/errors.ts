/** The errors of the Viper output plugin: one named function per code. */
import { MicrokitError } from '../../core/errors/microkit-error.js';

export function viperNoSpec(): MicrokitError {
  return new MicrokitError('VIPER_NO_SPEC', 'microkit: error: no capDL spec was built');
}

/** @param reason Rust's rendering of the I/O error, as upstream prints it. */
export function viperOutputDirFailed(dir: string, reason: string, cause: unknown): MicrokitError {
  return new MicrokitError('VIPER_OUTPUT_DIR', `ERROR: cannot write Viper output directory ${dir}: ${reason}`, { cause });
}

export function viperOutputFileFailed(path: string, reason: string, cause: unknown): MicrokitError {
  return new MicrokitError('VIPER_OUTPUT_FILE', `ERROR: cannot write Viper output file ${path}: ${reason}`, { cause });
}
