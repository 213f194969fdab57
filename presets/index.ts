/**
 * The built-in board presets: one per board of the project's shared SDK,
 * with that SDK's kernel facts, the architecture's plugins, image defaults,
 * the facts a synthetic SDK's stub ELFs need, and how to boot in QEMU.
 */
import type { ArchName } from '../core/kernel/config.js';
import { PresetRegistry, type Preset, type ResolvedPreset } from '../core/preset.js';
import { qemuVirtAarch64 } from './boards/qemu_virt_aarch64.js';
import { qemuVirtAarch64El1 } from './boards/qemu_virt_aarch64_el1.js';
import { qemuVirtRiscv64 } from './boards/qemu_virt_riscv64.js';
import { x86_64Generic } from './boards/x86_64_generic.js';
import { x86_64GenericNoIommu } from './boards/x86_64_generic_noiommu.js';
import { x86_64GenericVtx } from './boards/x86_64_generic_vtx.js';
import { qemuX86 } from './boards/qemu_x86.js';
import { vb105 } from './boards/vb_105.js';
import { ariane } from './boards/ariane.js';
import { cheshire } from './boards/cheshire.js';
import { serengeti } from './boards/serengeti.js';
import { hifiveP550 } from './boards/hifive_p550.js';
import { star64 } from './boards/star64.js';
import { imx8mmEvk } from './boards/imx8mm_evk.js';
import { imx8mpEvk } from './boards/imx8mp_evk.js';
import { imx8mqEvk } from './boards/imx8mq_evk.js';
import { imx8mpIotgate } from './boards/imx8mp_iotgate.js';
import { maaxboard } from './boards/maaxboard.js';
import { odroidc2 } from './boards/odroidc2.js';
import { odroidc4 } from './boards/odroidc4.js';
import { zcu102 } from './boards/zcu102.js';
import { kriaK26 } from './boards/kria_k26.js';
import { ultra96v2 } from './boards/ultra96v2.js';
import { tqma8xqp1gb } from './boards/tqma8xqp1gb.js';
import { stm32mp2 } from './boards/stm32mp2.js';
import { rockpro64 } from './boards/rockpro64.js';
import { rock3b } from './boards/rock3b.js';
import { rpi4b1gb } from './boards/rpi4b_1gb.js';
import { rpi4b2gb } from './boards/rpi4b_2gb.js';
import { rpi4b4gb } from './boards/rpi4b_4gb.js';
import { rpi4b8gb } from './boards/rpi4b_8gb.js';
import { rpi5b2gb } from './boards/rpi5b_2gb.js';

export { archPlugins } from './plugins.js';
export { boardConfigs, mergeOverlays, smpOverlay } from './configs.js';
export type { BoardConfigOverlays } from './configs.js';

export const builtinPresets: readonly Preset[] = [qemuVirtAarch64, qemuVirtAarch64El1, qemuVirtRiscv64, x86_64Generic, x86_64GenericVtx, x86_64GenericNoIommu];

/**
 * The other boards of upstream's build_sdk.py (seL4/microkit cfd5216), in its
 * manual's order: facts from seL4's platform descriptions and build_sdk.py,
 * each sourced in its file. Without an SDK they serve `check` and synthetic
 * SDKs; with a real SDK, its files win (and disagreements are reported).
 */
export const upstreamBoardPresets: readonly Preset[] = [
  ariane,
  cheshire,
  serengeti,
  hifiveP550,
  star64,
  imx8mmEvk,
  imx8mpEvk,
  imx8mqEvk,
  imx8mpIotgate,
  maaxboard,
  odroidc2,
  odroidc4,
  zcu102,
  kriaK26,
  ultra96v2,
  tqma8xqp1gb,
  stm32mp2,
  rockpro64,
  rock3b,
  rpi4b1gb,
  rpi4b2gb,
  rpi4b4gb,
  rpi4b8gb,
  rpi5b2gb,
];

/**
 * Presets for particular machines: each refines a board above (`extends`)
 * with options and a boot recipe. No SDK has boards of these names, so they
 * serve builds without an SDK or with a synthetic one.
 */
export const machinePresets: readonly Preset[] = [qemuX86, vb105];

/** A new registry holding the built-in presets (callers may add their own to it). */
export function presetRegistry(): PresetRegistry {
  return new PresetRegistry([...builtinPresets, ...upstreamBoardPresets, ...machinePresets]);
}

/** Per architecture, the preset that serves boards and kernel configs without a preset of their own. */
export const GENERIC_PRESETS: Readonly<Record<ArchName, string>> = {
  aarch64: 'qemu_virt_aarch64',
  riscv64: 'qemu_virt_riscv64',
  x86_64: 'x86_64_generic',
};

/**
 * The preset whose plugins and facts serve an SDK board without a preset of
 * its own, or a `--kernel-config` without a board.
 */
export function genericPresetFor(arch: ArchName): ResolvedPreset {
  return presetRegistry().resolve(GENERIC_PRESETS[arch]);
}
