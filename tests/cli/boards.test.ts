import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BoardSummary } from '../../core/boards/summary.js';
import { cli } from '../support/cli.js';
import { SHARED_SDK } from '../support/paths.js';

const UPSTREAM = [
  'ariane',
  'cheshire',
  'serengeti',
  'hifive_p550',
  'star64',
  'qemu_virt_riscv64',
  'imx8mm_evk',
  'imx8mp_evk',
  'imx8mq_evk',
  'imx8mp_iotgate',
  'maaxboard',
  'odroidc2',
  'odroidc4',
  'zcu102',
  'kria_k26',
  'ultra96v2',
  'tqma8xqp1gb',
  'stm32mp2',
  'rockpro64',
  'rock3b',
  'rpi4b_1gb',
  'rpi4b_2gb',
  'rpi4b_4gb',
  'rpi4b_8gb',
  'rpi5b_2gb',
  'qemu_virt_aarch64',
  'qemu_virt_aarch64_el1',
  'x86_64_generic',
  'x86_64_generic_vtx',
];
const cwd = mkdtempSync(join(tmpdir(), 'boards-cli-'));

describe('microkit boards', () => {
  it('--json lists every upstream board with its facts', async () => {
    const run = await cli(['boards', '--json'], { cwd });
    expect(run.code).toBe(0);
    const boards = JSON.parse(run.stdout) as BoardSummary[];
    const byName = new Map(boards.map((b) => [b.name, b]));
    for (const name of UPSTREAM) expect(byName.has(name), name).toBe(true);
    const rpi = byName.get('rpi4b_8gb')!;
    expect(rpi).toMatchObject({
      arch: 'aarch64',
      cpu: 'cortex-a72',
      platform: 'bcm2711',
      paBits: 44,
      hypervisor: true,
      smpCores: 4,
      loaderLinkAddress: '0x10000000',
    });
    expect(rpi.uboot?.commands).toEqual(['fatload mmc 0 0x10000000 {image}', 'go 0x10000000']);
    expect(byName.get('kria_k26')!.smpCores).toBeUndefined();
    expect(byName.get('ariane')!).toMatchObject({ imageType: 'elf', imageTypes: ['binary', 'elf', 'uimage'] });
    expect(byName.get('x86_64_generic')!).toMatchObject({ iommu: true, vtx: false, imageTypes: ['elf'], smpCores: 16 });
    expect(byName.get('qemu_virt_aarch64')!.qemu?.program).toBe('qemu-system-aarch64');
    expect(byName.get('stm32mp2')!.memory![0]).toEqual({ start: '0x84000000', end: '0x180000000' });
  });

  it('prints a table of at most 100 columns, one line per board', async () => {
    const run = await cli(['boards'], { cwd });
    const lines = run.stdout.trimEnd().split('\n');
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    expect(lines[0]).toMatch(/^BOARD +ARCH +CONFIGS +IMAGE +HYP +IOMMU +SMP$/);
    expect(lines.find((l) => l.startsWith('stm32mp2 '))).toMatch(/^stm32mp2 +aarch64 +debug,release,benchmark,smp-\* +binary +yes +- +2$/);
    expect(lines.find((l) => l.startsWith('x86_64_generic '))).toMatch(/x86_64 .* elf +- +yes +16$/);
    for (const name of UPSTREAM)
      expect(
        lines.some((l) => l.startsWith(`${name} `)),
        name,
      ).toBe(true);
  });

  it('--long gives CPU, memory and the boot recipe', async () => {
    const run = await cli(['boards', '--long'], { cwd });
    expect(run.stdout).toContain('imx8mm_evk — NXP i.MX8MM-EVK');
    expect(run.stdout).toContain('  U-Boot: tftp 0x41000000 {image}; go 0x41000000');
    expect(run.stdout).toContain('  run: qemu-system-riscv64 -machine virt');
    expect(run.stdout).toMatch(/cpu cortex-a35, seL4 platform stm32mp2, 40-bit PA/);
    // Facts a preset cannot know are listed, with why.
    expect(run.stdout).toContain("  unknown: U-Boot load address: the manual's `bootelf ${image_addr}` leaves it to the user");
    expect(run.stdout).toMatch(/^ {2}unknown: kernel image size: depends on the kernel build/m);
  });

  it("adds the SDK's boards and configs when MICROKIT_SDK is set", async () => {
    const run = await cli(['boards', '--json'], { cwd, env: { MICROKIT_SDK: SHARED_SDK } });
    const boards = JSON.parse(run.stdout) as BoardSummary[];
    expect(boards.find((b) => b.name === 'qemu_virt_aarch64')!.sdkConfigs).toEqual(['benchmark', 'debug', 'release', 'smp-debug']);
    expect(boards.find((b) => b.name === 'zcu102')!.sdkConfigs).toBeUndefined();
  });
});
