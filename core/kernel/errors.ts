/** The errors of a kernel config file (`--kernel-config`): one code, a function per shape of message. */
import { MicrokitError } from '../errors/microkit-error.js';

export function kernelConfigFieldInvalid(file: string, field: string, problem: string): MicrokitError {
  return new MicrokitError('KERNEL_CONFIG_INVALID', `microkit: error: kernel config '${file}': field '${field}' ${problem}`);
}

export function kernelConfigNotObject(file: string): MicrokitError {
  return new MicrokitError('KERNEL_CONFIG_INVALID', `microkit: error: kernel config '${file}' must be a JSON object`);
}

export function kernelConfigNotJson(file: string, reason: string): MicrokitError {
  return new MicrokitError('KERNEL_CONFIG_INVALID', `microkit: error: kernel config '${file}' is not valid JSON: ${reason}`);
}

export function kernelConfigMissing(file: string): MicrokitError {
  return new MicrokitError('KERNEL_CONFIG_MISSING', `microkit: error: kernel config '${file}' does not exist`);
}
