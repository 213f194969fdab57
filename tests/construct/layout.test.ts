/** CNode slots, badges and bound caps: the runtime contract with libmicrokit, the monitor and the initialiser. */
import { describe, expect, it } from 'vitest';
import type { Cap, CapTableEntry, NamedObject, Spec } from '../../core/capdl/spec.js';
import { buildSystem } from '../support/build.js';

const SYSTEM = `<system>
  <memory_region name="shared" size="0x1000"/>
  <protection_domain name="client" priority="10">
    <program_image path="client.elf"/>
    <map mr="shared" vaddr="0x30000000" perms="r" cached="false"/>
    <irq irq="33" id="7" trigger="edge"/>
  </protection_domain>
  <protection_domain name="server" priority="20" passive="true">
    <program_image path="server.elf"/>
    <map mr="shared" vaddr="0x40000000"/>
    <protection_domain name="child" id="3" priority="5">
      <program_image path="child.elf"/>
    </protection_domain>
  </protection_domain>
  <channel><end pd="client" id="1" pp="true"/><end pd="server" id="2"/></channel>
  <channel><end pd="client" id="4" notify="false"/><end pd="server" id="5"/></channel>
</system>`;

function byName(spec: Spec, name: string): NamedObject {
  const o = [...spec.objects].find((x) => x.name === name);
  if (!o) throw new Error(`no object ${name}`);
  return o;
}

function slots(spec: Spec, name: string): Map<number, Cap> {
  const o = byName(spec, name).object as { slots?: CapTableEntry[] };
  return new Map((o.slots ?? []).map((e) => [e.slot, e.cap]));
}

function target(spec: Spec, cap: Cap | undefined): string {
  if (!cap) throw new Error('no cap');
  return spec.objects.get(cap.object).name;
}

describe('spec layout', async () => {
  const { build } = await buildSystem(SYSTEM, { images: { 'client.elf': [], 'server.elf': [], 'child.elf': [] } });
  const spec = build.spec!;

  it("a PD CNode holds libmicrokit's caps at its slots", () => {
    const client = slots(spec, 'cnode_client');
    expect(target(spec, client.get(1))).toBe('ntfn_client'); // input: no PPC into the client
    expect(client.get(2)).toMatchObject({ type: 'Endpoint', badge: 1n }); // fault EP to the monitor, index 0 + 1
    expect(target(spec, client.get(2))).toBe('ep_fault_monitor');
    expect(target(spec, client.get(3))).toBe('pud_client');
    expect(target(spec, client.get(4))).toBe('reply_client');
    expect(client.has(5)).toBe(false); // not passive
    // Channel 1 (client → server): notify with the server's id as badge, PPC endpoint with the PPC bit.
    expect(client.get(10 + 1)).toMatchObject({ type: 'Notification', badge: 1n << 2n });
    expect(target(spec, client.get(10 + 1))).toBe('ntfn_server');
    expect(client.get(74 + 1)).toMatchObject({ type: 'Endpoint', badge: (1n << 63n) | 2n });
    expect(target(spec, client.get(74 + 1))).toBe('ep_server');
    expect(client.has(10 + 4)).toBe(false); // notify="false"
    expect(client.get(138 + 7)).toMatchObject({ type: 'ArmIrqHandler' });
  });

  it("the callee gets an endpoint, the passive PD a monitor cap, the parent its child's TCB", () => {
    const server = slots(spec, 'cnode_server');
    expect(target(spec, server.get(1))).toBe('ep_server');
    expect(server.get(2)).toMatchObject({ type: 'Endpoint', badge: 2n });
    expect(server.get(5)).toMatchObject({ type: 'Endpoint', badge: 2n });
    expect(target(spec, server.get(5))).toBe('ep_fault_monitor');
    expect(server.get(10 + 5)).toMatchObject({ type: 'Notification', badge: 1n << 4n });
    expect(server.has(74 + 2)).toBe(false); // the server does not PPC
    expect(target(spec, server.get(202 + 3))).toBe('tcb_child');
  });

  it('a child faults to its parent with the fault bit and its id', () => {
    const child = slots(spec, 'cnode_child');
    expect(child.get(2)).toMatchObject({ type: 'Endpoint', badge: (1n << 62n) | 3n });
    expect(target(spec, child.get(2))).toBe('ep_server');
  });

  it('scheduling contexts carry 0x100 + the PD index; the monitor 0', () => {
    const sc = (name: string) => (byName(spec, name).object as { extra: { badge: bigint; budget: bigint } }).extra;
    expect(sc('sched_context_client').badge).toBe(0x100n);
    expect(sc('sched_context_server').badge).toBe(0x101n);
    expect(sc('sched_context_child').badge).toBe(0x102n);
    expect(sc('sched_context_monitor')).toMatchObject({ badge: 0n, budget: 1000n });
  });

  it("the monitor CNode names every PD's TCB and holds the passive PD's SC and notification", () => {
    const monitor = slots(spec, 'cnode_monitor');
    expect(target(spec, monitor.get(1))).toBe('ep_fault_monitor');
    expect(target(spec, monitor.get(2))).toBe('reply_monitor');
    expect([10, 11, 12].map((s) => target(spec, monitor.get(s)))).toEqual(['tcb_client', 'tcb_server', 'tcb_child']);
    expect(target(spec, monitor.get(138 + 1))).toBe('sched_context_server');
    expect(target(spec, monitor.get(202 + 1))).toBe('ntfn_server');
    expect(monitor.has(138)).toBe(false);
  });

  it('TCB bound slots and fields', () => {
    const tcb = byName(spec, 'tcb_client').object;
    if (tcb.type !== 'Tcb') throw new Error('not a TCB');
    expect(tcb.slots.map((e) => e.slot)).toEqual([0, 1, 4, 5, 6, 8]);
    expect(target(spec, tcb.slots[0].cap)).toBe('cnode_client_root');
    expect(tcb.extra).toMatchObject({ prio: 10, maxPrio: 10, resume: true, fpuDisabled: false, ipcBufferAddr: 0xfffffff000n, sp: 0xffffffe000n });
  });

  it("the IRQ signals the PD's notification with its id as badge; its object targets the PD's core", () => {
    const irq = byName(spec, 'irq_33_client').object;
    expect(irq).toMatchObject({ type: 'ArmIrq', extra: { trigger: 1, target: 0n } });
    const ntfn = slots(spec, 'irq_33_client').get(0);
    expect(ntfn).toMatchObject({ type: 'Notification', badge: 1n << 7n });
    expect(spec.irqs).toEqual([{ irq: 33n, handler: [...spec.objects].findIndex((o) => o.name === 'irq_33_client') }]);
  });

  it("frame caps carry the map's rights and cacheability", () => {
    const frameCaps = [...spec.objects]
      .flatMap((o) => ('slots' in o.object ? o.object.slots : []))
      .filter((e) => e.cap.type === 'Frame' && spec.objects.get(e.cap.object).name === 'frame_mr_shared_000000000');
    expect(frameCaps.map((e) => e.cap)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rights: { read: true, write: false, grant: false, grantReply: false }, cached: false, executable: false }),
        expect.objectContaining({ rights: { read: true, write: true, grant: false, grantReply: false }, cached: true, executable: false }),
      ]),
    );
  });
});
