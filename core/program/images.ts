/**
 * The ELFs a system runs: each PD's program image (found through the search
 * paths, optionally with a separate ELF for symbols) and the SDK's monitor,
 * loaded once and patched in place on every build iteration.
 */
import { createImage, ElfError, loadableSegments, parseElf, patchedSegmentData, type ElfFile, type ElfImage, type ProgramHeader } from '../elf/index.js';
import { EM_AARCH64, EM_RISCV, EM_X86_64 } from '../elf/types.js';
import type { ArchName } from '../kernel/config.js';
import { formatLocation, type SourceLocation } from '../sdf/location.js';
import { fileError, isErrno, readInputFile } from '../util/fs-error.js';
import type { MicrokitError } from '../errors/microkit-error.js';
import type { SdfFileAccess } from '../sdf/context.js';
import type { SystemDescription } from '../sdf/model.js';
import { programImageInvalid, programImageMissing, programImageWrongMachine } from './errors.js';
import { sdkElfInvalid, sdkMissingFile } from '../sdk/errors.js';
import { mainError } from '../util/rust-debug.js';
import { rustIoError } from '../util/rust-io-error.js';

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
  return readInputFile(path);
}

function loadElf(path: string, displayPath: string, requireSymbols = true): ElfFile {
  return parseElf(readFile(path), displayPath, { requireSymbols });
}

const MACHINES: Readonly<Record<ArchName, number>> = { aarch64: EM_AARCH64, riscv64: EM_RISCV, x86_64: EM_X86_64 };
const MACHINE_NAMES: Readonly<Record<number, string>> = {
  [EM_AARCH64]: 'AArch64',
  [EM_RISCV]: 'RISC-V',
  [EM_X86_64]: 'x86-64',
  3: 'x86 (32-bit)',
  40: 'ARM (32-bit)',
};

/** Where a `<program_image>` came from, for messages (optional: API callers may have no SDF). */
export interface ProgramImageSource {
  readonly location?: SourceLocation;
  /** The board's architecture: an ELF for another machine is refused (upstream accepts it silently). */
  readonly arch?: ArchName;
}

/** Upstream's B3/B4 for one PD. */
export function loadProgramImage(
  pdName: string,
  programImage: string,
  forSymbols: string | undefined,
  files: SdfFileAccess,
  source: ProgramImageSource = {},
): ProgramImage {
  const path = files.resolve(programImage);
  if (path === undefined) throw missingImage(mainError(`unable to find program image: '${programImage}'`), programImage, files, source);
  let symbolsPath: string | undefined;
  if (forSymbols !== undefined) {
    symbolsPath = files.resolve(forSymbols);
    if (symbolsPath === undefined) throw missingImage(mainError(`unable to find program image for symbols: '${forSymbols}'`), forSymbols, files, source);
  }
  // Upstream names a file as its search found it (`build/hello.elf`, the search path as given).
  const shown = files.shown?.(programImage) ?? path;
  try {
    const elf = loadElf(path, shown, symbolsPath === undefined);
    checkMachine(elf, path, pdName, source);
    const symbols = symbolsPath === undefined ? elf : loadElf(symbolsPath, (forSymbols !== undefined && files.shown?.(forSymbols)) || symbolsPath);
    return { image: createImage(elf, symbols), path, segments: loadableSegments(elf) };
  } catch (e) {
    if (e instanceof ElfError) throw programImageInvalid(shown, pdName, e.reason, at(source), source.location);
    // A device is ours to refuse (upstream would read /dev/zero until memory runs out); other failures are upstream's.
    if (isErrno(e) && e.code === 'ENOTREG') throw fileError('PROGRAM_IMAGE_UNREADABLE', `read program image for PD '${pdName}' from`, path, e);
    if (isErrno(e)) throw programImageInvalid(shown, pdName, `failed to read ELF: ${rustIoError(e)}`, at(source), source.location);
    throw e;
  }
}

function at(source: ProgramImageSource): string {
  return source.location ? `\n  --> ${formatLocation(source.location)}` : '';
}

/** Upstream's first line, then where the SDF asked for it and where we looked. */
function missingImage(first: string, wanted: string, files: SdfFileAccess, source: ProgramImageSource): MicrokitError {
  const searched = files.searched?.(wanted) ?? [];
  const lines = [first];
  if (source.location) lines.push(`  --> ${formatLocation(source.location)}`);
  if (searched.length > 0) lines.push(`  searched: ${searched.join(', ')}`);
  return programImageMissing(lines, source.location);
}

function checkMachine(elf: ElfFile, path: string, pdName: string, source: ProgramImageSource): void {
  if (source.arch === undefined) return;
  const expected = MACHINES[source.arch];
  const actual = elf.header.machine;
  if (actual === expected) return;
  const name = MACHINE_NAMES[actual] ?? `machine ${actual}`;
  throw programImageWrongMachine(path, pdName, name, actual, MACHINE_NAMES[expected], at(source), source.location);
}

/** An SDK ELF (kernel, monitor, initialiser, loader), with upstream's message when it is not a usable ELF. */
export function loadSdkElf(kind: 'initialiser' | 'kernel' | 'monitor' | 'loader', path: string): ElfFile {
  try {
    return loadElf(path, path);
  } catch (e) {
    if (e instanceof ElfError) throw sdkElfInvalid(kind, path, e.reason);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw sdkMissingFile(`${kind} ELF`, path);
    if (isErrno(e)) throw fileError('SDK_ELF_UNREADABLE', `read ${kind} ELF`, path, e);
    throw e;
  }
}

export function loadSystemImages(system: SystemDescription, files: SdfFileAccess, monitorPath: string, arch?: ArchName): SystemImages {
  const monitorElf = loadSdkElf('monitor', monitorPath);
  const images = system.protectionDomains.map((pd) =>
    loadProgramImage(pd.name, pd.programImage, pd.programImageForSymbols, files, { location: pd.programImageLocation, arch }),
  );
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
