/** The errors of launching QEMU for `microkit run`: one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';

export function qemuMissing(program: string, qemuPackage: string): MicrokitError {
  return new MicrokitError(
    'RUN_QEMU_MISSING',
    `microkit: error: '${program}' was not found on PATH\n` +
      `QEMU provides it: on Debian or Ubuntu, \`apt-get install ${qemuPackage}\`; or use --dry-run to print the command`,
  );
}

export function qemuStartFailed(program: string, reason: string): MicrokitError {
  return new MicrokitError('RUN_QEMU_FAILED', `microkit: error: could not start '${program}': ${reason}`);
}
