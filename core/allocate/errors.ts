/** The errors of the allocate stage: one named function per code. */
import { MicrokitError } from '../errors/microkit-error.js';

export function buildNeedsSdk(): MicrokitError {
  return new MicrokitError(
    'BUILD_NEEDS_SDK',
    "microkit: error: building needs a Microkit SDK: set MICROKIT_SDK, or `sdk` in microkit.config.ts (a path, or 'synthetic' for stub ELFs that do not boot)",
  );
}

export function archNoSpec(arch: string): MicrokitError {
  return new MicrokitError('ARCH_NO_SPEC', `microkit: error: the '${arch}' plugin cannot build specs`);
}

export function buildNoConvergence(iterations: number): MicrokitError {
  return new MicrokitError('BUILD_NO_CONVERGENCE', `ERROR: fatal, failed to build system in ${iterations} iterations`);
}
