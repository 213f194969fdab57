/** The errors of the x86 boot-module plugin: one named function per code. */
import { MicrokitError } from '../../core/errors/microkit-error.js';

export function bootModuleKernelCopyFailed(what: string, reason: string): MicrokitError {
  return new MicrokitError('BOOT_MODULE_KERNEL', `ERROR: couldn't copy the ${what} to image's output directory: ${reason}`);
}

export function bootModuleNoSystem(): MicrokitError {
  return new MicrokitError('BOOT_MODULE_NO_SYSTEM', 'microkit: error: no initialiser was built');
}
