/** Reading objects (one case per object kind) and their frame fills from `--capdl-json`. */
import type { JsonValue } from '../../util/json.js';
import { BOOT_INFO_IDS, OBJECT_TYPES } from '../spec.js';
import type { BootInfoId, CapdlObject, FillEntry, FillEntryContent, NamedObject, UnitObjectType } from '../spec.js';
import {
  U64_MAX,
  U8_MAX,
  asArray,
  asObject,
  bool,
  describe,
  fail,
  get,
  index,
  optional,
  payloadObject,
  readWordRange,
  str,
  u8,
  unsigned,
  variant,
  word,
} from './read-values.js';
import { readSlots } from './read-caps.js';

const BOOT_INFO_ID_SET: ReadonlySet<string> = new Set(BOOT_INFO_IDS);

function readFillContent(v: JsonValue, path: string): FillEntryContent {
  const [tag, payload] = variant(v, path);
  if (tag === 'BootInfo') {
    const p = `${path}.BootInfo`;
    const o = payloadObject(payload, tag, path);
    const id = str(o, 'id', p);
    if (!BOOT_INFO_ID_SET.has(id)) fail(`${p}.id`, `unknown bootinfo id "${id}"`);
    return { type: 'BootInfo', id: id as BootInfoId, offset: word(o, 'offset', p) };
  }
  if (tag !== 'Data') fail(path, `unknown fill content variant "${tag}"`);
  if (payload === null) fail(path, 'variant "Data" needs a value');
  const dataPath = `${path}.Data`;
  const [kind, data] = variant(payload, dataPath);
  const p = `${dataPath}.${kind}`;
  const o = payloadObject(data, kind, dataPath);
  switch (kind) {
    case 'ElfContent':
      return {
        type: 'ElfContent',
        elfId: index(o, 'elf_id', p),
        elfSegIdx: index(o, 'elf_seg_idx', p),
        elfSegDataRange: readWordRange(get(o, 'elf_seg_data_range', p), `${p}.elf_seg_data_range`),
      };
    case 'BytesContent': {
      const items = asArray(get(o, 'bytes', p), `${p}.bytes`);
      const bytes = new Uint8Array(items.length);
      for (let i = 0; i < items.length; i++) bytes[i] = Number(unsigned(items[i], U8_MAX, `${p}.bytes[${i}]`));
      return { type: 'BytesContent', bytes };
    }
    default:
      return fail(dataPath, `unknown fill data variant "${kind}"`);
  }
}

function readFill(v: JsonValue, path: string): FillEntry[] {
  const o = asObject(v, path);
  const p = `${path}.entries`;
  return asArray(get(o, 'entries', path), p).map((item, i) => {
    const ep = `${p}[${i}]`;
    const entry = asObject(item, ep);
    return {
      range: readWordRange(get(entry, 'range', ep), `${ep}.range`),
      content: readFillContent(get(entry, 'content', ep), `${ep}.content`),
    };
  });
}

const UNIT_OBJECT_TYPES: ReadonlySet<string> = new Set<UnitObjectType>(['Endpoint', 'Notification', 'VCpu', 'Reply', 'ArmSmc', 'DomainSet']);
const OBJECT_TYPE_SET: ReadonlySet<string> = new Set(OBJECT_TYPES);

function readObject(v: JsonValue, path: string): CapdlObject {
  const [tag, payload] = variant(v, path);
  if (!OBJECT_TYPE_SET.has(tag)) fail(path, `unknown object variant "${tag}"`);
  if (UNIT_OBJECT_TYPES.has(tag)) {
    if (payload !== null) fail(path, `unit variant "${tag}" takes no value`);
    return { type: tag as UnitObjectType };
  }
  const o = payloadObject(payload, tag, path);
  const p = `${path}.${tag}`;
  switch (tag) {
    case 'Untyped':
      return { type: 'Untyped', sizeBits: u8(o, 'size_bits', p), paddr: optional(get(o, 'paddr', p), (x) => unsigned(x, U64_MAX, `${p}.paddr`)) };
    case 'CNode':
      return { type: 'CNode', sizeBits: u8(o, 'size_bits', p), slots: readSlots(o, p) };
    case 'Tcb': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'Tcb',
        slots: readSlots(o, p),
        extra: {
          ipcBufferAddr: word(x, 'ipc_buffer_addr', xp),
          affinity: word(x, 'affinity', xp),
          prio: u8(x, 'prio', xp),
          maxPrio: u8(x, 'max_prio', xp),
          fpuDisabled: bool(x, 'fpu_disabled', xp),
          resume: bool(x, 'resume', xp),
          domain: optional(get(x, 'domain', xp), (d) => Number(unsigned(d, U8_MAX, `${xp}.domain`))),
          ip: word(x, 'ip', xp),
          sp: word(x, 'sp', xp),
          gprs: asArray(get(x, 'gprs', xp), `${xp}.gprs`).map((g, i) => unsigned(g, U64_MAX, `${xp}.gprs[${i}]`)),
          masterFaultEp: optional(get(x, 'master_fault_ep', xp), (m) => unsigned(m, U64_MAX, `${xp}.master_fault_ep`)),
        },
      };
    }
    case 'Irq':
      return { type: 'Irq', slots: readSlots(o, p) };
    case 'Frame':
      return {
        type: 'Frame',
        sizeBits: u8(o, 'size_bits', p),
        paddr: optional(get(o, 'paddr', p), (x) => unsigned(x, U64_MAX, `${p}.paddr`)),
        init: readFill(get(o, 'init', p), `${p}.init`),
      };
    case 'PageTable':
      return {
        type: 'PageTable',
        x86Ept: o.has('x86_ept') ? bool(o, 'x86_ept', p) : false,
        isRoot: bool(o, 'is_root', p),
        level: optional(get(o, 'level', p), (l) => Number(unsigned(l, U8_MAX, `${p}.level`))),
        slots: readSlots(o, p),
      };
    case 'AsidPool':
      return { type: 'AsidPool', high: word(o, 'high', p) };
    case 'IOSpace': {
      const dp = `${p}.pci_device`;
      const d = asObject(get(o, 'pci_device', p), dp);
      return {
        type: 'IOSpace',
        slots: readSlots(o, p),
        domainId: word(o, 'domain_id', p),
        pciDevice: { bus: u8(d, 'bus', dp), device: u8(d, 'device', dp), function: u8(d, 'function', dp) },
      };
    }
    case 'IOPageTable':
      return { type: 'IOPageTable', slots: readSlots(o, p), level: word(o, 'level', p) };
    case 'ArmIrq': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return { type: 'ArmIrq', slots: readSlots(o, p), extra: { trigger: u8(x, 'trigger', xp), target: word(x, 'target', xp) } };
    }
    case 'IrqMsi': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'IrqMsi',
        slots: readSlots(o, p),
        extra: {
          handle: word(x, 'handle', xp),
          pciBus: word(x, 'pci_bus', xp),
          pciDev: word(x, 'pci_dev', xp),
          pciFunc: word(x, 'pci_func', xp),
        },
      };
    }
    case 'IrqIOApic': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'IrqIOApic',
        slots: readSlots(o, p),
        extra: {
          ioapic: word(x, 'ioapic', xp),
          pin: word(x, 'pin', xp),
          level: word(x, 'level', xp),
          polarity: word(x, 'polarity', xp),
        },
      };
    }
    case 'RiscvIrq': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return { type: 'RiscvIrq', slots: readSlots(o, p), extra: { trigger: u8(x, 'trigger', xp) } };
    }
    case 'IOPorts':
      return { type: 'IOPorts', startPort: word(o, 'start_port', p), endPort: word(o, 'end_port', p) };
    case 'SchedContext': {
      const xp = `${p}.extra`;
      const x = asObject(get(o, 'extra', p), xp);
      return {
        type: 'SchedContext',
        sizeBits: u8(o, 'size_bits', p),
        extra: { period: word(x, 'period', xp), budget: word(x, 'budget', xp), badge: word(x, 'badge', xp) },
      };
    }
    default:
      return fail(path, `unhandled object variant "${tag}"`);
  }
}

export function readNamedObject(v: JsonValue, path: string): NamedObject {
  const o = asObject(v, path);
  const name = get(o, 'name', path);
  // The tool-side spec always names its objects; a null name would come from
  // a spec meant for the initialiser, which this model does not describe.
  if (typeof name !== 'string') fail(`${path}.name`, `expected a string, found ${describe(name)}`);
  return { name, object: readObject(get(o, 'object', path), `${path}.object`) };
}
