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

export { archPlugins } from './plugins.js';
export { boardConfigs, mergeOverlays, smpOverlay } from './configs.js';
export type { BoardConfigOverlays } from './configs.js';

export const builtinPresets: readonly Preset[] = [
  qemuVirtAarch64,
  qemuVirtAarch64El1,
  qemuVirtRiscv64,
  x86_64Generic,
  x86_64GenericVtx,
  x86_64GenericNoIommu,
];

/**
 * Presets for particular machines: each refines a board above (`extends`)
 * with options and a boot recipe. No SDK has boards of these names, so they
 * serve builds without an SDK or with a synthetic one.
 */
export const machinePresets: readonly Preset[] = [qemuX86, vb105];

/** A new registry holding the built-in presets (callers may add their own to it). */
export function presetRegistry(): PresetRegistry {
  return new PresetRegistry([...builtinPresets, ...machinePresets]);
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
