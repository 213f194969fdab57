/** The errors of the Microkit SDK (discovery, its JSON and ELF files, synthesis): one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';

/** @param description what the file is, e.g. `kernel ELF`, `kernel config`. */
export function sdkMissingFile(description: string, path: string): MicrokitError {
  return new MicrokitError('SDK_MISSING_FILE', `microkit: error: ${description} '${path}' does not exist`);
}

export function sdkElfInvalid(kind: string, path: string, reason: string): MicrokitError {
  return new MicrokitError('SDK_ELF_INVALID', `ERROR: failed to parse ${kind} ELF (${path}): ${reason}`);
}

export function sdkReadFailed(description: string, path: string, reason: string): MicrokitError {
  return new MicrokitError('SDK_READ', `microkit: error: could not read ${description} '${path}': ${reason}`);
}

export function sdkBadJson(description: string, path: string, reason: string): MicrokitError {
  return new MicrokitError('SDK_BAD_JSON', `microkit: error: Unable to parse ${description} '${path}': ${reason}`);
}

/** @param origin which SDK file, e.g. `kernel config file '…/kernel.json'`. */
export function sdkBadKernelConfig(origin: string, problem: string): MicrokitError {
  return new MicrokitError('SDK_BAD_KERNEL_CONFIG', `microkit: error: ${origin}: ${problem}`);
}

export function sdkUnsupportedArch(origin: string, arch: string): MicrokitError {
  return new MicrokitError('SDK_UNSUPPORTED_ARCH', `microkit: error: ${origin}: unsupported architecture '${arch}'`);
}

export function sdkUnsupportedWordSize(origin: string, wordSize: number): MicrokitError {
  return new MicrokitError('SDK_UNSUPPORTED_WORD_SIZE', `microkit: error: ${origin}: word size ${wordSize} is not supported (64-bit kernels only)`);
}

export function sdkDiscoveryFailed(message: string): MicrokitError {
  return new MicrokitError('SDK_DISCOVERY', `microkit: error: ${message}`);
}

export function sdkSynthesisFailed(message: string): MicrokitError {
  return new MicrokitError('SDK_SYNTHESIS', `microkit: error: ${message}`);
}
