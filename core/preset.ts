/**
 * A preset is a board: its identity, its kernel facts per config (the same
 * content an SDK ships as JSON files), the plugins that build for it and its
 * image defaults. Presets can extend presets (`extends`), as Babel's presets
 * are plugins plus options. Without an SDK, presets let `check` run; with
 * `sdk: 'synthetic'` they generate an SDK of stub ELFs for full builds.
 */
import type { ImageType } from './build-types.js';
import { presetCycle, presetIncomplete, presetNoConfig, presetUnknown } from './errors/pipeline.js';
import type { ArchName } from './kernel/config.js';
import type { MicrokitPlugin } from './plugin.js';
import type { KernelConfig } from './kernel/config.js';
import { kernelConfigFromSdkFiles, type SdkKernelFiles } from './sdk/kernel-files.js';

/** Overlay for one config: JSON keys replaced or added over the board's base files. */
export interface KernelFilesOverlay {
  readonly genConfig?: Readonly<Record<string, string | boolean>>;
  readonly objectSizes?: Readonly<Record<string, number>>;
  readonly addressSpaceConstants?: SdkKernelFiles['addressSpaceConstants'];
  readonly platformGen?: SdkKernelFiles['platformGen'];
}

/**
 * Facts about the kernel and loader ELFs a synthetic SDK must reproduce:
 * where the kernel image sits and how big it is (boot emulation reads
 * ki_end/ki_boot_end), and where the loader is linked.
 */
export interface SyntheticElfFacts {
  /** Kernel physical load address of its first segment. */
  readonly kernelPaddr: bigint;
  /** Kernel virtual address of its first segment. */
  readonly kernelVaddr: bigint;
  /** Bytes from the kernel base to `ki_end`. */
  readonly kernelSize: bigint;
  /** Bytes from the kernel base to `ki_boot_end`. */
  readonly kernelBootSize: bigint;
  /** Loader link (and load) address; undefined on x86 (no loader). */
  readonly loaderLinkAddress?: bigint;
  /** ELF e_machine. */
  readonly machine: number;
}

/**
 * How QEMU boots an image for a board: the program and its arguments.
 * Arguments may hold `{image}` (the boot image, `-o`) and `{dir}` (the
 * directory it is written to, where x86 builds also write `sel4_32.elf`).
 */
export interface QemuRecipe {
  /** The QEMU program, e.g. `qemu-system-aarch64`. */
  readonly program: string;
  readonly args: readonly string[];
  /** Added for `smp-*` configs (e.g. `-smp 4`). */
  readonly smpArgs?: readonly string[];
  /** The Debian package that provides `program`, named when it is missing. */
  readonly package: string;
}

/** How a board boots from U-Boot: the address the image is loaded at and the commands. */
export interface UBootRecipe {
  readonly loadAddress: bigint;
  /** U-Boot commands, in order (`{image}` stands for the image's file name). */
  readonly commands: readonly string[];
}

export interface Preset {
  /** The board name, as `--board` takes it. */
  readonly name: string;
  readonly description?: string;
  /** A preset this one refines; its fields are inherited unless given here. */
  readonly extends?: string;
  readonly arch?: ArchName;
  /** The board's plugins (architecture, features, outputs). */
  readonly plugins?: () => readonly MicrokitPlugin[];
  /** Default image type (upstream: AArch64 binary, RISC-V uImage, x86 ELF). */
  readonly imageType?: ImageType;
  /**
   * Kernel facts common to every config of the board. With `extends`, each
   * file is merged key by key over the parent's (platformGen is replaced).
   */
  readonly kernel?: KernelFilesOverlay;
  /** Config name → overlay over `kernel`. Configs absent here do not exist for the board. */
  readonly configs?: Readonly<Record<string, KernelFilesOverlay>>;
  readonly synthetic?: SyntheticElfFacts;
  /** How to boot an image for this board (shown by `microkit boards`), e.g. a QEMU command line. */
  readonly boot?: string;
  /** The QEMU command `microkit run` starts; absent: the board does not run in QEMU. */
  readonly qemu?: QemuRecipe;
  /** The U-Boot commands that boot the image on the real board. */
  readonly uboot?: UBootRecipe;
  /** The CPU (`cortex-a53`, `generic`, ...), as build_sdk.py names it; shown by `microkit boards`. */
  readonly cpu?: string;
  /**
   * Facts the preset does not know, each with why (e.g. `{ 'U-Boot load address': 'the user picks it' }`).
   * Shown by `microkit boards --long`; the feature that needs such a fact is refused, never guessed.
   */
  readonly unknown?: Readonly<Record<string, string>>;
  /** Free-form options for plugins (e.g. `{ iommu: { levels: 3 } }`). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A preset with `extends` resolved and every field present. */
export interface ResolvedPreset
  extends Required<Omit<Preset, 'extends' | 'description' | 'boot' | 'synthetic' | 'options' | 'kernel' | 'qemu' | 'uboot' | 'cpu' | 'unknown'>> {
  readonly kernel: SdkKernelFiles;
  readonly description?: string;
  readonly boot?: string;
  readonly qemu?: QemuRecipe;
  readonly uboot?: UBootRecipe;
  readonly cpu?: string;
  readonly unknown?: Readonly<Record<string, string>>;
  readonly synthetic?: SyntheticElfFacts;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Fields a preset may drop from its parent by giving them as `undefined`. */
const CLEARABLE: ReadonlySet<string> = new Set(['qemu', 'uboot']);

export function definePreset(preset: Preset): Preset {
  return preset;
}

export class PresetRegistry {
  private readonly byName = new Map<string, Preset>();

  constructor(presets: readonly Preset[] = []) {
    for (const p of presets) this.add(p);
  }

  add(preset: Preset): void {
    this.byName.set(preset.name, preset);
  }

  names(): string[] {
    return [...this.byName.keys()].sort();
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The preset and the presets it extends, nearest first. */
  ancestry(name: string): string[] {
    const chain: string[] = [];
    for (let current: string | undefined = name; current !== undefined && !chain.includes(current); current = this.byName.get(current)?.extends) {
      if (!this.byName.has(current)) break;
      chain.push(current);
    }
    return chain;
  }

  resolve(name: string): ResolvedPreset {
    const chain: Preset[] = [];
    let current: string | undefined = name;
    while (current !== undefined) {
      const p = this.byName.get(current);
      if (!p) throw presetUnknown(current);
      if (chain.includes(p)) throw presetCycle(name);
      chain.push(p);
      current = p.extends;
    }
    // Apply from the root ancestor down, so the named preset wins.
    const merged: Record<string, unknown> = {};
    for (const p of chain.reverse()) {
      for (const [k, v] of Object.entries(p)) {
        if (k === 'extends') continue;
        if (v === undefined) {
          // `qemu: undefined` (or `uboot`) drops a recipe the parent has: the child does not boot that way.
          if (CLEARABLE.has(k)) delete merged[k];
          continue;
        }
        if (k === 'options') merged.options = { ...(merged.options as object), ...(v as object) };
        else if (k === 'unknown') merged.unknown = { ...(merged.unknown as object), ...(v as object) };
        else if (k === 'configs') merged.configs = { ...(merged.configs as object), ...(v as object) };
        else if (k === 'kernel') merged.kernel = mergeKernelFiles(merged.kernel as KernelFilesOverlay | undefined, v as KernelFilesOverlay);
        else merged[k] = v;
      }
    }
    merged.name = name;
    const r = merged as Partial<ResolvedPreset>;
    const k = r.kernel as KernelFilesOverlay | undefined;
    if (!r.arch || !r.plugins || !r.imageType || !k?.genConfig || !k.objectSizes || !k.addressSpaceConstants || !r.configs) {
      throw presetIncomplete(name);
    }
    return { ...r, options: r.options ?? {} } as ResolvedPreset;
  }
}

function mergeKernelFiles(base: KernelFilesOverlay | undefined, over: KernelFilesOverlay): KernelFilesOverlay {
  return {
    genConfig: { ...base?.genConfig, ...over.genConfig },
    objectSizes: { ...base?.objectSizes, ...over.objectSizes },
    addressSpaceConstants: { ...base?.addressSpaceConstants, ...over.addressSpaceConstants },
    platformGen: over.platformGen ?? base?.platformGen,
  };
}

/** The kernel files of one config of a preset: the base with the config's overlay. */
export function presetKernelFiles(preset: ResolvedPreset, config: string): SdkKernelFiles | undefined {
  const overlay = preset.configs[config];
  if (overlay === undefined) return undefined;
  const base = preset.kernel;
  return {
    genConfig: { ...base.genConfig, ...overlay.genConfig },
    objectSizes: { ...base.objectSizes, ...overlay.objectSizes },
    addressSpaceConstants: { ...base.addressSpaceConstants, ...overlay.addressSpaceConstants },
    platformGen: overlay.platformGen ?? base.platformGen,
  };
}

/** The kernel facts of one config of a preset, as the tool reads them from an SDK (for `checkSystem` without an SDK). */
export function presetKernelConfig(preset: ResolvedPreset, config: string): KernelConfig {
  const files = presetKernelFiles(preset, config);
  if (files === undefined) {
    throw presetNoConfig(preset.name, config, Object.keys(preset.configs));
  }
  const origin = `preset '${preset.name}' config '${config}'`;
  return kernelConfigFromSdkFiles(files, config, { genConfigPath: origin, objectSizesPath: origin, addressSpacePath: origin });
}
