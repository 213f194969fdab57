/**
 * The plugins a board of each architecture builds with. One list per
 * architecture, shared by every preset of that architecture (and by the
 * generic presets that serve SDK boards without a preset of their own), so
 * output plugins can be appended here once for all boards.
 */
import type { ArchName } from '../core/kernel/config.js';
import type { MicrokitPlugin } from '../core/plugin.js';
import { aarch64 } from '../plugins/aarch64/index.js';
import { armSmc } from '../plugins/arm-smc/index.js';
import { iommu } from '../plugins/iommu/index.js';
import { riscv64 } from '../plugins/riscv64/index.js';
import { x86IoPorts } from '../plugins/x86-ioports/index.js';
import { x86_64 } from '../plugins/x86_64/index.js';
import { x86Vtd } from '../plugins/x86-vtd/index.js';
import { capdlJson } from '../plugins/capdl-json/index.js';
import { pageSizeOptimisation } from '../plugins/page-size-optimisation/index.js';
import { report } from '../plugins/report/index.js';
import { loaderImage } from '../plugins/loader-image/plugin.js';
import { bootModule } from '../plugins/boot-module/index.js';
import { viper } from '../plugins/viper/index.js';
import { manifest } from '../plugins/manifest/index.js';

/** Plugins every board builds with, whatever its architecture. */
export function commonPlugins(): MicrokitPlugin[] {
  return [pageSizeOptimisation(), report(), capdlJson(), viper(), manifest()];
}

/** Fresh plugin instances for a board of `arch`. */
export function archPlugins(arch: ArchName): MicrokitPlugin[] {
  switch (arch) {
    case 'aarch64':
      return [aarch64(), armSmc(), iommu(), loaderImage(), ...commonPlugins()];
    case 'riscv64':
      return [riscv64(), iommu(), loaderImage(), ...commonPlugins()];
    case 'x86_64':
      return [x86_64(), x86IoPorts(), iommu(), x86Vtd(), bootModule(), ...commonPlugins()];
  }
}
