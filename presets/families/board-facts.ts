/** What every board family is told about a board (each family adds its architecture's own facts). */
import type { QemuRecipe, UBootRecipe } from '../../core/preset.js';
import type { JsonRange } from '../../core/sdk/kernel-files.js';

export interface BoardFacts {
  readonly name: string;
  readonly description: string;
  /** seL4's KernelPlatform (gen_config PLAT). */
  readonly platform: string;
  /** build_sdk.py's smp_cores; no smp-* configs without it. */
  readonly smpCores?: number;
  /** build_sdk.py's loader_link_address. */
  readonly loaderLinkAddress: bigint;
  /** seL4's platform_gen.json for the board (hardware_gen.py over the board's DTS and overlays). */
  readonly memory: readonly JsonRange[];
  readonly devices: readonly JsonRange[];
  readonly boot: string;
  readonly uboot?: UBootRecipe;
  readonly qemu?: QemuRecipe;
  /** Facts not established (fact → why); see Preset.unknown. */
  readonly unknown?: Readonly<Record<string, string>>;
}
