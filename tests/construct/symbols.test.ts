/** Symbol patching, and the errors around program images. */
import { describe, expect, it } from 'vitest';
import { readSymbolBytes, readSymbolWord } from '../../core/elf/index.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { buildSystem } from '../support/build.js';

const SYSTEM = `<system>
  <memory_region name="buf" size="0x3000" phys_addr="0x50000000"/>
  <memory_region name="placed" size="0x1000"/>
  <protection_domain name="alpha" passive="true" priority="30">
    <program_image path="alpha.elf"/>
    <map mr="buf" vaddr="0x30000000" setvar_vaddr="buf_vaddr" setvar_size="buf_size"/>
    <setvar symbol="buf_paddr" region_paddr="buf"/>
    <setvar symbol="placed_paddr" region_paddr="placed"/>
    <irq irq="40" id="3" setvar_id="irq_id"/>
  </protection_domain>
  <protection_domain name="beta" priority="9">
    <program_image path="beta.elf"/>
    <map mr="placed" vaddr="0x30000000"/>
  </protection_domain>
  <channel><end pd="alpha" id="1" setvar_id="ch_id"/><end pd="beta" id="6" pp="true" notify="false"/></channel>
</system>`;

describe('symbol patching', async () => {
  const { build } = await buildSystem(SYSTEM, {
    images: { 'alpha.elf': ['buf_vaddr', 'buf_size', 'buf_paddr', 'placed_paddr', 'irq_id', 'ch_id'], 'beta.elf': [] },
  });
  const [alpha, beta, monitor] = build.images!.images.map((p) => p.image);
  const placed = build.system.memoryRegions.find((m) => m.name === 'placed')!;

  it('libmicrokit symbols', () => {
    expect(Buffer.from(readSymbolBytes(alpha, 'microkit_name')).toString('utf8').replace(/\0+$/, '')).toBe('alpha');
    expect(readSymbolBytes(alpha, 'microkit_passive')[0]).toBe(1);
    expect(readSymbolBytes(beta, 'microkit_passive')[0]).toBe(0);
    expect(readSymbolWord(alpha, 'microkit_irqs')).toBe(1n << 3n);
    expect(readSymbolWord(alpha, 'microkit_notifications')).toBe(1n << 1n);
    expect(readSymbolWord(alpha, 'microkit_pps')).toBe(0n);
    expect(readSymbolWord(beta, 'microkit_notifications')).toBe(0n);
    expect(readSymbolWord(beta, 'microkit_pps')).toBe(1n << 6n);
    expect(readSymbolWord(alpha, 'microkit_ioports')).toBe(0n);
  });

  it('setvars', () => {
    expect(readSymbolWord(alpha, 'buf_vaddr')).toBe(0x30000000n);
    expect(readSymbolWord(alpha, 'buf_size')).toBe(0x3000n);
    expect(readSymbolWord(alpha, 'buf_paddr')).toBe(0x50000000n);
    expect(readSymbolWord(alpha, 'irq_id')).toBe(3n);
    expect(readSymbolWord(alpha, 'ch_id')).toBe(1n);
    // Placed by the tool, page aligned, in normal memory, and patched on the last pass.
    expect(placed.physAddr.kind).toBe('tool');
    const paddr = placed.physAddr.kind === 'tool' ? placed.physAddr.paddr! : 0n;
    expect(paddr % 0x1000n).toBe(0n);
    expect(paddr >= 0x40000000n && paddr < 0xc0000000n).toBe(true);
    expect(readSymbolWord(alpha, 'placed_paddr')).toBe(paddr);
    const frame = [...build.spec!.objects].find((o) => o.name === 'frame_mr_placed_000000000')!.object;
    expect(frame).toMatchObject({ type: 'Frame', paddr });
  });

  it('the monitor learns names and stack bottoms', () => {
    expect(readSymbolWord(monitor, 'pd_names_len')).toBe(2n);
    const names = readSymbolBytes(monitor, 'pd_names');
    expect(Buffer.from(names.subarray(0, 64)).toString('utf8').replace(/\0+$/, '')).toBe('alpha');
    expect(Buffer.from(names.subarray(64, 128)).toString('utf8').replace(/\0+$/, '')).toBe('beta');
    expect(readSymbolWord(monitor, 'vm_names_len')).toBe(0n);
    const bottoms = readSymbolBytes(monitor, 'pd_stack_bottom_addrs');
    const view = new DataView(bottoms.buffer, bottoms.byteOffset, bottoms.byteLength);
    expect(view.getBigUint64(0, true)).toBe(0xfffffff000n - 0x1000n - 0x2000n);
    expect(view.getBigUint64(16, true)).toBe(0n);
  });
});

async function buildError(text: string, opts: Parameters<typeof buildSystem>[1]): Promise<string> {
  try {
    await buildSystem(text, opts);
  } catch (e) {
    expect(isMicrokitError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('program image errors', () => {
  const one = (extra = '') => `<system><protection_domain name="p"><program_image path="p.elf"/>${extra}</protection_domain></system>`;

  it('a missing program image', async () => {
    const msg = await buildError(one(), {});
    expect(msg.split('\n')[0]).toBe('Error: "unable to find program image: \'p.elf\'"');
    // Then where the SDF asked for it and where we looked (docs/compat.md).
    expect(msg.split('\n')[1]).toBe('  --> t.system:1:37');
    expect(msg.split('\n')[2]).toMatch(/^ {2}searched: \//);
  });

  it('a program image that is not an ELF (a C file) is a clean error', async () => {
    const msg = await buildError(one(), { files: { 'p.elf': Buffer.from('int main(void) { return 0; }\n') } });
    expect(msg).toMatch(/^ERROR: failed to parse ELF '.*p\.elf' for PD 'p': magic check failed\n {2}--> t\.system:1:37$/);
  });

  it('a setvar symbol the image lacks', async () => {
    const text = one('<irq irq="40" id="3" setvar_id="nope"/>');
    const msg = await buildError(text, { images: { 'p.elf': [] } });
    expect(msg).toBe("ERROR: could not patch symbol 'nope' in program image for PD 'p' (p.elf): no symbol named 'nope' found");
  });

  it('a setvar symbol that is not a word', async () => {
    const text = one('<irq irq="40" id="3" setvar_id="microkit_passive"/>');
    const msg = await buildError(text, { images: { 'p.elf': [] } });
    expect(msg).toBe("ERROR: setvar to non-word size symbol 'microkit_passive' for PD 'p', symbol has size '1' bytes, expected size '8' bytes");
  });

  it("a map over the PD's own ELF segments", async () => {
    const text = `<system><memory_region name="m" size="0x1000"/><protection_domain name="p"><program_image path="p.elf"/><map mr="m" vaddr="0x200000"/></protection_domain></system>`;
    const msg = await buildError(text, { images: { 'p.elf': [] } });
    expect(msg).toMatch(
      /^Error: "ERROR: mapping MR 'm' to PD 'p' with vaddr \[0x200000\.\.0x201000\) will overlap with an ELF segment at \[0x200000\.\.0x20[0-9a-f]+\)"$/,
    );
  });

  it('two object names that collide', async () => {
    const text = `<system><protection_domain name="a"><program_image path="p.elf"/></protection_domain><protection_domain name="a_root"><program_image path="p.elf"/></protection_domain></system>`;
    const msg = await buildError(text, { images: { 'p.elf': [] } });
    expect(msg).toMatch(/^Error: two kernel objects would both be named 'cnode_a_root'/);
    // A PD's stack frames and a region's frames, both numbered series.
    const series = `<system><memory_region name="x_stack" size="0x1000"/><protection_domain name="mr_x"><program_image path="p.elf"/><map mr="x_stack" vaddr="0x40000000"/></protection_domain></system>`;
    expect(await buildError(series, { images: { 'p.elf': [] } })).toMatch(/^Error: two kernel objects would both be named 'frame_mr_x_stack_000000000'/);
  });

  it('objects that do not fit in memory', async () => {
    const text = `<system><memory_region name="huge" size="0x100000000"/><protection_domain name="p"><program_image path="p.elf"/><map mr="huge" vaddr="0x100000000"/></protection_domain></system>`;
    const msg = await buildError(text, { images: { 'p.elf': [] } });
    expect(msg).toContain('ERROR: ran out of untypeds for allocating objects of size 2 MiB');
    expect(msg.trimEnd().split('\n').at(-1)).toBe('ERROR: could not allocate all required kernel objects. Please see report for more details.');
  });
});
