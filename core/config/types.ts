/**
 * `microkit.config.ts`: what to build and how. Found by cosmiconfig from the
 * working directory upwards (also .js, .mjs, .cjs, .json, or a `microkit`
 * key in package.json). Command-line flags override it. Relative paths are
 * relative to the config file's directory.
 */
import type { ImageType } from '../build-types.js';
import type { MicrokitPlugin } from '../plugin.js';
import type { Preset } from '../preset.js';
import type { SystemBuilder } from '../system/builder.js';

export interface MicrokitConfigOutputs {
  /** Boot image; upstream default `loader.img`. `false` to skip. */
  readonly image?: string | false;
  /** Report; upstream default `report.txt`. `false` to skip. */
  readonly report?: string | false;
  /** capDL spec as JSON (upstream's `--capdl-json`). */
  readonly capdlJson?: string | false;
  /** Directory for Viper views (`--viper-output`). */
  readonly viper?: string | false;
  /** System manifest JSON (`--manifest`, docs/manifest.md). */
  readonly manifest?: string | false;
}

export interface MicrokitConfig {
  /** The System Description File, or a system made with `microkit-ts/system` (docs/system-api.md). */
  readonly system?: string | SystemBuilder;
  /** Board: an SDK board or a preset name. */
  readonly board?: string;
  /** Kernel config: `debug`, `release`, `benchmark`, `smp-debug`, ... */
  readonly config?: string;
  /**
   * Microkit SDK directory, or `'synthetic'` to generate an SDK of stub ELFs
   * from the board's preset (the image will not boot). `MICROKIT_SDK` wins.
   */
  readonly sdk?: string;
  /** Where program images and prefill files are looked up (the working directory is appended). */
  readonly searchPaths?: readonly string[];
  readonly outputs?: MicrokitConfigOutputs;
  readonly imageType?: ImageType;
  /** Use another kernel ELF than the SDK's (debugging). */
  readonly overrideKernel?: string;
  /** Plugins applied after the board preset's plugins. */
  readonly plugins?: readonly MicrokitPlugin[];
  /** Presets of your own (new boards, or refinements with `extends`). */
  readonly presets?: readonly Preset[];
  /**
   * IOMMU settings. `levels`: how many IO page-table levels the target
   * machines' VT-d hardware uses: 'auto' (3 to 6, decided at boot; three
   * spare tables per device) or a known maximum (only the spares it needs).
   * See docs/iommu.md. Overrides the board preset's setting.
   */
  readonly iommu?: { readonly levels?: 'auto' | 3 | 4 | 5 | 6 };
}

/** Identity function that gives `microkit.config.ts` its types. */
export function defineConfig(config: MicrokitConfig): MicrokitConfig {
  return config;
}
