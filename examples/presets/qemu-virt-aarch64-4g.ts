/**
 * Example preset: QEMU's AArch64 virt machine started with `-m 4G`. It
 * extends the built-in preset and changes only the physical memory map
 * (kernel facts are merged key by key; platformGen is replaced).
 *
 *   // microkit.config.ts
 *   import { qemuVirtAarch64With4G } from './examples/presets/qemu-virt-aarch64-4g.js';
 *   export default defineConfig({ board: 'qemu_virt_aarch64_4g', presets: [qemuVirtAarch64With4G], sdk: 'synthetic', ... });
 */
import { definePreset } from '../../core/index.js';

export const qemuVirtAarch64With4G = definePreset({
  name: 'qemu_virt_aarch64_4g',
  extends: 'qemu_virt_aarch64',
  description: 'qemu_virt_aarch64 started with 4 GiB of RAM (-m 4G)',
  kernel: {
    platformGen: {
      devices: [
        { start: 0x0, end: 0x800_0000 },
        { start: 0x800_1000, end: 0x801_0000 },
        { start: 0x801_1000, end: 0x803_0000 },
        { start: 0x803_1000, end: 0x4000_0000 },
        { start: 0x1_4000_0000, end: 0x100_0000_0000 },
      ],
      memory: [{ start: 0x4000_0000, end: 0x1_4000_0000 }],
    },
  },
  // What `microkit run --board qemu_virt_aarch64_4g` starts: the parent's command with -m size=4G.
  qemu: {
    program: 'qemu-system-aarch64',
    args: [
      '-machine',
      'virt,virtualization=on',
      '-cpu',
      'cortex-a53',
      '-nographic',
      '-serial',
      'mon:stdio',
      '-device',
      'loader,file={image},addr=0x70000000,cpu-num=0',
      '-m',
      'size=4G',
    ],
    smpArgs: ['-smp', '4'],
    package: 'qemu-system-arm',
  },
  boot: 'qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -serial mon:stdio -device loader,file=loader.img,addr=0x70000000,cpu-num=0 -m size=4G -nographic',
});
