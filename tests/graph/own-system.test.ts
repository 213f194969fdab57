/**
 * `microkit graph` on a system of our own with what the examples lack: a
 * VMM with a virtual machine and IRQs, a child PD, a shared region mapped
 * with different rights, PPC channels in both directions and a one-way
 * notification.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';

const SDF = `<?xml version="1.0" encoding="UTF-8"?>
<system>
    <memory_region name="shared" size="0x2000" />
    <memory_region name="guest_ram" size="0x200000" page_size="0x200000" />
    <protection_domain name="vmm" priority="200">
        <program_image path="img.elf" />
        <map mr="shared" vaddr="0x3000000" perms="rw" />
        <irq irq="40" id="5" />
        <virtual_machine name="linux" priority="100">
            <vcpu id="0" />
            <map mr="guest_ram" vaddr="0x40000000" perms="rwx" />
        </virtual_machine>
        <protection_domain name="child" priority="150" id="7">
            <program_image path="img.elf" />
            <map mr="shared" vaddr="0x3000000" perms="r" />
        </protection_domain>
    </protection_domain>
    <protection_domain name="peer" priority="100" passive="true">
        <program_image path="img.elf" />
    </protection_domain>
    <channel>
        <end pd="vmm" id="9" notify="false" />
        <end pd="child" id="4" pp="true" />
    </channel>
    <channel>
        <end pd="peer" id="1" />
        <end pd="vmm" id="0" notify="false" />
    </channel>
</system>
`;

describe('microkit graph on a VMM system', () => {
  it('nests the child and the VM in the VMM, directs PPCs to the callee and draws shared maps with their rights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-graph-own-'));
    writeFileSync(join(dir, 'vmm.system'), SDF);
    const r = await cli(['graph', 'vmm.system', '--board', 'qemu_virt_aarch64', '--format', 'dot'], { cwd: dir, env: {} });
    expect(r.code, r.stderr).toBe(0);
    const dot = r.stdout;
    // child and VM inside the VMM's cluster.
    const cluster = dot.slice(dot.indexOf('subgraph'), dot.indexOf('\n  }'));
    expect(cluster).toContain('"pd:vmm"');
    expect(cluster).toContain('"pd:child"');
    expect(cluster).toContain('"vm:linux"');
    expect(cluster).not.toContain('"pd:peer" [');
    // child calls vmm (pp on child's end).
    expect(dot).toMatch(/"pd:child" -> "pd:vmm" \[id="channel:0", class="mk_pp"/);
    // peer may notify vmm, vmm may not notify peer: one arrowhead.
    expect(dot).toMatch(/"pd:peer" -> "pd:vmm" \[id="channel:1", class="mk_notification"[^\n]*\]/);
    expect(dot).not.toMatch(/id="channel:1"[^\n]*dir=both/);
    expect(dot).toMatch(/"pd:vmm" -> "mr:shared" [^\n]*label="rw"/);
    expect(dot).toMatch(/"pd:child" -> "mr:shared" [^\n]*label="r"/);
    // guest_ram has one mapper (the VM): not drawn.
    expect(dot).not.toContain('"mr:guest_ram"');
    expect(dot).toMatch(/"irq:vmm:5" -> "pd:vmm" [^\n]*label="5"/);
    expect(dot).toContain('label="peer\\nprio 100, passive"');
  });
});
