/**
 * SDF edges where upstream's behaviour moved or where 64-bit values meet
 * their limits: an empty IO address space, write-without-read maps, and
 * addresses and sizes at 2^47 … 2^64 − 1 (a clean error or a build, never a
 * crash or a silently wrapped number).
 */
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { buildSystem } from '../support/build.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';

const pd = (body = '') => `<protection_domain name="p" priority="10"><program_image path="p.elf"/>${body}</protection_domain>`;

async function checkError(text: string, board = 'qemu_virt_aarch64'): Promise<string | undefined> {
  try {
    await checkSystem(text, { file: 't.system', kernel: presetKernel(board), plugins: presetPlugins(board) });
    return undefined;
  } catch (e) {
    expect(isMicrokitError(e), String(e)).toBe(true);
    return (e as Error).message.split('\n')[0];
  }
}

describe('an <io_address_space> without <iomap>', () => {
  it('creates nothing in the spec, as upstream', async () => {
    const base = `<memory_region name="m" size="0x1000"/>${pd()}`;
    const build = (extra: string) =>
      buildSystem(`<system>${base}${extra}</system>`, { board: 'x86_64_generic', images: { 'p.elf': [] } }).then((b) => b.build.spec!);
    const without = await build('');
    const withEmpty = await build('<io_address_space name="dev" peripheral_id="0:3.0" domain_id="1"/>');
    expect(withEmpty.objects.length).toBe(without.objects.length);
    expect([...withEmpty.objects].some((o) => o.object.type === 'IOSpace')).toBe(false);
    const withMap = await build('<io_address_space name="dev" peripheral_id="0:3.0" domain_id="1"><iomap mr="m" iovaddr="0x1000"/></io_address_space>');
    expect([...withMap.objects].filter((o) => o.object.type === 'IOSpace').length).toBe(1);
  });
});

describe('map perms', () => {
  const withPerms = (perms: string) => `<system><memory_region name="m" size="0x1000"/>${pd(`<map mr="m" vaddr="0x400000" perms="${perms}"/>`)}</system>`;
  it("refuses 'wx' (seL4 refuses write-without-read at run time; upstream since PR #577)", async () => {
    expect(await checkError(withPerms('wx'))).toBe("Error: perms must not be 'wx', write-only mappings are not allowed on element 'map': t.system:1:119");
    expect(await checkError(withPerms('xw'))).toMatch(/^Error: perms must not be 'wx'/);
  });
  it("still refuses 'w' with upstream's words and accepts every readable combination", async () => {
    expect(await checkError(withPerms('w'))).toMatch(/^Error: perms must not be 'w', write-only mappings are not allowed/);
    for (const ok of ['r', 'rw', 'rx', 'rwx', 'x']) expect(await checkError(withPerms(ok)), ok).toBeUndefined();
  });
});

describe('64-bit edges wherever the SDF takes an address or a size', () => {
  const EDGES = [2n ** 47n, 2n ** 48n, 2n ** 52n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n];
  const hex = (v: bigint) => `0x${v.toString(16)}`;
  const systems = (v: string) => [
    `<system><memory_region name="m" size="${v}"/>${pd()}</system>`,
    `<system><memory_region name="m" size="0x1000" phys_addr="${v}"/>${pd()}</system>`,
    `<system><memory_region name="m" size="0x1000"/>${pd(`<map mr="m" vaddr="${v}"/>`)}</system>`,
    `<system><memory_region name="m" size="0x1000"/>${pd(`<map mr="m" vaddr="0x400000" setvar_vaddr="x"/><setvar symbol="y" region_paddr="m"/>`)}</system>`,
    `<system><protection_domain name="p" priority="10" stack_size="${v}"><program_image path="p.elf"/></protection_domain></system>`,
    `<system><memory_region name="m" size="${v}" page_size="0x200000"/>${pd()}</system>`,
  ];
  for (const board of ['qemu_virt_aarch64', 'qemu_virt_riscv64', 'x86_64_generic']) {
    it(`${board}: every edge value gives a system or a clean error`, async () => {
      for (const v of EDGES) {
        for (const text of [...systems(hex(v)), ...systems(v.toString())]) {
          const msg = await checkError(text, board);
          if (msg !== undefined) expect(msg, text).toMatch(/^Error: /);
          // 2^64 does not fit: it must be refused, never wrapped.
          if (v === 2n ** 64n && text.includes(hex(v))) expect(msg, text).toBeDefined();
        }
      }
    });
  }

  it('addresses just past the top of the address space are refused with the limit', async () => {
    const msg = await checkError(`<system><memory_region name="m" size="0x1000"/>${pd(`<map mr="m" vaddr="${hex(2n ** 64n - 1n)}"/>`)}</system>`);
    expect(msg).toMatch(/^Error: vaddr \(0xffffffffffffffff\) must be less than 0x/);
  });
});

describe('bounded memory for huge memory regions', () => {
  const huge = (size: bigint, extra = '') => `<system><memory_region name="m" size="0x${size.toString(16)}" page_size="0x1000" ${extra}/>${pd()}</system>`;
  const buildError = (text: string, board: string) =>
    buildSystem(text, { board, images: { 'p.elf': [] } }).then(
      () => '(built)',
      (e: unknown) => {
        expect(isMicrokitError(e), String(e)).toBe(true);
        return (e as Error).message.split('\n')[0];
      },
    );
  for (const board of ['qemu_virt_aarch64', 'qemu_virt_riscv64', 'x86_64_generic']) {
    it(`${board}: a 2^52-byte region is refused before its frames exist`, async () => {
      const before = process.memoryUsage().rss;
      expect(await buildError(huge(2n ** 52n), board)).toMatch(/^ERROR: memory region 'm' (of 0x10000000000000 bytes|\[)/);
      expect(await buildError(huge(2n ** 52n, 'phys_addr="0x0"'), board)).toMatch(/^ERROR: memory region 'm' /);
      expect(await buildError(huge(2n ** 64n - 2n ** 12n), board)).toMatch(/^ERROR: memory region 'm' /);
      // Refused up front: no per-page memory was spent (a 2^52 region has 2^40 pages).
      expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    });
  }
  it("a region the board cannot hold but of modest size keeps upstream's allocation error", async () => {
    expect(await buildError(huge(2n ** 36n).replace('page_size="0x1000"', ''), 'qemu_virt_aarch64')).toMatch(/^ERROR: ran out of untypeds/);
  });
});

describe('64-bit edges through a full build (allocation, placement, images)', () => {
  const PADDRS = [2n ** 47n, 2n ** 48n, 2n ** 52n, 2n ** 53n - 4096n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 4096n];
  for (const board of ['qemu_virt_aarch64', 'qemu_virt_riscv64', 'x86_64_generic']) {
    it(`${board}: phys_addr at every edge builds or fails cleanly`, async () => {
      for (const paddr of PADDRS) {
        const text = `<system><memory_region name="m" size="0x1000" phys_addr="0x${paddr.toString(16)}"/>${pd('<map mr="m" vaddr="0x10000000"/>')}</system>`;
        try {
          const { build } = await buildSystem(text, { board, images: { 'p.elf': [] } });
          // Built: the frame sits exactly where asked, as a bigint, never rounded through a double.
          const frame = [...build.spec!.objects].find((o) => o.name === 'frame_mr_m_000000000')!.object as { paddr?: bigint | null };
          expect(frame.paddr).toBe(paddr);
        } catch (e) {
          expect(isMicrokitError(e), String(e)).toBe(true);
          expect((e as Error).message).toMatch(/^(ERROR|Error): /);
        }
      }
    });
  }
});
