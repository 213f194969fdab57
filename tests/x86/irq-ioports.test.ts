/**
 * x86 IRQs (IOAPIC and MSI) and I/O ports in the spec and the PD's ELF.
 * Slots are libmicrokit's (include/microkit.h): IRQ handlers at
 * BASE_IRQ_CAP 138 + id, I/O ports at BASE_IOPORT_CAP 394 + id; the IRQ's
 * notification badge is 1 << id; `microkit_irqs` / `microkit_ioports` carry
 * one bit per id.
 */
import { describe, expect, it } from 'vitest';
import { readSymbolWord } from '../../core/elf/index.js';
import { buildSystem } from '../support/build.js';
import { capAt, named, objectsOfType, slotsOf } from './support.js';

const BASE_IRQ_CAP = 138;
const BASE_IOPORT_CAP = 394;

const SYSTEM = `<system>
  <protection_domain name="drv" priority="10">
    <program_image path="drv.elf" />
    <irq id="0" pin="4" vector="40" />
    <irq id="3" pin="9" vector="33" trigger="edge" polarity="low" ioapic="1" setvar_id="kbd_irq" />
    <irq id="7" pin="12" vector="50" trigger="level" polarity="low" />
    <irq id="8" pin="13" vector="51" trigger="edge" polarity="high" />
    <irq id="61" pcidev="01:1f.2" handle="7" vector="107" />
    <irq id="5" pcidev="0:4.0" handle="0" vector="0" setvar_id="edu_irq" />
    <ioport id="2" addr="0x3f8" size="8" setvar_id="com1_id" setvar_addr="com1_base" />
    <ioport id="61" addr="0x60" size="1" />
    <ioport id="0" addr="0xcf8" size="8" />
  </protection_domain>
  <protection_domain name="quiet" priority="9">
    <program_image path="quiet.elf" />
  </protection_domain>
</system>`;

describe('x86 IRQs and I/O ports', async () => {
  const { build } = await buildSystem(SYSTEM, {
    board: 'qemu-x86',
    images: { 'drv.elf': ['kbd_irq', 'edu_irq', 'com1_id', 'com1_base'], 'quiet.elf': [] },
  });
  const spec = build.spec!;
  const cnode = named(spec, 'cnode_drv').object;
  const ntfn = named(spec, 'ntfn_drv').id;
  const [drv, quiet] = build.images!.images.map((p) => p.image);

  it('IOAPIC IRQs: IrqIOApic with ioapic, pin, level (1 level / 0 edge) and polarity (0 high / 1 low)', () => {
    const expected: [number, number, object][] = [
      [0, 40, { ioapic: 0n, pin: 4n, level: 1n, polarity: 0n }], // defaults: IOAPIC 0, level, high
      [3, 33, { ioapic: 1n, pin: 9n, level: 0n, polarity: 1n }],
      [7, 50, { ioapic: 0n, pin: 12n, level: 1n, polarity: 1n }],
      [8, 51, { ioapic: 0n, pin: 13n, level: 0n, polarity: 0n }],
    ];
    for (const [id, vector, extra] of expected) {
      const irq = named(spec, `irq_${vector}_drv`);
      expect(irq.object).toEqual({
        type: 'IrqIOApic',
        slots: [
          {
            slot: 0,
            cap: { type: 'Notification', object: ntfn, badge: 1n << BigInt(id), rights: { read: true, write: true, grant: false, grantReply: false } },
          },
        ],
        extra,
      });
      expect(capAt(cnode, BASE_IRQ_CAP + id), `handler cap for id ${id}`).toEqual({ type: 'IrqIOApicHandler', object: irq.id });
    }
  });

  it('MSI IRQs: IrqMsi with handle and the PCI bus/device/function (hex in the SDF)', () => {
    const msi = named(spec, 'irq_107_drv');
    expect(msi.object).toEqual({
      type: 'IrqMsi',
      slots: [{ slot: 0, cap: { type: 'Notification', object: ntfn, badge: 1n << 61n, rights: { read: true, write: true, grant: false, grantReply: false } } }],
      extra: { handle: 7n, pciBus: 1n, pciDev: 31n, pciFunc: 2n },
    });
    expect(capAt(cnode, BASE_IRQ_CAP + 61)).toEqual({ type: 'IrqMsiHandler', object: msi.id });
    const edu = named(spec, 'irq_0_drv');
    expect(edu.object).toMatchObject({ type: 'IrqMsi', extra: { handle: 0n, pciBus: 0n, pciDev: 4n, pciFunc: 0n } });
    expect(capAt(cnode, BASE_IRQ_CAP + 5)).toEqual({ type: 'IrqMsiHandler', object: edu.id });
  });

  it('IRQ entries are keyed by vector, sorted, and name the handler objects', () => {
    expect(spec.irqs.map((e) => [e.irq, spec.objects.get(e.handler).name])).toEqual([
      [0n, 'irq_0_drv'],
      [33n, 'irq_33_drv'],
      [40n, 'irq_40_drv'],
      [50n, 'irq_50_drv'],
      [51n, 'irq_51_drv'],
      [107n, 'irq_107_drv'],
    ]);
    expect(objectsOfType(spec, 'IrqIOApic').length + objectsOfType(spec, 'IrqMsi').length).toBe(6);
  });

  it('I/O ports: IOPorts objects with inclusive start/end ports, caps at 394 + id', () => {
    const ports: [number, bigint, bigint][] = [
      [2, 0x3f8n, 0x3ffn],
      [61, 0x60n, 0x60n],
      [0, 0xcf8n, 0xcffn],
    ];
    for (const [id, start, end] of ports) {
      const obj = named(spec, `ioports_0x${start.toString(16)}_drv`);
      expect(obj.object).toEqual({ type: 'IOPorts', startPort: start, endPort: end });
      expect(capAt(cnode, BASE_IOPORT_CAP + id)).toEqual({ type: 'IOPorts', object: obj.id });
    }
    expect(objectsOfType(spec, 'IOPorts').length).toBe(3);
    // Nothing else in the I/O port or IRQ ranges of the CNode.
    const used = slotsOf(cnode)
      .map((e) => e.slot)
      .filter((s) => s >= BASE_IRQ_CAP && s < BASE_IOPORT_CAP + 64);
    expect(used.sort((a, b) => a - b)).toEqual([138, 141, 143, 145, 146, 199, 394, 396, 455]);
  });

  it('patches microkit_ioports and microkit_irqs with one bit per id, and the setvars', () => {
    expect(readSymbolWord(drv, 'microkit_ioports')).toBe((1n << 0n) | (1n << 2n) | (1n << 61n));
    expect(readSymbolWord(drv, 'microkit_irqs')).toBe((1n << 0n) | (1n << 3n) | (1n << 5n) | (1n << 7n) | (1n << 8n) | (1n << 61n));
    expect(readSymbolWord(quiet, 'microkit_ioports')).toBe(0n);
    expect(readSymbolWord(quiet, 'microkit_irqs')).toBe(0n);
    expect(readSymbolWord(drv, 'kbd_irq')).toBe(3n);
    expect(readSymbolWord(drv, 'edu_irq')).toBe(5n);
    expect(readSymbolWord(drv, 'com1_id')).toBe(2n);
    expect(readSymbolWord(drv, 'com1_base')).toBe(0x3f8n);
  });
});

describe('x86 IRQ and I/O port errors', () => {
  const errorOf = (body: string) =>
    buildSystem(`<system><protection_domain name="p"><program_image path="p.elf" />${body}</protection_domain></system>`, {
      board: 'qemu-x86',
      images: { 'p.elf': [] },
    }).then(
      () => '(built)',
      (e: Error) => e.message,
    );

  it('rejects overlapping port ranges, duplicate ids and duplicate vectors', async () => {
    expect(await errorOf('<ioport id="0" addr="0x3f8" size="8" /><ioport id="1" addr="0x3ff" size="1" />')).toMatch(
      /^Error: I\/O port id: 1, half-open range: \[0x3ff, 0x400\) in protection domain: 'p' @ .* overlaps with I\/O port id: 0, half-open range: \[0x3f8, 0x400\)/,
    );
    expect(await errorOf('<ioport id="4" addr="0x60" size="1" /><ioport id="4" addr="0x64" size="1" />')).toMatch(
      /^Error: duplicate I\/O port id: 4 in protection domain: 'p'/,
    );
    expect(await errorOf('<irq id="1" pin="1" vector="40" /><irq id="2" pcidev="0:4.0" handle="0" vector="40" />')).not.toBe('(built)');
    expect(await errorOf('<irq id="1" pin="1" vector="108" />')).toMatch(/vector must be within \[0\.\.107\]/);
  });

  // Upstream accepts these (its report shows the end wrapped past 2^64); the kernel keeps 16 bits of each end.
  it('rejects port ranges past 0xffff, after the rules upstream has', async () => {
    expect(await errorOf('<ioport id="0" addr="0xfff8" size="9" />')).toMatch(
      /^Error: I\/O port id: 0, half-open range: \[0xfff8, 0x10001\) in protection domain: 'p' goes past the last x86 I\/O port \(0xffff\) @ /,
    );
    expect(await errorOf('<ioport id="0" addr="0x10000" size="1" />')).toMatch(/half-open range: \[0x10000, 0x10001\) .* goes past the last x86 I\/O port/);
    expect(await errorOf('<ioport id="0" addr="0xfff8" size="8" />')).toBe('(built)');
    // Overlaps are found in upstream's u64 arithmetic: these two do not overlap once the first end wraps (upstream
    // builds the system); the range rule then refuses the first.
    expect(await errorOf('<ioport id="0" addr="0xfffffffffffffff0" size="32" /><ioport id="1" addr="0xfffffffffffffff8" size="1" />')).toMatch(
      /^Error: I\/O port id: 0, half-open range: \[0xfffffffffffffff0, 0x10000000000000010\) in protection domain: 'p' goes past/,
    );
  });
});
