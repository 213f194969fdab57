/**
 * The data handed between the pipeline's hooks. Each is documented in
 * docs/plugins.md; SystemBuild is extensible by declaration merging (later
 * stages add the spec, placements, images).
 */
import type { ArchSupport } from './arch.js';
import type { KernelConfig } from './kernel/config.js';
import type { OutputSink } from './output.js';
import type { Pipeline } from './pipeline.js';
import type { SdfFileAccess } from './sdf/context.js';
import type { ObjectId, Spec } from './capdl/spec.js';
import type { SystemImages } from './program/images.js';
import type { SystemDescription } from './sdf/model.js';
import type { XmlElement } from './sdf/xml.js';

export type ImageType = 'binary' | 'elf' | 'uimage';

export interface BuildOutputs {
  /** Boot image (`-o`); upstream default `loader.img`. */
  readonly image?: string;
  /** `report.txt` (`-r`). */
  readonly report?: string;
  /** `--capdl-json`. */
  readonly capdlJson?: string;
  /** `--viper-output` directory. */
  readonly viperDir?: string;
}

/**
 * Settings for plugins, from the board preset's `options` overlaid by the
 * config file (extensible: plugins declare theirs by declaration merging).
 */
export interface BuildSettings {
  /** The IOMMU backend's settings (x86 VT-d). */
  readonly iommu?: { readonly levels?: 'auto' | 3 | 4 | 5 | 6 };
}

export interface BuildOptions {
  /** `check` stops after validate; `build` runs every stage. */
  readonly mode: 'check' | 'build';
  /** The SDF as the user named it (shown in messages). */
  readonly systemFile: string;
  /** The SDF's path on disk. */
  readonly systemPath: string;
  readonly board?: string;
  readonly config: string;
  /** Where program images and prefill files are looked up, in order. */
  readonly searchPaths: readonly string[];
  readonly outputs: BuildOutputs;
  /** Requested image type; undefined means the board's default. */
  readonly imageType?: ImageType;
  readonly overrideKernel?: string;
  readonly settings: BuildSettings;
  /** Print how long each tap took (MICROKIT_TIMINGS=1). */
  readonly timings?: boolean;
}

/** Paths inside an SDK for one board/config (upstream's config dir). */
export interface SdkConfigDir {
  readonly root: string;
  readonly board: string;
  readonly config: string;
  readonly dir: string;
  /** True for a tool-generated SDK whose ELFs are stubs that cannot boot. */
  readonly synthetic: boolean;
}

export interface Logger {
  /** A line on stdout (upstream prints progress and warnings there). */
  info(line: string): void;
  /** A line on stderr. */
  error(line: string): void;
}

export interface BuildContext {
  readonly options: BuildOptions;
  readonly kernel: KernelConfig;
  readonly arch: ArchSupport;
  /** Absent when building from a preset's kernel facts alone (check only). */
  readonly sdk?: SdkConfigDir;
  readonly pipeline: Pipeline;
  /** Search-path file access for everything the SDF names. */
  readonly files: SdfFileAccess;
  readonly log: Logger;
  /** Staged output files, committed together after emit succeeds. */
  readonly outputs: OutputSink;
}

export interface SdfSource {
  readonly file: string;
  readonly path: string;
  readonly text: string;
  /**
   * A `<system>` element tree made in code (microkit-ts/system), each
   * element located at its call; parsed instead of `text` when present.
   */
  readonly root?: XmlElement;
}

/** Extensible: the state the allocate stage fills and the emit stage renders. */
export interface SystemBuild {
  readonly system: SystemDescription;
  /** The capDL spec, sorted (what `--capdl-json` writes). Set by the core's allocate stage. */
  spec?: Spec;
  /** Physical address of each spec object, where the allocation simulation placed it (ARM/RISC-V). */
  objectPaddrs?: ReadonlyMap<ObjectId, bigint>;
  /** The PD and monitor ELFs, patched. */
  images?: SystemImages;
  /** Lines printed when the build succeeds (upstream's `MICROKIT|...` summary). */
  readonly summary: string[];
}

export interface BuildResult {
  readonly system: SystemDescription;
  readonly build?: SystemBuild;
  /** Files written, in order. */
  readonly written: readonly string[];
}
