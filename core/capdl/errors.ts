/** The errors of building the capDL spec: one named function per code. Addresses come formatted by the caller. */
import { MicrokitError } from '../errors/microkit-error.js';
import { formatLocation, type SourceLocation } from '../sdf/location.js';
import { mainError } from '../util/rust-debug.js';

export function specNoObjectSizes(): MicrokitError {
  return new MicrokitError('SPEC_NO_OBJECT_SIZES', 'microkit: error: the kernel facts have no object sizes');
}

export function specElfSegmentsOverlap(path: string, page: string, reason: string): MicrokitError {
  return new MicrokitError('SPEC_ELF_SEGMENTS_OVERLAP', `ERROR: the ELF segments of '${path}' share the page at ${page}: ${reason}`);
}

export function specMapOverlapsElf(mr: string, pdName: string, start: string, end: string, segStart: string, segEnd: string): MicrokitError {
  return new MicrokitError(
    'SPEC_MAP_OVERLAPS_ELF',
    // Returned up to upstream's main, which prints it as `Error: "…"`.
    mainError(`ERROR: mapping MR '${mr}' to PD '${pdName}' with vaddr [${start}..${end}) will overlap with an ELF segment at [${segStart}..${segEnd})`),
  );
}

export function specDuplicateObjectName(name: string): MicrokitError {
  return new MicrokitError(
    'SPEC_DUPLICATE_OBJECT_NAME',
    `Error: two kernel objects would both be named '${name}'; rename one of the protection domains, virtual machines or memory regions involved`,
  );
}

export function specInvalidTable(type: string, level: number, space: string): MicrokitError {
  return new MicrokitError('SPEC_INVALID_TABLE', `Error: found an invalid object ${type} at level ${level} in address-space ${space}!`);
}

/** Upstream's wording when a map does not fit (B7). */
export function specMapFailed(element: string, mr: string, space: string, addrName: string, addr: string, reason: string): MicrokitError {
  return new MicrokitError('SPEC_MAP_FAILED', `Error: failed to map ${element} for MR '${mr}' into address-space '${space}' at ${addrName} ${addr}: ${reason}`);
}

/** A loadable segment no board could hold (region-bounds.ts). */
export function elfSegmentTooLarge(image: string, pdName: string, index: number, why: string): MicrokitError {
  return new MicrokitError('ELF_SEGMENT_TOO_LARGE', `ERROR: program image '${image}' for PD '${pdName}': loadable segment ${index} ${why}`);
}

export function mrTooLarge(name: string, why: string, location: SourceLocation): MicrokitError {
  return new MicrokitError('MR_TOO_LARGE', `ERROR: memory region '${name}' ${why}\n  --> ${formatLocation(location)}`, { location });
}
