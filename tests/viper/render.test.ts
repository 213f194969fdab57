/**
 * The Viper views rendered from hand-made systems and specs: the rules of
 * upstream's viper.rs that the example systems cannot reach (duplicate
 * mappings, unsorted SDF predicates, overflow, the CNode lookup).
 */
import { describe, expect, it } from 'vitest';
import type { Cap, CapTableEntry, NamedObject, Spec } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import type { Channel, ChannelEnd, Map as SdfMap, MemoryRegion, ProtectionDomain, SystemDescription } from '../../core/sdf/model.js';
import { capView, memView, renderViperViews, sdfView } from '../../plugins/viper/render.js';

const loc = { file: 'x.system', line: 1, column: 1 };

function pd(index: number, name: string, extra: Partial<ProtectionDomain> = {}): ProtectionDomain {
  return {
    name,
    index,
    children: [],
    priority: 100,
    budget: 1000n,
    period: 1000n,
    passive: false,
    stackSize: 0x2000n,
    smc: false,
    cpu: 0,
    fpu: true,
    programImage: `${name}.elf`,
    maps: [],
    irqs: [],
    setvars: [],
    capMaps: [],
    location: loc,
    ...extra,
  };
}

function mr(name: string, size: bigint): MemoryRegion {
  return { name, size, pageSize: 0x1000n, pageSizeSpecified: false, physAddr: { kind: 'unspecified' }, location: loc };
}

function map(mrName: string, vaddr: bigint, perms: number): SdfMap {
  return { mr: mrName, vaddr, perms, cached: true, location: loc };
}

function end(pdIndex: number, id: bigint, notify: boolean, pp: boolean): ChannelEnd {
  return { pd: pdIndex, id, notify, pp, location: loc };
}

function channel(a: ChannelEnd, b: ChannelEnd): Channel {
  return { a, b, location: loc };
}

function system(pds: ProtectionDomain[], memoryRegions: MemoryRegion[] = [], channels: Channel[] = []): SystemDescription {
  return { file: 'x.system', protectionDomains: pds, memoryRegions, channels, location: loc };
}

function irq(id: bigint) {
  return { id, number: 100n + id, kind: { type: 'conventional' as const, irq: 100n + id, trigger: 'level' as const }, location: loc };
}

const cte = (slot: number, cap: Cap): CapTableEntry => ({ slot, cap });
const plain = (
  type:
    | 'Tcb'
    | 'Reply'
    | 'PageTable'
    | 'ArmIrqHandler'
    | 'RiscvIrqHandler'
    | 'IrqMsiHandler'
    | 'IrqIOApicHandler'
    | 'IrqHandler'
    | 'VCpu'
    | 'IOPorts'
    | 'ArmSmc'
    | 'SchedContext'
    | 'Untyped',
  object = 0,
): Cap => ({ type, object });
const rights = { read: true, write: true, grant: false, grantReply: false };

function spec(objects: NamedObject[]): Spec {
  const s = createSpec();
  for (const { name, object } of objects) s.objects.push(name, object);
  return s;
}

describe('SDF view', () => {
  it('lists IRQ ids before channel ids, in SDF order, neither sorted nor deduplicated', () => {
    const sys = system(
      [pd(0, 'a', { irqs: [irq(7n), irq(3n)] }), pd(1, 'b')],
      [],
      [
        // a is the b end here: its own end does not notify, b's does.
        channel(end(1, 0n, true, false), end(0, 9n, false, false)),
        channel(end(0, 1n, true, false), end(1, 4n, true, false)),
        channel(end(0, 3n, false, false), end(1, 5n, true, false)),
      ],
    );
    const a = sdfView(sys, 0);
    expect(a.irqs).toEqual([7n, 3n]);
    expect(a.notifiedSources).toEqual([7n, 3n, 9n, 1n, 3n]);
    expect(a.notifyTargets).toEqual([1n]);
    expect(a.channelEnds).toEqual([9n, 1n, 3n]);
    const b = sdfView(sys, 1);
    expect(b.irqs).toEqual([]);
    expect(b.notifiedSources).toEqual([4n]);
    expect(b.notifyTargets).toEqual([0n, 4n, 5n]);
  });

  it('sorts PPC ends by priority: the caller gets a ppcall target, the callee a protected source', () => {
    const sys = system(
      [pd(0, 'server', { priority: 200 }), pd(1, 'client', { priority: 10 }), pd(2, 'same', { priority: 200 }), pd(3, 'high', { priority: 250 })],
      [],
      [
        channel(end(0, 2n, true, false), end(1, 6n, true, true)),
        // Equal priorities: neither side counts (upstream compares strictly).
        channel(end(0, 3n, true, true), end(2, 1n, true, true)),
        // pp on the lower-priority end towards a higher one only.
        channel(end(0, 4n, true, true), end(3, 0n, true, false)),
      ],
    );
    expect(sdfView(sys, 0).protectedSources).toEqual([2n]);
    expect(sdfView(sys, 0).ppcallTargets).toEqual([4n]);
    expect(sdfView(sys, 1).ppcallTargets).toEqual([6n]);
    expect(sdfView(sys, 1).protectedSources).toEqual([]);
    expect(sdfView(sys, 2).ppcallTargets).toEqual([]);
    expect(sdfView(sys, 2).protectedSources).toEqual([]);
    expect(sdfView(sys, 3).protectedSources).toEqual([0n]);
  });

  it('lists direct children only, by child id in PD order', () => {
    const sys = system([
      pd(0, 'root', { children: [1, 3] }),
      pd(1, 'c9', { parent: 0, childId: 9n, children: [2] }),
      pd(2, 'grandchild', { parent: 1, childId: 1n }),
      pd(3, 'c2', { parent: 0, childId: 2n }),
    ]);
    expect(sdfView(sys, 0).children).toEqual([9n, 2n]);
    expect(sdfView(sys, 1).children).toEqual([1n]);
    expect(sdfView(sys, 2).children).toEqual([]);
  });
});

describe('cap view', () => {
  const cnode = (name: string, slots: CapTableEntry[]): NamedObject => ({ name, object: { type: 'CNode', sizeBits: 9, slots } });

  it('groups the microkit CNode slots by cap kind, sorted and deduplicated', () => {
    const s = spec([
      cnode('cnode_p_root', [cte(0, { type: 'CNode', object: 1, guard: 0n, guardSize: 49 }), cte(5, plain('Tcb'))]),
      cnode('cnode_p', [
        cte(300, plain('RiscvIrqHandler')),
        cte(138, plain('ArmIrqHandler')),
        cte(139, plain('IrqMsiHandler')),
        cte(140, plain('IrqIOApicHandler')),
        cte(141, plain('IrqHandler')),
        cte(1, { type: 'Endpoint', object: 2, badge: 0n, rights }),
        cte(1, { type: 'Endpoint', object: 2, badge: 0n, rights }),
        cte(10, { type: 'Notification', object: 3, badge: 1n, rights }),
        cte(3, plain('PageTable')),
        cte(4, plain('Reply')),
        cte(6, plain('Tcb')),
        cte(333, plain('VCpu')),
        cte(394, plain('IOPorts')),
        cte(7, plain('ArmSmc')),
        cte(8, plain('SchedContext')),
        cte(9, { type: 'Frame', object: 4, rights, cached: true, executable: false }),
        cte(11, plain('Untyped')),
      ]),
    ]);
    const v = capView(s, 'p')!;
    expect(v.occupied).toEqual([1n, 3n, 4n, 6n, 7n, 8n, 9n, 10n, 11n, 138n, 139n, 140n, 141n, 300n, 333n, 394n]);
    expect(v.endpoint).toEqual([1n]);
    expect(v.notification).toEqual([10n]);
    expect(v.reply).toEqual([4n]);
    expect(v.pageTable).toEqual([3n]);
    expect(v.irqHandler).toEqual([138n, 139n, 140n, 141n, 300n]);
    expect(v.tcb).toEqual([6n]);
    expect(v.vcpu).toEqual([333n]);
    expect(v.ioport).toEqual([394n]);
    expect(v.armSmc).toEqual([7n]);
  });

  it('uses the first object with the name; no view when it is missing or not a CNode', () => {
    const s = spec([
      { name: 'cnode_q', object: { type: 'Notification' } },
      cnode('cnode_q', [cte(1, plain('Reply'))]),
      cnode('cnode_r', [cte(2, plain('Reply'))]),
      cnode('cnode_r', [cte(3, plain('Reply'))]),
    ]);
    expect(capView(s, 'q')).toBeUndefined();
    expect(capView(s, 'missing')).toBeUndefined();
    expect(capView(s, 'r')!.occupied).toEqual([2n]);
    const files = renderViperViews(system([pd(0, 'q'), pd(1, 'r'), pd(2, 'missing')]), s, 'sys.xml');
    expect(files.map((f) => f.pd)).toEqual(['r']);
  });
});

describe('memory view', () => {
  it('goes memory region by memory region, every mapping readable, writeable with w', () => {
    const sys = system(
      [
        pd(0, 'p', {
          maps: [map('b', 0x5000n, 3), map('a', 0x1000n, 1), map('b', 0x9000n, 5), map('c', 0x20000n, 0), map('a', 0x3000n, 7)],
        }),
      ],
      [mr('a', 0x1000n), mr('b', 0x2000n), mr('c', 0x10000n), mr('unused', 0x1000n)],
    );
    const v = memView(sys, 0);
    expect(v.readable).toEqual([
      { mr: 'a', start: 0x1000n, end: 0x2000n },
      { mr: 'a', start: 0x3000n, end: 0x4000n },
      { mr: 'b', start: 0x5000n, end: 0x7000n },
      { mr: 'b', start: 0x9000n, end: 0xb000n },
      { mr: 'c', start: 0x20000n, end: 0x30000n },
    ]);
    expect(v.writeable.map((r) => r.start)).toEqual([0x3000n, 0x5000n]);
  });

  it('skips a mapping whose end wraps around 2^64, keeps one that ends exactly at it', () => {
    const sys = system(
      [pd(0, 'p', { maps: [map('big', 0xffff_ffff_ffff_f000n, 3), map('big2', 0xffff_ffff_ffff_e000n, 3)] })],
      [mr('big', 0x2000n), mr('big2', 0x1000n)],
    );
    expect(memView(sys, 0).readable).toEqual([{ mr: 'big2', start: 0xffff_ffff_ffff_e000n, end: 0xffff_ffff_ffff_f000n }]);
  });
});

describe('rendered file', () => {
  it('is the header, the SDF, cap and memory predicates in upstream order and format', () => {
    const sys = system(
      [pd(0, 'pd one', { irqs: [irq(2n)], maps: [map('buf', 0x10n, 3), map('rom', 0x100n, 1)] }), pd(1, 'other')],
      [mr('rom', 0x10n), mr('buf', 0x20n)],
      [channel(end(0, 5n, true, false), end(1, 6n, false, false))],
    );
    const s = spec([{ name: 'cnode_pd one', object: { type: 'CNode', sizeBits: 9, slots: [cte(4, plain('Reply')), cte(140, plain('ArmIrqHandler'))] } }]);
    const [file] = renderViperViews(sys, s, './some dir/x.system');
    expect(file.pd).toBe('pd one');
    expect(file.text).toBe(
      [
        '// exported invariants for PD pd one in ./some dir/x.system',
        'define mk_is_protected_source(x) (false)',
        'define f_mk_is_protected_source(heap,gv,x) (mk_is_protected_source(x))',
        'define mk_is_ppcall_target(x) (false)',
        'define f_mk_is_ppcall_target(heap,gv,x) (mk_is_ppcall_target(x))',
        'define mk_is_notified_source(x) (x in Set(2))',
        'define f_mk_is_notified_source(heap,gv,x) (mk_is_notified_source(x))',
        'define mk_is_notify_target(x) (x in Set(5))',
        'define f_mk_is_notify_target(heap,gv,x) (mk_is_notify_target(x))',
        'define mk_is_irq_channel(x) (x in Set(2))',
        'define f_mk_is_irq_channel(heap,gv,x) (mk_is_irq_channel(x))',
        'define mk_is_child(x) (false)',
        'define f_mk_is_child(heap,gv,x) (mk_is_child(x))',
        'define pansel4_has_cap(x) (x in Set(4,140))',
        'define f_pansel4_has_cap(heap,gv,x) (pansel4_has_cap(x))',
        'define pansel4_has_endpoint_cap(x) (false)',
        'define f_pansel4_has_endpoint_cap(heap,gv,x) (pansel4_has_endpoint_cap(x))',
        'define pansel4_has_notification_cap(x) (false)',
        'define f_pansel4_has_notification_cap(heap,gv,x) (pansel4_has_notification_cap(x))',
        'define pansel4_has_reply_cap(x) (x in Set(4))',
        'define f_pansel4_has_reply_cap(heap,gv,x) (pansel4_has_reply_cap(x))',
        'define pansel4_has_page_table_cap(x) (false)',
        'define f_pansel4_has_page_table_cap(heap,gv,x) (pansel4_has_page_table_cap(x))',
        'define pansel4_has_irq_handler_cap(x) (x in Set(140))',
        'define f_pansel4_has_irq_handler_cap(heap,gv,x) (pansel4_has_irq_handler_cap(x))',
        'define pansel4_has_tcb_cap(x) (false)',
        'define f_pansel4_has_tcb_cap(heap,gv,x) (pansel4_has_tcb_cap(x))',
        'define pansel4_has_vcpu_cap(x) (false)',
        'define f_pansel4_has_vcpu_cap(heap,gv,x) (pansel4_has_vcpu_cap(x))',
        'define pansel4_has_ioport_cap(x) (false)',
        'define f_pansel4_has_ioport_cap(heap,gv,x) (pansel4_has_ioport_cap(x))',
        'define pansel4_has_arm_smc_cap(x) (false)',
        'define f_pansel4_has_arm_smc_cap(heap,gv,x) (pansel4_has_arm_smc_cap(x))',
        'define mem_rom_contains(x) (256 <= x && x < 272)',
        'define mem_buf_contains(x) (16 <= x && x < 48)',
        'define mem_readable(x) (mem_rom_contains(x) || mem_buf_contains(x))',
        'define f_mem_readable(heap,gv,x) (mem_readable(x))',
        'define mem_writeable(x) (mem_buf_contains(x))',
        'define f_mem_writeable(heap,gv,x) (mem_writeable(x))',
        '',
      ].join('\n'),
    );
  });
});
