/**
 * Types of `microkit inspect`: what it is given (the image and, optionally,
 * the SDK's ELFs for masking and cross-checks) and what it finds.
 */
import { MicrokitError } from '../errors/microkit-error.js';
import type { SpecForInitializer } from '../pack/types.js';
import type { DumpJson } from './canonical-json.js';

export type ImageKind = 'binary' | 'elf' | 'uimage' | 'x86-boot-module';
export type ImageArch = 'aarch64' | 'riscv64' | 'x86_64' | 'unknown';

/** The SDK board/config ELFs that sharpen a dump: masked hashes, patched symbols, cross-checks. */
export interface SdkElfBytes {
  readonly initialiser?: Uint8Array;
  readonly kernel?: Uint8Array;
  readonly loader?: Uint8Array;
}

export interface InspectOptions {
  /** Architecture of a raw binary image; otherwise taken from the SDK kernel's machine. */
  readonly arch?: ImageArch;
  readonly elfs?: SdkElfBytes;
}

/** One loader region, as the summary shows it. */
export interface LoaderRegionInfo {
  readonly loadAddr: bigint;
  readonly size: bigint;
  readonly role: 'kernel' | 'initialiser';
  /** Initialiser virtual address (initialiser regions only). */
  readonly vaddr?: bigint;
  /** Which initialiser segment it holds, if a special one. */
  readonly covers?: 'spec' | 'frame_data' | 'phdrs';
}

export interface ImageInspection {
  readonly kind: ImageKind;
  readonly arch: ImageArch;
  readonly fileSize: number;
  /** Loader header facts; undefined for x86 boot modules. */
  readonly loader?: {
    readonly kernelEntry: bigint;
    readonly uiPRegStart: bigint;
    readonly uiPRegEnd: bigint;
    readonly pvOffset: bigint;
    readonly vEntry: bigint;
    readonly loaderImageSize: number;
    readonly regions: readonly LoaderRegionInfo[];
  };
  readonly initialiser: {
    readonly entry: bigint;
    readonly vaddrStart: bigint;
    readonly vaddrEnd: bigint;
    readonly specVaddr: bigint;
    readonly specSize: bigint;
    readonly frameDataVaddr: bigint;
    readonly frameDataSize: bigint;
  };
  readonly spec: SpecForInitializer;
  readonly checks: { readonly errors: readonly string[]; readonly warnings: readonly string[] };
  /** The `capdl-image-dump/1` document (write it with `writeCanonicalJson`). */
  readonly dump: { readonly [key: string]: DumpJson };
}

/** The image cannot be read at all (not an image, truncated, corrupt archive): exit 1, no dump. */
export class InspectError extends MicrokitError {
  constructor(message: string) {
    super('INSPECT_IMAGE', message);
  }
}

/** Integrity findings: errors make `inspect` exit 3, warnings are printed. */
export class Checks {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  /** Caps the lists so a badly corrupt image cannot produce millions of messages. */
  private static readonly LIMIT = 1000;

  error(message: string): void {
    if (this.errors.length < Checks.LIMIT) this.errors.push(message);
  }

  warn(message: string): void {
    if (this.warnings.length < Checks.LIMIT) this.warnings.push(message);
  }
}
