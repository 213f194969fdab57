/**
 * Stub ELFs for a synthetic SDK and for tests: the kernel, monitor,
 * initialiser and loader of an SDK config, and PD program images. They never
 * run. Each carries a realistic segment layout and exactly the symbols a
 * Microkit tool reads or patches, with the names, sizes and relative layout
 * of the stubs in the project's shared test SDK (which came from a real
 * toolchain, hence the per-architecture differences in symbol order,
 * alignment and mapping symbols). Segment contents are a branch-to-self
 * followed by filler, so images built from equal facts are equal byte for
 * byte, and every function here is deterministic.
 */
import type { SyntheticElfFacts } from '../preset.js';

/**
 * Facts a preset may add for its stubs beyond {@link SyntheticElfFacts}
 * (core/preset.ts cannot express them yet; presets declare their facts with
 * this type).
 */
export interface StubElfFacts extends SyntheticElfFacts {
  /**
   * The loader's `uart_addr` value. Upstream's loader defines the symbol only
   * when it prints (debug kernels, `PRINTING`), and only on ARM.
   */
  readonly loaderUartAddr?: bigint;
  /** Where the initialiser is linked; default per architecture (RISC-V 0x10000, else 0x200000). */
  readonly initialiserLinkAddress?: bigint;
}

export { EM_386, archForMachine, defaultInitialiserLinkAddress, stubMachine } from './stub-elf/traits.js';
export { stubKernel32Elf, stubKernelElf } from './stub-elf/kernel.js';
export { stubMonitorElf } from './stub-elf/monitor.js';
export { stubInitialiserElf } from './stub-elf/initialiser.js';
export { stubLoaderElf, type StubLoaderOptions } from './stub-elf/loader.js';
export { stubProgramImage, type StubProgramImageOptions } from './stub-elf/program.js';
