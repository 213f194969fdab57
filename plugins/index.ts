/**
 * The built-in plugins, for configs and presets of your own:
 *   import { aarch64, report, x86Vtd } from 'microkit-ts/plugins';
 */
export { aarch64 } from './aarch64/index.js';
export { riscv64 } from './riscv64/index.js';
export { x86_64 } from './x86_64/index.js';
export { armSmc } from './arm-smc/index.js';
export { x86IoPorts } from './x86-ioports/index.js';
export { iommu } from './iommu/index.js';
export { x86Vtd } from './x86-vtd/index.js';
export type { IommuLevels, X86VtdOptions } from './x86-vtd/index.js';
export { pageSizeOptimisation } from './page-size-optimisation/index.js';
export { report } from './report/index.js';
export { capdlJson } from './capdl-json/index.js';
export { viper } from './viper/index.js';
export { manifest } from './manifest/index.js';
export { loaderImage } from './loader-image/plugin.js';
export { bootModule } from './boot-module/index.js';
export { pdHeaders } from './pd-headers/index.js';
export type { PdHeadersOptions } from './pd-headers/index.js';
