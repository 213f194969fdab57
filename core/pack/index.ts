/**
 * Packing the capDL spec into the initialiser: the transform to the
 * initialiser's spec, its rkyv archive, and the ELF surgery on the
 * initialiser (upstream capdl/packaging.rs and capdl/initialiser.rs).
 */
export * from './types.js';
export {
  deflateRaw,
  frameDataSize,
  INITIALISER_GRANULE_BITS,
  INITIALISER_GRANULE_SIZE,
  INITIALISER_LOG_LEVEL_INFO,
  keepNamesForConfig,
  origCapSlots,
  PackError,
  specForInitialiser,
} from './for-initialiser.js';
export type { ElfContentResolver, ForInitialiserOptions, ForInitialiserResult } from './for-initialiser.js';
export { decodeSpec, encodeSpec, RkyvError } from './rkyv.js';
export {
  addExpectedUntypeds,
  bootModuleChunks,
  bootModuleSize,
  packInitialiser,
  PT_SEL4_CAPDL_FRAME_DATA,
  PT_SEL4_CAPDL_SPEC,
  segmentBytes,
  serialiseBootModule,
  writeSymbol,
} from './initialiser-elf.js';
export type { ExpectedUntyped, PackedInitialiser, PackedProgramHeader, PackedSegment, PackOptions } from './initialiser-elf.js';
