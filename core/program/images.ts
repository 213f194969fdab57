/**
 * The ELFs a system runs: each PD's program image (found through the search
 * paths, optionally with a separate ELF for symbols) and the SDK's monitor,
 * loaded once and patched in place on every build iteration.
 */
import { readFileSync } from 'node:fs';
import { createImage, ElfError, loadableSegments, parseElf, patchedSegmentData, type ElfFile, type ElfImage, type ProgramHeader } from '../elf/index.js';
import { MicrokitError } from '../errors/microkit-error.js';
import type { SdfFileAccess } from '../sdf/context.js';
import type { SystemDescription } from '../sdf/model.js';

export interface ProgramImage {
  readonly image: ElfImage;
  readonly path: string;
  /** PT_LOAD segments, in file order (the index is what ElfContent's segment index counts). */
  readonly segments: readonly ProgramHeader[];
}

export interface SystemImages {
  /** One per PD, in PD order; the monitor is the last entry (its ELF id is the PD count). */
  readonly images: readonly ProgramImage[];
}

function readFile(path: string): Uint8Array {
  return readFileSync(path);
}

function loadElf(path: string, displayPath: string, requireSymbols = true): ElfFile {
  return parseElf(readFile(path), displayPath, { requireSymbols });
}

/** Upstream's B3/B4 for one PD. */
export function loadProgramImage(pdName: string, programImage: string, forSymbols: string | undefined, files: SdfFileAccess): ProgramImage {
  const path = files.resolve(programImage);
  if (path === undefined) throw new MicrokitError('PROGRAM_IMAGE_MISSING', `Error: unable to find program image: '${programImage}'`);
  let symbolsPath: string | undefined;
  if (forSymbols !== undefined) {
    symbolsPath = files.resolve(forSymbols);
    if (symbolsPath === undefined) throw new MicrokitError('PROGRAM_IMAGE_MISSING', `Error: unable to find program image for symbols: '${forSymbols}'`);
  }
  try {
    const elf = loadElf(path, path, symbolsPath === undefined);
    const symbols = symbolsPath === undefined ? elf : loadElf(symbolsPath, symbolsPath);
    return { image: createImage(elf, symbols), path, segments: loadableSegments(elf) };
  } catch (e) {
    if (e instanceof ElfError) {
      throw new MicrokitError('PROGRAM_IMAGE_INVALID', `ERROR: failed to parse ELF '${path}' for PD '${pdName}': ${e.reason}`);
    }
    throw e;
  }
}

/** An SDK ELF (kernel, monitor, initialiser, loader), with upstream's message when it is not a usable ELF. */
export function loadSdkElf(kind: 'initialiser' | 'kernel' | 'monitor' | 'loader', path: string): ElfFile {
  try {
    return loadElf(path, path);
  } catch (e) {
    if (e instanceof ElfError) throw new MicrokitError('SDK_ELF_INVALID', `ERROR: failed to parse ${kind} ELF (${path}): ${e.reason}`);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new MicrokitError('SDK_MISSING_FILE', `microkit: error: ${kind} ELF '${path}' does not exist`);
    throw e;
  }
}

export function loadSystemImages(system: SystemDescription, files: SdfFileAccess, monitorPath: string): SystemImages {
  const monitorElf = loadSdkElf('monitor', monitorPath);
  const images = system.protectionDomains.map((pd) => loadProgramImage(pd.name, pd.programImage, pd.programImageForSymbols, files));
  images.push({ image: createImage(monitorElf), path: monitorPath, segments: loadableSegments(monitorElf) });
  return { images };
}

/**
 * The current bytes of `range` of a loadable segment (patches applied, bss
 * as zeros): what an ELF-backed frame holds.
 */
export function segmentBytes(program: ProgramImage, segIndex: number, start: bigint, end: bigint): Uint8Array {
  const seg = program.segments[segIndex];
  const data = patchedSegmentData(program.image, seg);
  // Within the stored bytes a view will do (callers only read); past them is bss.
  if (Number(end) <= data.length) return data.subarray(Number(start), Number(end));
  const out = new Uint8Array(Number(end - start));
  const s = Number(start);
  const e = Math.min(Number(end), data.length);
  if (e > s) out.set(data.subarray(s, e), 0);
  return out;
}
