import { describe, expect, test } from 'vitest';
import { specFromJson, specToJson, writeSpecJson } from '../../core/capdl/json.js';
import { addRootObject, getRootObject } from '../../core/capdl/spec.js';
import { createSpec } from '../../core/capdl/object-table.js';
import type { CapTableEntry, Rights, Spec } from '../../core/capdl/spec.js';
import { goldenRuns, readGolden } from './golden-runs.js';

const runs = goldenRuns();

describe.skipIf(runs.length === 0)('golden capdl.json files', () => {
  test('the golden set is the expected size', () => {
    expect(runs.length).toBeGreaterThanOrEqual(190);
  });

  test.each(runs.map((r) => [r.id, r] as const))('%s round-trips byte for byte', (_id, run) => {
    const text = readGolden(run, 'capdl.json');
    // Upstream writes the JSON with fs::write and no trailing newline.
    expect(text.endsWith('}')).toBe(true);
    expect(specToJson(specFromJson(text))).toBe(text);
  });
});

const RW: Rights = { read: true, write: true, grant: false, grantReply: false };

/** A spec using every object, cap and fill variant (most never occur in the golden runs). */
function everyVariantSpec(): Spec {
  const spec = createSpec();
  const ep = addRootObject(spec, 'ep', { type: 'Endpoint' });
  const ntfn = addRootObject(spec, 'ntfn', { type: 'Notification' });
  const slots: CapTableEntry[] = [
    { slot: 0, cap: { type: 'Untyped', object: 0 } },
    { slot: 1, cap: { type: 'Endpoint', object: ep, badge: (1n << 63n) | 5n, rights: { ...RW, grant: true } } },
    { slot: 2, cap: { type: 'Notification', object: ntfn, badge: 0xffff_ffff_ffff_ffffn, rights: RW } },
    { slot: 3, cap: { type: 'CNode', object: 3, guard: 0n, guardSize: 55 } },
    { slot: 4, cap: { type: 'Frame', object: 7, rights: RW, cached: false, executable: true } },
  ];
  const plainCaps = [
    'Tcb',
    'IrqHandler',
    'VCpu',
    'PageTable',
    'AsidPool',
    'IOSpace',
    'IOPageTable',
    'ArmIrqHandler',
    'IrqMsiHandler',
    'IrqIOApicHandler',
    'RiscvIrqHandler',
    'IOPorts',
    'SchedContext',
    'Reply',
    'ArmSmc',
    'DomainSet',
  ] as const;
  plainCaps.forEach((type, i) => slots.push({ slot: 5 + i, cap: { type, object: 1 } }));
  addRootObject(spec, 'ut', { type: 'Untyped', sizeBits: 20, paddr: null });
  addRootObject(spec, 'cnode', { type: 'CNode', sizeBits: 9, slots });
  addRootObject(spec, 'tcb', {
    type: 'Tcb',
    slots: [{ slot: 8, cap: { type: 'Notification', object: ntfn, badge: 0n, rights: RW } }],
    extra: {
      ipcBufferAddr: 0xffff_ffff_f000n,
      affinity: 1n,
      prio: 254,
      maxPrio: 255,
      fpuDisabled: true,
      resume: false,
      domain: 3,
      ip: 0xffff_ff80_0000_0000n,
      sp: 0x7fff_ffff_d000n,
      gprs: [1n, 0xdead_beef_dead_beefn],
      masterFaultEp: 9n,
    },
  });
  addRootObject(spec, 'irq', { type: 'Irq', slots: [] });
  addRootObject(spec, 'vcpu', { type: 'VCpu' });
  addRootObject(spec, 'frame', {
    type: 'Frame',
    sizeBits: 12,
    paddr: 0x4000_0000n,
    init: [
      {
        range: { start: 0n, end: 16n },
        content: { type: 'ElfContent', elfId: 2, elfSegIdx: 1, elfSegDataRange: { start: 4096n, end: 4112n } },
      },
      { range: { start: 16n, end: 19n }, content: { type: 'BytesContent', bytes: new Uint8Array([0, 255, 7]) } },
      { range: { start: 19n, end: 4096n }, content: { type: 'BootInfo', id: 'Fdt', offset: 12n } },
    ],
  });
  addRootObject(spec, 'pt', { type: 'PageTable', x86Ept: true, isRoot: false, level: null, slots: [] });
  addRootObject(spec, 'asid', { type: 'AsidPool', high: 1n });
  addRootObject(spec, 'iospace', {
    type: 'IOSpace',
    slots: [{ slot: 0, cap: { type: 'IOPageTable', object: 12 } }],
    domainId: 5n,
    pciDevice: { bus: 255, device: 31, function: 7 },
  });
  addRootObject(spec, 'iopt', { type: 'IOPageTable', slots: [], level: 2n });
  addRootObject(spec, 'armirq', { type: 'ArmIrq', slots: [], extra: { trigger: 1, target: 3n } });
  addRootObject(spec, 'msi', {
    type: 'IrqMsi',
    slots: [],
    extra: { handle: 1n, pciBus: 2n, pciDev: 3n, pciFunc: 4n },
  });
  addRootObject(spec, 'ioapic', {
    type: 'IrqIOApic',
    slots: [],
    extra: { ioapic: 0n, pin: 4n, level: 1n, polarity: 0n },
  });
  addRootObject(spec, 'riscvirq', { type: 'RiscvIrq', slots: [], extra: { trigger: 0 } });
  addRootObject(spec, 'ports', { type: 'IOPorts', startPort: 0x3f8n, endPort: 0x3ffn });
  addRootObject(spec, 'sc', {
    type: 'SchedContext',
    sizeBits: 8,
    extra: { period: 1000n, budget: 500n, badge: 1n << 63n },
  });
  addRootObject(spec, 'reply', { type: 'Reply' });
  addRootObject(spec, 'smc', { type: 'ArmSmc' });
  addRootObject(spec, 'domset', { type: 'DomainSet' });
  spec.irqs.push({ irq: 33n, handler: 14 });
  spec.domainSchedule = [
    { domain: 0, duration: { type: 'Ticks', value: 10n } },
    { domain: 1, duration: { type: 'Us', value: 0xffff_ffff_ffff_ffffn } },
    { domain: 0, duration: { type: 'EndMarker' } },
  ];
  spec.domainSetStart = 0n;
  spec.domainIdxShift = 4n;
  spec.asidSlots = [8];
  spec.untypedCovers = [{ parent: 2, children: { start: 3, end: 5 } }];
  spec.cachedOrigCapSlots = { numOccupied: 2, offsetsByObject: [0, null, 1] };
  spec.logLevel = 3;
  return spec;
}

describe('specToJson / specFromJson on every variant', () => {
  const spec = everyVariantSpec();
  const text = specToJson(spec);

  test('round-trips through the reader', () => {
    const back = specFromJson(text);
    expect(back).toEqual(spec);
    expect(specToJson(back)).toBe(text);
  });

  test('unit variants are bare strings, others one-key objects', () => {
    expect(text).toContain('{\n      "name": "ep",\n      "object": "Endpoint"\n    }');
    expect(text).toContain('"object": "VCpu"');
    expect(text).toContain('"object": "DomainSet"');
    expect(text).toContain('"duration": "EndMarker"');
    expect(text).toContain('"duration": {\n        "Ticks": 10\n      }');
  });

  test('64-bit values are written exactly', () => {
    expect(text).toContain('"badge": 9223372036854775813,');
    expect(text).toContain('"badge": 18446744073709551615,');
    expect(text).toContain('"Us": 18446744073709551615');
    expect(text).toContain('"ip": 18446743523953737728,');
  });

  test('struct fields follow the Rust declaration order', () => {
    const tcb = text.slice(text.indexOf('"Tcb": {\n          "slots"'));
    const order = ['ipc_buffer_addr', 'affinity', 'prio', 'max_prio', 'fpu_disabled', 'resume', 'domain', 'ip', 'sp', 'gprs', 'master_fault_ep'];
    const positions = order.map((k) => tcb.indexOf(`"${k}": `));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const top = [
      '"objects"',
      '"irqs"',
      '"domain_schedule"',
      '"domain_set_start"',
      '"domain_idx_shift"',
      '"asid_slots"',
      '"root_objects"',
      '"untyped_covers"',
      '"cached_orig_cap_slots"',
      '"log_level"',
    ];
    const topPositions = top.map((k) => text.indexOf(`\n  ${k}: `));
    expect(topPositions.every((p) => p > 0)).toBe(true);
    expect([...topPositions].sort((a, b) => a - b)).toEqual(topPositions);
  });

  test('fill contents keep the Data wrapper and bytes are a number array', () => {
    expect(text).toContain('"content": {\n                  "Data": {\n                    "ElfContent": {\n                      "elf_id": 2,');
    expect(text).toContain(
      '"BytesContent": {\n                      "bytes": [\n                        0,\n                        255,\n                        7\n                      ]',
    );
    expect(text).toContain('"BootInfo": {\n                    "id": "Fdt",\n                    "offset": 12\n                  }');
  });

  test('streaming output equals the string output', () => {
    const chunks: string[] = [];
    writeSpecJson(spec, (c) => chunks.push(c));
    expect(chunks.join('')).toBe(text);
  });

  test('root object helpers', () => {
    expect(spec.rootObjects).toEqual({ start: 0, end: spec.objects.length });
    expect(getRootObject(spec, 2).name).toBe('ut');
    expect(() => getRootObject(spec, spec.objects.length)).toThrow(/not a root object/);
  });
});

describe('specFromJson', () => {
  const minimal = (objects: string) =>
    `{"objects": [${objects}], "irqs": [], "domain_schedule": null, "domain_set_start": null, "domain_idx_shift": null, "asid_slots": [], "root_objects": {"start": 0, "end": 1}, "untyped_covers": []}`;

  test('serde defaults: optional trailing fields and x86_ept may be absent', () => {
    const spec = specFromJson(minimal('{"name": "pt", "object": {"PageTable": {"is_root": true, "level": 0, "slots": []}}}'));
    expect(spec.cachedOrigCapSlots).toBe(null);
    expect(spec.logLevel).toBe(null);
    expect(spec.objects.get(0).object).toEqual({ type: 'PageTable', x86Ept: false, isRoot: true, level: 0, slots: [] });
  });

  test('errors name the offending path', () => {
    expect(() => specFromJson(minimal('{"name": "f", "object": {"Frame": {"size_bits": 12, "init": {"entries": []}}}}'))).toThrow(
      'capDL JSON: $.objects[0].object.Frame: missing field "paddr"',
    );
    expect(() => specFromJson(minimal('{"name": "x", "object": "Bogus"}'))).toThrow('capDL JSON: $.objects[0].object: unknown object variant "Bogus"');
    expect(() => specFromJson(minimal('{"name": "c", "object": {"CNode": {"size_bits": 256, "slots": []}}}'))).toThrow(
      'capDL JSON: $.objects[0].object.CNode.size_bits: expected an integer in 0..=255, found bigint 256',
    );
    expect(() => specFromJson(minimal('{"name": null, "object": "Reply"}'))).toThrow('capDL JSON: $.objects[0].name: expected a string, found null');
  });
});
