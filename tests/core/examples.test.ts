/** The runnable examples of the extension points (examples/plugins, examples/presets). */
import { describe, expect, it } from 'vitest';
import type { Cap, CapTableEntry } from '../../core/capdl/spec.js';
import { presetKernelFiles } from '../../core/preset.js';
import { kernelConfigFromSdkFiles } from '../../core/sdk/kernel-files.js';
import { ownTcbCap } from '../../examples/plugins/own-tcb-cap.js';
import { qemuVirtAarch64With4G } from '../../examples/presets/qemu-virt-aarch64-4g.js';
import { qemuCommand } from '../../core/run/qemu-command.js';
import { presetRegistry } from '../../presets/index.js';
import { buildSystem } from '../support/build.js';
import { presetPlugins } from '../support/kernel.js';

describe('examples/plugins/own-tcb-cap', () => {
  const system = (inner: string) =>
    `<system><protection_domain name="w"><program_image path="w.elf"/>${inner}</protection_domain><protection_domain name="v"><program_image path="w.elf"/></protection_domain></system>`;
  const plugins = (board: string) => [...presetPlugins(board), ownTcbCap()];

  it("puts the PD's own TCB cap in the slot the SDF names, and only there", async () => {
    const { build } = await buildSystem(system('<own_tcb_cap slot="9"/>'), { images: { 'w.elf': [] }, plugins });
    const spec = build.spec!;
    const cnode = (name: string) => [...spec.objects].find((o) => o.name === name)!.object as { slots: CapTableEntry[] };
    const cap = cnode('cnode_w').slots.find((e) => e.slot === 9)?.cap as Cap;
    expect(cap).toMatchObject({ type: 'Tcb' });
    expect(spec.objects.get(cap.object).name).toBe('tcb_w');
    expect(cnode('cnode_v').slots.some((e) => e.slot === 9)).toBe(false);
  });

  it('checks its element like the core does', async () => {
    await expect(buildSystem(system('<own_tcb_cap slot="3"/>'), { images: { 'w.elf': [] }, plugins })).rejects.toThrow(
      "Error: slot must be one of 8, 9 on element 'own_tcb_cap': t.system:1:66",
    );
    await expect(buildSystem(system('<own_tcb_cap slot="3"/>'), { images: { 'w.elf': [] } })).rejects.toThrow(
      "Invalid XML element 'own_tcb_cap': t.system:1:66",
    );
  });
});

describe('examples/presets/qemu-virt-aarch64-4g', () => {
  it('extends qemu_virt_aarch64 with a 4 GiB memory map', () => {
    const registry = presetRegistry();
    registry.add(qemuVirtAarch64With4G);
    const preset = registry.resolve('qemu_virt_aarch64_4g');
    const kernel = kernelConfigFromSdkFiles(presetKernelFiles(preset, 'debug')!, 'debug', { genConfigPath: 'p', objectSizesPath: 'p', addressSpacePath: 'p' });
    expect(kernel.memory?.normal).toEqual([{ start: 0x4000_0000n, end: 0x1_4000_0000n }]);
    expect(kernel.hypervisor).toBe(true);
    expect(preset.plugins().map((p) => p.name)).toContain('aarch64');
    // Its own QEMU recipe, so `microkit run` gives QEMU the 4 GiB the memory map assumes.
    expect(qemuCommand(preset.qemu!, { image: 'loader.img', smp: false }).args.slice(-2)).toEqual(['-m', 'size=4G']);
  });
});
