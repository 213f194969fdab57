/**
 * What `npx microkit` (no arguments) builds: the hello example for QEMU's
 * AArch64 virt machine. Without MICROKIT_SDK it builds against a synthetic
 * SDK generated from the board's preset (stub kernel, monitor and loader):
 * the spec and report are real, the image does not boot. Point `sdk` (or
 * MICROKIT_SDK) at a real Microkit SDK for a bootable image.
 */
import { defineConfig } from 'microkit-ts';

export default defineConfig({
  system: 'examples/hello/hello.system',
  board: 'qemu_virt_aarch64',
  config: 'debug',
  sdk: 'synthetic',
  searchPaths: ['examples/hello'],
  outputs: {
    image: 'build/loader.img',
    report: 'build/report.txt',
    capdlJson: 'build/capdl.json',
  },
});
