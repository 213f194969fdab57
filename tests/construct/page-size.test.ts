/** Page-size optimisation: upstream's rule and its edges. */
import { describe, expect, it } from 'vitest';
import { optimalPageSize } from '../../plugins/page-size-optimisation/index.js';
import { buildSystem } from '../support/build.js';
import { presetPlugins } from '../support/kernel.js';

const SIZES = [0x1000n, 0x200000n];
const MIB2 = 0x200000n;

describe('optimalPageSize', () => {
  it('promotes only sizes that are multiples of 2 MiB with every address aligned', () => {
    expect(optimalPageSize(MIB2, [0x400000n], SIZES)).toBe(MIB2);
    expect(optimalPageSize(2n * MIB2, [0x400000n, 0x800000n], SIZES)).toBe(MIB2);
    expect(optimalPageSize(MIB2 + 0x1000n, [0x400000n], SIZES)).toBe(0x1000n);
    expect(optimalPageSize(MIB2, [0x401000n], SIZES)).toBe(0x1000n);
    expect(optimalPageSize(MIB2, [0x400000n, 0x601000n], SIZES)).toBe(0x1000n);
  });

  it('an unmapped region of a 2 MiB multiple is promoted (no address constrains it)', () => {
    expect(optimalPageSize(4n * MIB2, [], SIZES)).toBe(MIB2);
  });

  it('a fixed physical address counts like a map address', () => {
    expect(optimalPageSize(MIB2, [0x400000n, 0x40001000n], SIZES)).toBe(0x1000n);
    expect(optimalPageSize(MIB2, [0x400000n, 0x40200000n], SIZES)).toBe(MIB2);
  });
});

function frames(build: Awaited<ReturnType<typeof buildSystem>>['build'], mr: string): { sizeBits: number; paddr: bigint | null }[] {
  return [...build.spec!.objects]
    .filter((o) => o.name.startsWith(`frame_mr_${mr}_`))
    .map((o) => {
      if (o.object.type !== 'Frame') throw new Error('not a frame');
      return { sizeBits: o.object.sizeBits, paddr: o.object.paddr };
    });
}

describe('page-size optimisation in a build', () => {
  const system = (mapAt: string, extra = '') => `<system>
    <memory_region name="big" size="0x400000" ${extra}/>
    <memory_region name="user4k" size="0x200000" page_size="0x1000"/>
    <protection_domain name="p"><program_image path="p.elf"/>
      <map mr="big" vaddr="${mapAt}"/>
      <map mr="user4k" vaddr="0x40000000"/>
    </protection_domain></system>`;

  it('promotes an aligned region to 2 MiB frames and keeps a user page size', async () => {
    const { build } = await buildSystem(system('0x20000000'), { images: { 'p.elf': [] } });
    expect(frames(build, 'big')).toEqual([
      { sizeBits: 21, paddr: null },
      { sizeBits: 21, paddr: null },
    ]);
    expect(frames(build, 'user4k')).toHaveLength(512);
    // No leaf page table for the 2 MiB frames: they sit in the `pd` table (next to the ELF's).
    const tables = [...build.spec!.objects].filter((o) => o.object.type === 'PageTable').map((o) => o.name);
    expect(tables.filter((n) => n.startsWith('pt_p_'))).toEqual(['pt_p_vaddr_0x200000', 'pt_p_vaddr_0x40000000', 'pt_p_vaddr_0xfffffff000']);
  });

  it('keeps 4 KiB frames when a map address is only 4 KiB aligned', async () => {
    const { build } = await buildSystem(system('0x20001000'), { images: { 'p.elf': [] } });
    expect(frames(build, 'big')).toHaveLength(1024);
  });

  it('is one plugin: without it, nothing is promoted', async () => {
    const { build } = await buildSystem(system('0x20000000'), {
      images: { 'p.elf': [] },
      plugins: (board) => presetPlugins(board).filter((p) => p.name !== 'page-size-optimisation'),
    });
    expect(frames(build, 'big')).toHaveLength(1024);
  });

  it('a physical address decides too', async () => {
    const { build } = await buildSystem(system('0x20000000', 'phys_addr="0x50001000"'), { images: { 'p.elf': [] } });
    expect(frames(build, 'big')[0]).toEqual({ sizeBits: 12, paddr: 0x50001000n });
  });
});
