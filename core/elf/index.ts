/**
 * ELF64 little-endian reading, symbol patching and writing, in plain
 * TypeScript. Hand-written on purpose: no maintained npm ELF library supports
 * 64-bit reading together with symbol writes and emitting new ELF files, and
 * native code is off the table.
 */
export * from './types.js';
export { fileRange, highestVaddr, loadableSegments, lowestVaddr, parseElf, readProgramHeaderEntry, sectionData, segmentData } from './read.js';
export type { ParseOptions } from './read.js';
export {
  createImage,
  findSymbol,
  patchedSegmentData,
  readBytes,
  readSymbolBytes,
  readSymbolWord,
  requireSymbol,
  segmentFor,
  writeBytes,
  writeSymbolBytes,
  writeSymbolWord,
} from './symbols.js';
export type { SymbolLookup } from './symbols.js';
export { writeElf } from './write.js';
export type { ElfSpec, ExtraHeaderSpec, HeaderTarget, SectionSpec, SegmentSpec, SymbolSpec } from './write.js';
export { elfToSpec, reserialiseElf } from './reserialise.js';
export type { ElfModifications } from './reserialise.js';
