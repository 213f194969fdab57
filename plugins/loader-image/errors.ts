/** The errors of the loader image plugin's stages (the image's own layout errors are `loaderError`s, core/loader/errors.ts). */
import { MicrokitError } from '../../core/errors/microkit-error.js';
import type { ImageType } from '../../core/build-types.js';

/** Upstream's B8. */
export function unsupportedImageType(type: ImageType, archDisplayName: string): MicrokitError {
  return new MicrokitError(
    'IMAGE_TYPE_UNSUPPORTED',
    `microkit: error: building the output image as '${type}' is unsupported for target architecture '${archDisplayName}'`,
  );
}

/** Upstream's own wording for the loader (not the SDK's `microkit: error:` form). */
export function loaderElfMissing(path: string): MicrokitError {
  return new MicrokitError('SDK_MISSING_FILE', `Error: loader ELF '${path}' does not exist`);
}

export function loaderNoSystem(): MicrokitError {
  return new MicrokitError('LOADER_NO_SYSTEM', 'microkit: error: the system was not placed in memory, so no loader image can be built');
}
