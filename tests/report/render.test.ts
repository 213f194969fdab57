import { REPORT_SIZES } from './fixtures.js';
import { describe, expect, test } from 'vitest';
import type { ObjectSizes } from '../../core/kernel/config.js';
import { specFromJson } from '../../core/capdl/json.js';
import { addRootObject } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import type { Spec, TcbExtraInfo } from '../../core/capdl/spec.js';
import { objectHumanName, renderReport, rightsHumanName } from '../../plugins/report/render.js';
import { goldenRuns, readGolden, sdkObjectSizes } from '../capdl/golden-runs.js';

const SIZES = REPORT_SIZES;

/**
 * The physical addresses printed in a report's object list. Feeding them back
 * tests the renderer alone; the allocation simulation is tested elsewhere.
 */
function reportPaddrs(report: string): Map<number, bigint> {
  const paddrs = new Map<number, bigint>();
  for (const m of report.matchAll(/^\t(\d+) - .*' @ 0x([0-9a-f]+)$/gm)) {
    paddrs.set(Number(m[1]), BigInt('0x' + m[2]));
  }
  return paddrs;
}

const runs = goldenRuns()
  .map((run) => ({ run, sizes: sdkObjectSizes(run) }))
  .filter((r): r is { run: (typeof r)['run']; sizes: ObjectSizes } => r.sizes !== null);

describe.skipIf(runs.length === 0)('golden report.txt files', () => {
  test.each(runs.map((r) => [r.run.id, r] as const))('%s', (_id, { run, sizes }) => {
    const expected = readGolden(run, 'report.txt');
    const spec = specFromJson(readGolden(run, 'capdl.json'));
    const paddrs = reportPaddrs(expected);
    if (run.arch !== 'x86_64') expect(paddrs.size).toBeGreaterThan(0);
    expect(renderReport(spec, { arch: run.arch, objectSizes: sizes, paddrs })).toBe(expected);
  });
});

function tcbExtra(overrides: Partial<TcbExtraInfo> = {}): TcbExtraInfo {
  return {
    ipcBufferAddr: 0xfffff000n,
    affinity: 1n,
    prio: 100,
    maxPrio: 100,
    fpuDisabled: false,
    resume: true,
    domain: null,
    ip: 0x200000n,
    sp: 0xffffe000n,
    gprs: [],
    masterFaultEp: null,
    ...overrides,
  };
}

/** A small x86 system with both x86 IRQ kinds and an I/O port range. */
function x86Spec(): Spec {
  const spec = createSpec();
  const cnode = addRootObject(spec, 'cnode_pd', { type: 'CNode', sizeBits: 9, slots: [] });
  const ntfn = addRootObject(spec, 'ntfn_pd', { type: 'Notification' });
  const msi = addRootObject(spec, 'irq_msi_pd', {
    type: 'IrqMsi',
    slots: [],
    extra: { handle: 2n, pciBus: 1n, pciDev: 3n, pciFunc: 4n },
  });
  const ioapic = addRootObject(spec, 'irq_ioapic_pd', {
    type: 'IrqIOApic',
    slots: [],
    extra: { ioapic: 0n, pin: 4n, level: 1n, polarity: 1n },
  });
  const ports = addRootObject(spec, 'ioports_0x3f8_pd', { type: 'IOPorts', startPort: 0x3f8n, endPort: 0x3ffn });
  addRootObject(spec, 'tcb_pd', {
    type: 'Tcb',
    slots: [
      { slot: 0, cap: { type: 'CNode', object: cnode, guard: 0n, guardSize: 55 } },
      { slot: 8, cap: { type: 'Notification', object: ntfn, badge: 0n, rights: { read: true, write: true, grant: false, grantReply: false } } },
    ],
    extra: tcbExtra(),
  });
  const cn = spec.objects.get(cnode).object;
  if (cn.type !== 'CNode') throw new Error('expected a CNode');
  cn.slots.push(
    { slot: 3, cap: { type: 'IOPorts', object: ports } },
    { slot: 7, cap: { type: 'Notification', object: ntfn, badge: 1n << 63n, rights: { read: false, write: false, grant: false, grantReply: false } } },
  );
  spec.irqs.push({ irq: 5n, handler: msi }, { irq: 12n, handler: ioapic });
  return spec;
}

describe('renderReport', () => {
  test('x86: MSI and IOAPIC IRQs, I/O ports, no addresses', () => {
    const text = renderReport(x86Spec(), { arch: 'x86_64', objectSizes: SIZES });
    expect(text).toBe(
      [
        '# Initial Task (CapDL Initialiser) Details',
        '',
        '# IRQ Details',
        "\t- IRQ: 'irq_msi_pd'",
        '\t\t* Vector: 5',
        '\t\t* PCI Bus: 1',
        '\t\t* PCI Device: 3',
        '\t\t* PCI Function: 4',
        '\t\t* Handle: 2',
        '',
        "\t- IRQ: 'irq_ioapic_pd'",
        '\t\t* Vector: 12',
        '\t\t* IOAPIC: 0',
        '\t\t* Pin: 4',
        '\t\t* Trigger: level',
        '\t\t* Polarity: low-triggered',
        '',
        '',
        '# TCB Details',
        "\t- TCB: 'tcb_pd'",
        '\t\t* IP: 0x200000',
        '\t\t* SP: 0xffffe000',
        '\t\t* IPC Buffer: 0xfffff000',
        '\t\t* Priority: 100',
        '\t\t* CPU Affinity: 1',
        '\t\t* Bound Objects:',
        "\t\t\t-> CSpace: 'cnode_pd'",
        "\t\t\t-> Notification: 'ntfn_pd'",
        '',
        '',
        '# CNode Details',
        "\t- CNode: 'cnode_pd'",
        '\t\t* Slot: 3',
        "\t\t\t-> Object: 'ioports_0x3f8_pd'",
        '\t\t* Slot: 7',
        "\t\t\t-> Object: 'ntfn_pd'",
        '\t\t\t-> Rights: ',
        '\t\t\t-> Badge: 0x8000000000000000',
        '',
        '',
        '# Architecture Specific Details',
        "\t- x86 I/O Ports: 'ioports_0x3f8_pd'",
        '\t\t* Start Port: 0x3f8',
        '\t\t* End Port: 0x3ff',
        '',
        '# Kernel Objects Details: ID, Type, Name',
        "\t0 - CNode: 'cnode_pd'",
        "\t1 - Notification: 'ntfn_pd'",
        "\t5 - TCB: 'tcb_pd'",
        '',
      ].join('\n'),
    );
  });

  test('ARM/RISC-V: objects without a simulated address get the fallback text', () => {
    const spec = createSpec();
    addRootObject(spec, 'frame_big', { type: 'Frame', sizeBits: 21, paddr: null, init: [] });
    addRootObject(spec, 'ep', { type: 'Endpoint' });
    addRootObject(spec, 'irq_33_pd', { type: 'ArmIrq', slots: [], extra: { trigger: 1, target: 2n } });
    spec.irqs.push({ irq: 33n, handler: 2 });
    const paddrs = new Map([[0, 0x4020_0000n]]);
    const text = renderReport(spec, { arch: 'aarch64', objectSizes: SIZES, paddrs });
    expect(text).toContain("\t- IRQ: 'irq_33_pd'\n\t\t* Number: 33\n\t\t* Trigger: edge\n\t\t* CPU: 2\n\n");
    expect(
      text.endsWith(
        '# Kernel Objects Details: ID, Type, Name, Physical Address\n' +
          "\t0 - Page(2 MiB): 'frame_big' @ 0x000040200000\n" +
          "\t1 - Endpoint: 'ep' @ <Cannot be allocated/Previous fatal error>\n",
      ),
    ).toBe(true);
    // Without any addresses every line falls back; RISC-V has no arch details.
    const riscv = renderReport(spec, { arch: 'riscv64', objectSizes: SIZES });
    expect(riscv).toContain("\t0 - Page(2 MiB): 'frame_big' @ <Cannot be allocated/Previous fatal error>\n");
    expect(riscv).toContain('# Architecture Specific Details\n\n# Kernel Objects');
  });

  test('AArch64 notes SMC access only when an ArmSmc object exists', () => {
    const spec = createSpec();
    expect(renderReport(spec, { arch: 'aarch64', objectSizes: SIZES })).not.toContain('ARM SMC');
    addRootObject(spec, 'arm_smc', { type: 'ArmSmc' });
    expect(renderReport(spec, { arch: 'aarch64', objectSizes: SIZES })).toContain('# Architecture Specific Details\nARM SMC access is granted to userspace.\n');
  });

  test('inconsistent specs are reported rather than rendered', () => {
    const spec = createSpec();
    addRootObject(spec, 'ep', { type: 'Endpoint' });
    spec.irqs.push({ irq: 1n, handler: 0 });
    expect(() => renderReport(spec, { arch: 'aarch64', objectSizes: SIZES })).toThrow("report: IRQ handler 'ep' is a Endpoint, not an IRQ object");
    const tcbSpec = createSpec();
    addRootObject(tcbSpec, 'tcb', { type: 'Tcb', slots: [{ slot: 7, cap: { type: 'Tcb', object: 0 } }], extra: tcbExtra() });
    expect(() => renderReport(tcbSpec, { arch: 'aarch64', objectSizes: SIZES })).toThrow("report: unknown TCB slot 7 in 'tcb'");
  });

  test('helpers', () => {
    expect(rightsHumanName({ read: true, write: true, grant: true, grantReply: true })).toBe('Read, Write, Grant, Grant Reply');
    expect(rightsHumanName({ read: false, write: true, grant: false, grantReply: true })).toBe('Write, Grant Reply');
    expect(objectHumanName({ type: 'Frame', sizeBits: 12, paddr: null, init: [] }, SIZES)).toBe('Page(4 KiB)');
    expect(() => objectHumanName({ type: 'Frame', sizeBits: 30, paddr: null, init: [] }, SIZES)).toThrow('report: unknown frame size bits 30');
    expect(objectHumanName({ type: 'IrqIOApic', slots: [], extra: { ioapic: 0n, pin: 0n, level: 0n, polarity: 0n } }, SIZES)).toBe('x86 IOAPIC IRQ');
  });
});
