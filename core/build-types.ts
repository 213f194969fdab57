/**
 * The data handed between the pipeline's hooks, the hooks themselves, and
 * the pipeline as plugins see it. Each is documented in docs/plugins.md;
 * SystemBuild is extensible by declaration merging (later stages add the
 * spec, placements, images). These types refer to each other (a plugin gets
 * the pipeline, whose hooks get a context that holds the pipeline), so they
 * live in this one module, which has no run-time imports: everything else
 * depends on it, and it on nothing that depends back.
 */
import type { AsyncSeriesBailHook, AsyncSeriesHook, SyncHook } from 'tapable';
import type { ArchSupport } from './arch.js';
import type { SpecHooks } from './capdl/construct/hooks.js';
import type { MicrokitError } from './errors/microkit-error.js';
import type { GraphHooks } from './graph/hooks.js';
import type { ArchName, KernelConfig } from './kernel/config.js';
import type { OutputSink } from './output.js';
import type { SdfFileAccess } from './sdf/context.js';
import type { ProtectionDomain } from './sdf/model.js';
import type { SdfSyntax } from './sdf/syntax.js';
import type { ObjectId, Spec } from './capdl/spec.js';
import type { SystemImages } from './program/images.js';
import type { SystemDescription } from './sdf/model.js';
import type { DiagnosticSink } from './diagnostics/sink.js';
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
  /** `--manifest`: the system manifest (plugins/manifest). */
  readonly manifest?: string;
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
  readonly pipeline: MicrokitPipeline;
  /** Search-path file access for everything the SDF names. */
  readonly files: SdfFileAccess;
  readonly log: Logger;
  /** Staged output files, committed together after emit succeeds. */
  readonly outputs: OutputSink;
  /**
   * Where parse and validate record errors to go on checking (and warnings);
   * without one, the first error throws.
   */
  readonly diagnostics?: DiagnosticSink;
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

export interface PipelineHooks {
  readonly configure: AsyncSeriesHook<[BuildContext]>;
  readonly parse: AsyncSeriesBailHook<[SdfSource, BuildContext], SystemDescription | undefined>;
  readonly validate: SyncHook<[SystemDescription, BuildContext]>;
  readonly allocate: AsyncSeriesHook<[SystemBuild, BuildContext]>;
  readonly emit: AsyncSeriesHook<[SystemBuild, BuildContext]>;
  readonly done: AsyncSeriesHook<[BuildResult, BuildContext]>;
  /**
   * A build that failed in allocate or emit: taps may stage outputs that
   * explain the failure (the report of a failed allocation); only those are
   * written, and the error is still raised.
   */
  readonly failed: AsyncSeriesHook<[SystemBuild, MicrokitError, BuildContext]>;
}

/** The pipeline as plugins and stages use it (implemented by the Pipeline class in pipeline.ts). */
export interface MicrokitPipeline {
  readonly hooks: PipelineHooks;
  /** The SDF syntax registry (extension point for elements, attributes, IRQ forms). */
  readonly sdf: SdfSyntax;
  /** Extension points of spec construction (per PD, system-wide). */
  readonly spec: SpecHooks;
  /** Extension point of `microkit graph`: plugins draw the constructs they own. */
  readonly graph: GraphHooks;
  /** Word symbols patched into every PD image, with the value each PD gets. */
  readonly pdWordSymbols: Map<string, (pd: ProtectionDomain) => bigint>;
  /** Apply plugins in order. A plugin name may appear once. */
  use(...plugins: readonly MicrokitPlugin[]): this;
  /** Names of the applied plugins, in order (the core's built-in plugins first). */
  readonly plugins: readonly string[];
  /** Called by an architecture plugin from its `apply`. */
  registerArch(support: ArchSupport): void;
  arch(name: ArchName): ArchSupport;
  /** The plugin currently being applied (for registries that record owners). */
  readonly currentPlugin: string | undefined;
}

/**
 * A plugin is `{ name, apply(pipeline) }`, as webpack's: `apply` taps the
 * pipeline's hooks and registers with its extension points.
 */
export interface MicrokitPlugin {
  /** Unique, kebab-case, e.g. `aarch64`, `x86-ioports`, `report`; the core's own are `core/…`. */
  readonly name: string;
  apply(pipeline: MicrokitPipeline): void;
}
