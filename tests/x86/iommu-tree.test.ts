/**
 * VT-d IO page-table trees in the spec: the 2^39 edge, many devices, and
 * memory regions shared by several devices and a PD. Expectations are
 * computed from the rules (IOVA bit fields [38:30], [29:21], [20:12];
 * frames in the last level; rights from the iomap), not read back from the
 * plugin's own helpers.
 */
import { describe, expect, it } from 'vitest';
import type { FrameCap, Spec } from '../../core/capdl/spec.js';
import { buildSystem } from '../support/build.js';
import { capAt, ioPath, named, objectsOfType, slotsOf, walk } from './support.js';

const pd = (maps = '') => `<protection_domain name="drv" priority="10"><program_image path="drv.elf" />${maps}</protection_domain>`;
const build = (text: string, levels: 'auto' | 3 = 3) =>
  buildSystem(text, { board: 'x86_64_generic', images: { 'drv.elf': [] }, settings: { iommu: { levels } } });
const errorOf = (text: string) =>
  build(text).then(
    () => '(built)',
    (e: Error) => e.message,
  );

/** The frame cap a device sees at `iova`. */
function ioFrame(spec: Spec, space: string, iova: bigint): FrameCap | undefined {
  const cap = walk(spec, named(spec, `iospace_${space}`).object, ioPath(iova));
  if (cap !== undefined) expect(cap.type).toBe('Frame');
  return cap as FrameCap | undefined;
}

/** The IOPT objects of one IO space's tree, by level (0 = under the IOSpace). */
function treeLevels(spec: Spec, space: string): number[][] {
  const levels: number[][] = [[], [], []];
  const root = capAt(named(spec, `iospace_${space}`).object, 0)!;
  const visit = (id: number, level: number) => {
    const obj = spec.objects.get(id).object;
    expect(obj).toMatchObject({ type: 'IOPageTable', level: BigInt(level) });
    levels[level].push(id);
    if (level < 2) for (const e of slotsOf(obj)) visit(e.cap.object, level + 1);
    else for (const e of slotsOf(obj)) expect(e.cap.type).toBe('Frame');
  };
  visit(root.object, 0);
  return levels;
}

describe('the 39-bit edge', () => {
  it('a map ending exactly at 0x8000000000 builds, in the last slot of every level', async () => {
    const text = `<system>
      <memory_region name="top" size="0x2000" />
      <io_address_space name="dev" peripheral_id="0:3.0" domain_id="1"><iomap mr="top" iovaddr="0x7ffffe000" /></io_address_space>
      <io_address_space name="edge" peripheral_id="0:5.0" domain_id="2"><iomap mr="top" iovaddr="0x7fffffe000" /></io_address_space>
      ${pd()}
    </system>`;
    const spec = (await build(text)).build.spec!;
    // 0x7fffffe000: [38:30] = 511, [29:21] = 511, [20:12] = 510 and 511.
    expect(ioPath(0x7fffffe000n)).toEqual([0, 511, 511, 510]);
    const frames = [named(spec, 'frame_mr_top_000000000').id, named(spec, 'frame_mr_top_000000001').id];
    expect(ioFrame(spec, 'edge', 0x7fffffe000n)?.object).toBe(frames[0]);
    expect(ioFrame(spec, 'edge', 0x7ffffff000n)?.object).toBe(frames[1]);
    expect(treeLevels(spec, 'edge').map((l) => l.length)).toEqual([1, 1, 1]);
    const leaf = spec.objects.get(treeLevels(spec, 'edge')[2][0]).object;
    expect(
      slotsOf(leaf)
        .map((e) => e.slot)
        .sort(),
    ).toEqual([510, 511]);
    // The other device maps the same frames lower down: [38:30] = 1, [29:21] = 511, [20:12] = 510, 511.
    expect(ioFrame(spec, 'dev', 0x7ffffe000n)?.object).toBe(frames[0]);
    expect(ioFrame(spec, 'dev', 0x7fffff000n)?.object).toBe(frames[1]);
  });

  it("one page beyond fails with upstream's messages", async () => {
    const sys = (iova: string, size = '0x2000') => `<system>
      <memory_region name="top" size="${size}" />
      <io_address_space name="dev" peripheral_id="0:3.0" domain_id="1"><iomap mr="top" iovaddr="${iova}" /></io_address_space>
      ${pd()}
    </system>`;
    expect(await errorOf(sys('0x7ffffff000'))).toMatch(
      /^Error: iomap for 'top' has io address range \[0x7ffffff000\.\.0x8000001000\) which exceeds valid address space \[0x0\.\.0x8000000000\) @ t\.system:3:/,
    );
    expect(await errorOf(sys('0x8000000000', '0x1000'))).toMatch(
      /^Error: iovaddr \(0x8000000000\) must be less than 0x8000000000 on element 'iomap': t\.system:3:/,
    );
    // The last page alone is fine.
    expect(await errorOf(sys('0x7ffffff000', '0x1000'))).toBe('(built)');
  });
});

describe('many devices', () => {
  const N = 40;
  const spaces = Array.from({ length: N }, (_, i) => ({
    name: `dev${i}`,
    bus: i >> 3,
    device: (i * 5) & 31,
    fn: i & 7,
    domain: 100 + i,
    iova: BigInt(i) * 0x4020_1000n, // a different slot at every level for most devices
  }));
  const text = `<system>
    ${spaces.map((s) => `<memory_region name="buf${s.name}" size="0x1000" />`).join('\n')}
    ${spaces
      .map(
        (s) =>
          `<io_address_space name="${s.name}" peripheral_id="${s.bus.toString(16)}:${s.device.toString(16)}.${s.fn}" domain_id="${s.domain}">` +
          `<iomap mr="buf${s.name}" iovaddr="0x${s.iova.toString(16)}" /></io_address_space>`,
      )
      .join('\n')}
    ${pd()}
  </system>`;

  it('40 IO spaces: one IOSpace each with its PCI device and domain, its own tree, three spares each under auto', async () => {
    const spec = (await build(text, 'auto')).build.spec!;
    const iospaces = objectsOfType(spec, 'IOSpace');
    expect(iospaces.length).toBe(N);
    const treeIds = new Set<number>();
    for (const s of spaces) {
      const obj = named(spec, `iospace_${s.name}`).object;
      expect(obj).toMatchObject({ type: 'IOSpace', domainId: BigInt(s.domain), pciDevice: { bus: s.bus, device: s.device, function: s.fn } });
      expect(
        slotsOf(obj)
          .map((e) => e.slot)
          .sort(),
      ).toEqual([0, 1, 2, 3]);
      expect(ioFrame(spec, s.name, s.iova)?.object).toBe(named(spec, `frame_mr_buf${s.name}_000000000`).id);
      for (const level of treeLevels(spec, s.name)) {
        expect(level.length).toBe(1);
        for (const id of level) {
          expect(treeIds.has(id), `${s.name}: tables are never shared between devices`).toBe(false);
          treeIds.add(id);
        }
      }
    }
    expect(treeIds.size).toBe(N * 3);
    expect(objectsOfType(spec, 'IOPageTable').length).toBe(N * 3 + N * 3);
    // IOSpace objects have no size: they are minted from the initial IOSpace cap, not retyped.
    expect(new Set(iospaces.map((o) => o.name)).size).toBe(N);
  });

  it('with levels 3 the same system has no spare tables', async () => {
    const spec = (await build(text, 3)).build.spec!;
    expect(objectsOfType(spec, 'IOPageTable').length).toBe(N * 3);
    for (const s of spaces) expect(slotsOf(named(spec, `iospace_${s.name}`).object).map((e) => e.slot)).toEqual([0]);
  });

  it('domain ids and devices must stay unique', async () => {
    const dupDomain = text.replace('domain_id="101"', 'domain_id="100"');
    expect(await errorOf(dupDomain)).toMatch(/^Error: reusing a domain id is forbidden on element 'io_address_space'/);
    const dupDevice = text.replace('peripheral_id="0:5.1"', 'peripheral_id="0:0.0"');
    expect(await errorOf(dupDevice)).toMatch(/^Error: duplicate device peripheral_id 'PCI device 00:00\.0' on element 'io_address_space'/);
  });
});

describe('a memory region shared by several devices and a PD', () => {
  const text = `<system>
    <memory_region name="shared" size="0x3000" />
    <io_address_space name="nic" peripheral_id="0:3.0" domain_id="1"><iomap mr="shared" iovaddr="0x10000" perms="rw" /></io_address_space>
    <io_address_space name="disk" peripheral_id="0:4.0" domain_id="2"><iomap mr="shared" iovaddr="0x7f00000000" perms="r" /></io_address_space>
    <io_address_space name="gpu" peripheral_id="2:0.0" domain_id="3"><iomap mr="shared" iovaddr="0x10000" perms="w" /></io_address_space>
    ${pd('<map mr="shared" vaddr="0x5000000" perms="r" />')}
  </system>`;

  it("the same frame objects appear in every tree and in the PD, with each mapping's rights", async () => {
    const spec = (await build(text)).build.spec!;
    const frames = [0, 1, 2].map((i) => named(spec, `frame_mr_shared_00000000${i}`).id);
    expect(objectsOfType(spec, 'Frame').filter((f) => f.name.startsWith('frame_mr_shared_')).length).toBe(3);
    const expectIo = (space: string, base: bigint, read: boolean, write: boolean) => {
      frames.forEach((frame, i) => {
        expect(ioFrame(spec, space, base + BigInt(i) * 0x1000n), `${space} page ${i}`).toEqual({
          type: 'Frame',
          object: frame,
          rights: { read, write, grant: false, grantReply: false },
          cached: false,
          executable: false,
        });
      });
    };
    expectIo('nic', 0x10000n, true, true);
    expectIo('disk', 0x7f00000000n, true, false);
    expectIo('gpu', 0x10000n, false, true);
    // The PD's own mapping of the same frames (x86-64: PML4 [47:39], PDPT [38:30], PD [29:21], PT [20:12]).
    const vspace = capAt(named(spec, 'cnode_drv').object, 3)!;
    frames.forEach((frame, i) => {
      const va = 0x5000000n + BigInt(i) * 0x1000n;
      const path = [39n, 30n, 21n, 12n].map((shift) => Number((va >> shift) & 0x1ffn));
      const cap = walk(spec, spec.objects.get(vspace.object).object, path);
      expect(cap, `PD page ${i}`).toMatchObject({ type: 'Frame', object: frame, rights: { read: true, write: false }, cached: true });
    });
    // No tree shares tables with another, though nic and gpu use the same IO addresses.
    const tables = ['nic', 'disk', 'gpu'].flatMap((s) => treeLevels(spec, s).flat());
    expect(new Set(tables).size).toBe(tables.length);
  });

  it('overlapping iomaps within one device are rejected, across devices allowed', async () => {
    const overlap = text.replace('</io_address_space>', '<iomap mr="shared" iovaddr="0x11000" /></io_address_space>');
    expect(await errorOf(overlap)).toMatch(
      /^Error: map for 'shared' has io address range \[0x11000\.\.0x14000\) which overlaps with map for 'shared' \[0x10000\.\.0x13000\) in PCI device 00:03\.0 @/,
    );
  });

  it('iomapped regions keep 4 KiB pages; a 2 MiB page size is rejected', async () => {
    const big = `<system>
      <memory_region name="big" size="0x200000" />
      <io_address_space name="nic" peripheral_id="0:3.0" domain_id="1"><iomap mr="big" iovaddr="0x200000" /></io_address_space>
      ${pd('<map mr="big" vaddr="0x4000000" />')}
    </system>`;
    const spec = (await build(big)).build.spec!;
    // 2 MiB-aligned everywhere, yet not promoted to a large page because a device maps it.
    expect(
      objectsOfType(spec, 'Frame')
        .filter((f) => f.name.startsWith('frame_mr_big_'))
        .map((f) => f.object.sizeBits),
    ).toEqual(Array(512).fill(12));
    expect(await errorOf(big.replace('size="0x200000"', 'size="0x200000" page_size="0x200000"'))).toMatch(
      /^Error: currently seL4 does not have large page support for the IOMMU/,
    );
  });
});
