/**
 * The typed system API: it builds the model the SDF parser builds, with the
 * SDF's checks and texts, located at the call in this file; its helpers
 * (automatic ids and map addresses) pick what a careful SDF author would.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import type { SystemDescription } from '../../core/sdf/model.js';
import { system, type SystemBuilder } from '../../core/system/index.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';
import { comparableModel } from './model-compare.js';

const THIS_FILE = 'tests/system/api.test.ts';
const SOURCE = readFileSync(new URL(import.meta.url), 'utf8').split('\n');

/** 1-based line of the line containing `marker` in this file. */
function lineOf(marker: string): number {
  const i = SOURCE.findIndex((l) => l.includes(marker) && !l.includes('lineOf('));
  expect(i, marker).toBeGreaterThanOrEqual(0);
  return i + 1;
}

function check(source: string | SystemBuilder, board = 'qemu_virt_aarch64'): Promise<SystemDescription> {
  return checkSystem(source, { file: 't.system', kernel: presetKernel(board), plugins: presetPlugins(board) });
}

async function errorOf(source: SystemBuilder, board?: string): Promise<string> {
  try {
    await check(source, board);
  } catch (e) {
    expect(isMicrokitError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('the API builds the same model as the SDF', () => {
  it('PDs, regions, maps, IRQs, channels, children, VMs, cap maps, setvars (AArch64)', async () => {
    const sdf = `<?xml version="1.0" encoding="UTF-8"?>
<system>
    <memory_region name="uart" size="0x1000" phys_addr="0x9000000" />
    <memory_region name="shared" size="0x200000" page_size="0x200000" />
    <memory_region name="guest_ram" size="0x10000000" page_size="0x200000" />
    <protection_domain name="server" priority="200" passive="true" budget="100" period="200" stack_size="0x4000">
        <program_image path="server.elf" />
        <map mr="uart" vaddr="0x2000000" perms="rw" cached="false" setvar_vaddr="uart_base" />
        <map mr="shared" vaddr="0x20000000" perms="r" setvar_size="shared_size" />
        <irq irq="33" id="0" trigger="edge" setvar_id="uart_irq" />
        <setvar symbol="uart_paddr" region_paddr="uart" />
        <protection_domain name="child" id="0" setvar_id="child_id" priority="100">
            <program_image path="child.elf" />
        </protection_domain>
    </protection_domain>
    <protection_domain name="client" priority="100">
        <program_image path="client.elf" />
        <map mr="shared" vaddr="0x20000000" perms="rw" />
        <cspace>
            <cap_tcb pd="server" slot="5" />
        </cspace>
    </protection_domain>
    <protection_domain name="vmm" priority="150">
        <program_image path="vmm.elf" />
        <virtual_machine name="linux" priority="120">
            <vcpu id="0" setvar_id="vcpu0" />
            <map mr="guest_ram" vaddr="0x40000000" perms="rwx" />
        </virtual_machine>
    </protection_domain>
    <channel>
        <end pd="server" id="1" />
        <end pd="client" id="0" pp="true" setvar_id="server_ch" />
    </channel>
</system>
`;
    const sys = system();
    const uart = sys.memoryRegion('uart', { size: 0x1000n, physAddr: 0x9000000n });
    const shared = sys.memoryRegion('shared', { size: 0x200000n, pageSize: 0x200000n });
    const guestRam = sys.memoryRegion('guest_ram', { size: 0x10000000n, pageSize: 0x200000n });
    const server = sys
      .protectionDomain('server', { programImage: 'server.elf', priority: 200, passive: true, budget: 100, period: 200, stackSize: 0x4000 })
      .map(uart, { vaddr: 0x2000000n, cached: false, setvarVaddr: 'uart_base' })
      // Automatic: the first address at the PD's map base (0x20000000) aligned to 2 MiB.
      .map(shared, { perms: 'r', setvarSize: 'shared_size' })
      // Automatic id: 0 (the channel below takes 1).
      .irq({ irq: 33, trigger: 'edge', setvarId: 'uart_irq' })
      .setvar('uart_paddr', { regionPaddr: uart });
    server.child('child', { programImage: 'child.elf', priority: 100, setvarId: 'child_id' });
    const client = sys.protectionDomain('client', { programImage: 'client.elf', priority: 100 }).map(shared).capMap('tcb', server, 5);
    sys
      .protectionDomain('vmm', { programImage: 'vmm.elf', priority: 150 })
      .virtualMachine('linux', { priority: 120 })
      .vcpu({ setvarId: 'vcpu0' })
      .map(guestRam, { vaddr: 0x40000000n, perms: 'rwx' });
    sys.channel(server, client, { a: { id: 1 }, b: { pp: true, setvarId: 'server_ch' } });

    const fromSdf = await check(sdf);
    const fromApi = await check(sys);
    expect(comparableModel(fromApi)).toEqual(comparableModel(fromSdf));
    // Locations are the calls in this file.
    expect(fromApi.protectionDomains[0].location.file).toBe(THIS_FILE);
    expect(fromApi.protectionDomains[0].maps[1].location.line).toBe(lineOf(".map(shared, { perms: 'r'"));
  });

  it('x86: I/O APIC and MSI IRQs, I/O ports, IO address spaces', async () => {
    const sdf = `<system>
    <memory_region name="buf" size="0x2000" />
    <io_address_space name="nic" peripheral_id="0:3.0" domain_id="1">
        <iomap mr="buf" iovaddr="0x100000" perms="r" />
    </io_address_space>
    <protection_domain name="drv" priority="10">
        <program_image path="drv.elf" />
        <irq pin="4" ioapic="0" trigger="edge" polarity="low" vector="5" id="0" />
        <irq pcidev="0:3.0" handle="0" vector="6" id="1" setvar_id="msi_id" />
        <ioport id="0" addr="0x3f8" size="8" setvar_addr="com1" />
        <ioport id="1" addr="0x2f8" size="8" />
    </protection_domain>
</system>`;
    const sys = system();
    const buf = sys.memoryRegion('buf', { size: 0x2000 });
    sys.ioAddressSpace('nic', { peripheralId: '0:3.0', domainId: 1 }).map(buf, { iovaddr: 0x100000, perms: 'r' });
    sys
      .protectionDomain('drv', { programImage: 'drv.elf', priority: 10 })
      .irq({ pin: 4, ioapic: 0, trigger: 'edge', polarity: 'low', vector: 5 })
      .irq({ pcidev: '0:3.0', handle: 0, vector: 6, setvarId: 'msi_id' })
      .ioport({ addr: 0x3f8, size: 8, setvarAddr: 'com1' })
      .ioport({ addr: 0x2f8, size: 8 });
    expect(comparableModel(await check(sys, 'x86_64_generic'))).toEqual(comparableModel(await check(sdf, 'x86_64_generic')));
  });

  it('domains and their schedule', async () => {
    const sdf = `<system>
    <domains>
        <domain name="a" />
        <domain name="b" id="3" />
        <domain_schedule>
            <schedule_entry domain="a" duration="1000 us" />
            <schedule_entry domain="b" duration="5 ticks" />
        </domain_schedule>
    </domains>
    <protection_domain name="p" domain="b">
        <program_image path="p.elf" />
    </protection_domain>
</system>`;
    const sys = system().domainSchedule({
      domains: ['a', { name: 'b', id: 3 }],
      schedule: [
        { domain: 'a', duration: { us: 1000 } },
        { domain: 'b', duration: '5 ticks' },
      ],
    });
    sys.protectionDomain('p', { programImage: 'p.elf', domain: 'b' });
    expect(comparableModel(await check(sys, 'qemu_virt_aarch64_el1'))).toEqual(comparableModel(await check(sdf, 'qemu_virt_aarch64_el1')));
  });
});

describe('helpers', () => {
  it('automatic channel ids: lowest free per PD, after explicit ids, shared with IRQs', async () => {
    const sys = system();
    const a = sys.protectionDomain('a', { programImage: 'a.elf', priority: 10 }).irq({ irq: 40, id: 0 });
    const b = sys.protectionDomain('b', { programImage: 'b.elf', priority: 20 });
    sys.channel(a, b);
    sys.channel(a, 'b', { b: { id: 0 } });
    sys.channel('a', b);
    const model = await check(sys);
    expect(model.channels.map((c) => [c.a.id, c.b.id])).toEqual([
      [1n, 1n],
      [2n, 0n],
      [3n, 2n],
    ]);
  });

  it('automatic map addresses: next free, aligned to the page size, around explicit maps', async () => {
    const sys = system();
    const small = sys.memoryRegion('small', { size: 0x3000 });
    const large = sys.memoryRegion('large', { size: 0x200000, pageSize: 0x200000 });
    sys.protectionDomain('p', { programImage: 'p.elf', mapBase: 0x10000000n }).map(small, { vaddr: 0x10001000n }).map(small).map(large).map(small);
    const model = await check(sys);
    expect(model.protectionDomains[0].maps.map((m) => m.vaddr)).toEqual([0x10001000n, 0x10004000n, 0x10200000n, 0x10007000n]);
  });

  it('automatic child and vCPU ids avoid each other', async () => {
    const sys = system();
    const vmm = sys.protectionDomain('vmm', { programImage: 'vmm.elf', priority: 100 });
    vmm.virtualMachine('vm').vcpu({ id: 0 });
    vmm.child('c1', { programImage: 'c.elf', priority: 50 });
    vmm.child('c2', { programImage: 'c.elf', priority: 50, id: 1 });
    const model = await check(sys);
    expect(model.protectionDomains.filter((p) => p.parent !== undefined).map((p) => p.childId)).toEqual([2n, 1n]);
  });

  it('an automatic address for a region of unknown size is an error at the map call', async () => {
    const sys = system();
    sys.memoryRegion('fill', { prefillPath: 'fill.bin' });
    sys.protectionDomain('p', { programImage: 'p.elf' }).map('fill'); // AUTO-VADDR-ERROR
    const message = await errorOf(sys);
    const line = lineOf('AUTO-VADDR-ERROR');
    const column = SOURCE[line - 1].indexOf('map(') + 1;
    expect(message).toBe(
      `Error: an automatic vaddr for memory region 'fill' needs the region's size (give 'size', or 'vaddr') @ ${THIS_FILE}:${line}:${column}`,
    );
  });
});

describe('errors: the SDF texts, located at the call', () => {
  const at = (marker: string, call: string) => `${THIS_FILE}:${lineOf(marker)}:${SOURCE[lineOf(marker) - 1].indexOf(call) + 1}`;

  it('a bad map attribute value', async () => {
    const sys = system();
    const mr = sys.memoryRegion('m', { size: 0x1000 });
    sys.protectionDomain('p', { programImage: 'p.elf' }).map(mr, { vaddr: 0x2000000, perms: 'z' }); // BAD-PERMS
    expect(await errorOf(sys)).toBe(`Error: perms must only be a combination of 'r', 'w', and 'x' on element 'map': ${at('BAD-PERMS', 'map(')}`);
  });

  it('a size that is not a multiple of the page size', async () => {
    const sys = system();
    sys.memoryRegion('m', { size: 0x1234 }); // BAD-SIZE
    expect(await errorOf(sys)).toBe(`Error: size is not a multiple of the page size on element 'memory_region': ${at('BAD-SIZE', 'memoryRegion(')}`);
  });

  it('a whole-system rule (duplicate channel id) at the PD, as the SDF path', async () => {
    const sys = system();
    const a = sys.protectionDomain('a', { programImage: 'a.elf', priority: 1 }); // DUP-PD
    const b = sys.protectionDomain('b', { programImage: 'b.elf', priority: 2 });
    sys.channel(a, b, { a: { id: 3 } });
    a.irq({ irq: 40, id: 3 });
    expect(await errorOf(sys)).toBe(`Error: duplicate channel id: 3 in protection domain: 'a' @ ${at('DUP-PD', 'protectionDomain(')}`);
  });

  it('an unknown region in a map', async () => {
    const sys = system();
    sys.protectionDomain('p', { programImage: 'p.elf' }).map('nope', { vaddr: 0x2000000 }); // UNKNOWN-MR
    const message = await errorOf(sys);
    expect(message.split('\n')[0]).toMatch(/^Error: .*'nope'/);
    expect(message).toContain(at('UNKNOWN-MR', 'map('));
  });

  it('a number that is not an integer', async () => {
    const sys = system();
    sys.protectionDomain('p', { programImage: 'p.elf', priority: 1.5 }); // BAD-NUMBER
    const message = await errorOf(sys);
    expect(message.split('\n')[0]).toBe("Error: failed to parse integer '1.5' on element 'protection_domain': invalid digit found in string");
    expect(message.split('\n')[1]).toBe(`  --> ${at('BAD-NUMBER', 'protectionDomain(')}`);
  });

  it('a feature the architecture lacks (I/O ports on AArch64)', async () => {
    const sys = system();
    sys.protectionDomain('p', { programImage: 'p.elf' }).ioport({ addr: 0x3f8, size: 8 }); // NO-IOPORTS
    expect(await errorOf(sys)).toBe(`Error: I/O Ports are only available on x86 on element 'protection_domain': ${at('NO-IOPORTS', 'protectionDomain(')}`);
  });
});
