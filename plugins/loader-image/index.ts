/**
 * The Microkit loader image for ARM and RISC-V, as pure functions.
 *
 * A `loaderImage()` plugin (to come, once the build state it reads is
 * settled) will, in the emit stage of an ARM/RISC-V build: load the SDK's
 * `loader.elf` (`loadSdkElf('loader', …)`), take the kernel ELF, the kernel
 * facts, the packed initialiser (its loadable segments, entry, footprint and
 * the physical base the allocator chose) and the registered architecture's
 * {@link LoaderArchSupport}; call {@link buildLoaderImage} with the resolved
 * image type; stage the bytes as the `-o` output; and print
 * {@link loaderImageSizeLine} of the file size.
 */
import type { ImageType } from '../../core/build-types.js';
import { humanSizeStrict } from '../../core/util/human-size.js';
import { loaderError } from '../../core/loader/boot-tables.js';
import { joinImage, loaderBinaryChunks, loaderElfChunks, loaderUImageChunks, type ImageChunks } from './formats.js';
import { layoutLoader } from './layout.js';
import type { LoaderArchSupport, LoaderImageInput } from './types.js';

export * from './types.js';
export { hasLoaderSymbol, loaderSymbol, PAGE_TABLE_BYTES, PAGE_TABLE_ENTRIES, PageTableBuffer } from '../../core/loader/boot-tables.js';
export {
  IH_COMP_NONE,
  IH_MAGIC,
  IH_OS_LINUX,
  IH_TYPE_KERNEL,
  LINUX_RISCV_HEADER_SIZE,
  UIMAGE_HEADER_SIZE,
  UIMAGE_NAME,
  joinImage,
  loaderBinary,
  loaderBinaryChunks,
  loaderElf,
  loaderElfChunks,
  loaderUImage,
  loaderUImageChunks,
} from './formats.js';
export type { ImageChunks } from './formats.js';
export {
  LOADER_HEADER_SIZE,
  LOADER_MAGIC_64,
  LOADER_REGION_SIZE,
  LOADER_REGION_TYPE,
  layoutLoader,
  payloadChunks,
  payloadSize,
  writePayload,
} from './layout.js';

/** Whether the architecture can produce a loader image of this type. */
export function supportsImageType(arch: LoaderArchSupport, imageType: ImageType): boolean {
  return imageType !== 'uimage' || arch.uimageArch !== undefined;
}

/** The loader image file, in the requested container, as chunks to write in order (nothing large is copied). */
export function buildLoaderImageChunks(input: LoaderImageInput): ImageChunks {
  const { arch, imageType } = input;
  if (!supportsImageType(arch, imageType)) {
    throw loaderError('LOADER_IMAGE_TYPE', `building the output image as '${imageType}' is unsupported for this architecture`);
  }
  const layout = layoutLoader(input);
  switch (imageType) {
    case 'binary':
      return loaderBinaryChunks(layout);
    case 'elf':
      return loaderElfChunks(layout);
    case 'uimage':
      return loaderUImageChunks(layout, arch.uimageArch!, input.outputPath);
  }
}

/** The loader image file's bytes in one buffer ({@link buildLoaderImageChunks} joined). */
export function buildLoaderImage(input: LoaderImageInput): Uint8Array {
  return joinImage(buildLoaderImageChunks(input), 'loader image');
}

/** Upstream's stdout line after writing the image. */
export function loaderImageSizeLine(fileSize: bigint | number): string {
  return `MICROKIT|LOADER: image file size = ${humanSizeStrict(BigInt(fileSize))}`;
}
