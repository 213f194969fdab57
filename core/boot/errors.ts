/** The errors of the boot emulation (kernel boot, initialiser placement, untyped allocation): one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';

/** @param lines upstream's lines: what ran out, then its closing line. */
export function allocationFailed(lines: readonly string[]): MicrokitError {
  return new MicrokitError('ALLOCATION_FAILED', lines.join('\n'));
}

/** @param lines upstream's lines: the size not found, then the free regions. */
export function initialiserPlacementFailed(lines: readonly string[]): MicrokitError {
  return new MicrokitError('INITIALISER_PLACEMENT', lines.join('\n'));
}

/** @param lines upstream's lines: the memory region, what was placed before, the free regions. */
export function mrAutoPlacementFailed(lines: readonly string[]): MicrokitError {
  return new MicrokitError('MR_AUTO_PLACEMENT', lines.join('\n'));
}

export function kernelSymbolMissing(name: string): MicrokitError {
  return new MicrokitError('KERNEL_SYMBOL', `Could not find '${name}' symbol`);
}

export function noRootserverRegion(): MicrokitError {
  return new MicrokitError('BOOT_NO_ROOTSERVER_REGION', "Couldn't find appropriate region for initial task kernel objects");
}

/**
 * The platform's normal memory does not hold the kernel image: a board's facts (platform_gen.json or a
 * --kernel-config `platform.memory`) that do not describe its RAM. Upstream panics in its region list.
 */
export function kernelImageOutsideMemory(image: string, memory: string): MicrokitError {
  return new MicrokitError(
    'BOOT_KERNEL_OUTSIDE_MEMORY',
    `microkit: error: the kernel image ${image} is not inside one range of the platform's normal memory (${memory})\n` +
      "The platform memory (the SDK's platform_gen.json, or --kernel-config's platform.memory) must hold the kernel's physical image",
  );
}
