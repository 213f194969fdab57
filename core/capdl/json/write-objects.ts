/** Objects in `--capdl-json`, one writer per object kind; zeroed frames from per-size templates. */
import { type PrettyJsonWriter, indent, quoteJsonString } from '../../util/json.js';
import type { CapdlObject, FillEntry, FillEntryContent, NamedObject } from '../spec.js';
import { writeObjectSlots, writeRange } from './write-caps.js';

const zeroFrameTemplates = new Map<number, [string, string, string]>();

function zeroFrame(name: string, sizeBits: number, depth: number): string {
  let t = zeroFrameTemplates.get(depth);
  if (t === undefined) {
    const i = (n: number) => indent(depth + n);
    t = [
      `{\n${i(1)}"name": `,
      `,\n${i(1)}"object": {\n${i(2)}"Frame": {\n${i(3)}"size_bits": `,
      `,\n${i(3)}"paddr": null,\n${i(3)}"init": {\n${i(4)}"entries": []\n${i(3)}}\n${i(2)}}\n${i(1)}}\n${i(0)}}`,
    ];
    zeroFrameTemplates.set(depth, t);
  }
  return t[0] + quoteJsonString(name) + t[1] + sizeBits + t[2];
}

function writeFillContent(w: PrettyJsonWriter, content: FillEntryContent): void {
  w.beginObject();
  switch (content.type) {
    case 'ElfContent':
      w.key('Data').beginObject().key('ElfContent').beginObject();
      w.field('elf_id', content.elfId).field('elf_seg_idx', content.elfSegIdx).key('elf_seg_data_range');
      writeRange(w, content.elfSegDataRange);
      w.endObject().endObject();
      break;
    case 'BytesContent':
      w.key('Data').beginObject().key('BytesContent').beginObject().key('bytes').beginArray();
      for (const byte of content.bytes) w.integer(byte);
      w.endArray().endObject().endObject();
      break;
    case 'BootInfo':
      w.key('BootInfo').beginObject().field('id', content.id).field('offset', content.offset).endObject();
      break;
  }
  w.endObject();
}

function writeFill(w: PrettyJsonWriter, entries: readonly FillEntry[]): void {
  w.beginObject().key('entries').beginArray();
  for (const entry of entries) {
    w.beginObject().key('range');
    writeRange(w, entry.range);
    w.key('content');
    writeFillContent(w, entry.content);
    w.endObject();
  }
  w.endArray().endObject();
}

function writeObject(w: PrettyJsonWriter, object: CapdlObject): void {
  switch (object.type) {
    case 'Endpoint':
    case 'Notification':
    case 'VCpu':
    case 'Reply':
    case 'ArmSmc':
    case 'DomainSet':
      w.string(object.type);
      return;
    default:
      break;
  }
  w.beginObject().key(object.type).beginObject();
  switch (object.type) {
    case 'Untyped':
      w.field('size_bits', object.sizeBits).key('paddr').optionalInteger(object.paddr);
      break;
    case 'CNode':
      w.field('size_bits', object.sizeBits);
      writeObjectSlots(w, object);
      break;
    case 'Tcb': {
      writeObjectSlots(w, object);
      const x = object.extra;
      w.key('extra').beginObject();
      w.field('ipc_buffer_addr', x.ipcBufferAddr)
        .field('affinity', x.affinity)
        .field('prio', x.prio)
        .field('max_prio', x.maxPrio)
        .field('fpu_disabled', x.fpuDisabled)
        .field('resume', x.resume);
      w.key('domain').optionalInteger(x.domain);
      w.field('ip', x.ip).field('sp', x.sp).key('gprs').beginArray();
      for (const gpr of x.gprs) w.integer(gpr);
      w.endArray();
      w.key('master_fault_ep').optionalInteger(x.masterFaultEp);
      w.endObject();
      break;
    }
    case 'Irq':
      writeObjectSlots(w, object);
      break;
    case 'Frame':
      w.field('size_bits', object.sizeBits).key('paddr').optionalInteger(object.paddr).key('init');
      writeFill(w, object.init);
      break;
    case 'PageTable':
      w.field('x86_ept', object.x86Ept).field('is_root', object.isRoot).key('level').optionalInteger(object.level);
      writeObjectSlots(w, object);
      break;
    case 'AsidPool':
      w.field('high', object.high);
      break;
    case 'IOSpace':
      writeObjectSlots(w, object);
      w.field('domain_id', object.domainId).key('pci_device').beginObject();
      w.field('bus', object.pciDevice.bus).field('device', object.pciDevice.device).field('function', object.pciDevice.function);
      w.endObject();
      break;
    case 'IOPageTable':
      writeObjectSlots(w, object);
      w.field('level', object.level);
      break;
    case 'ArmIrq':
      writeObjectSlots(w, object);
      w.key('extra').beginObject().field('trigger', object.extra.trigger).field('target', object.extra.target);
      w.endObject();
      break;
    case 'IrqMsi':
      writeObjectSlots(w, object);
      w.key('extra').beginObject();
      w.field('handle', object.extra.handle)
        .field('pci_bus', object.extra.pciBus)
        .field('pci_dev', object.extra.pciDev)
        .field('pci_func', object.extra.pciFunc);
      w.endObject();
      break;
    case 'IrqIOApic':
      writeObjectSlots(w, object);
      w.key('extra').beginObject();
      w.field('ioapic', object.extra.ioapic).field('pin', object.extra.pin).field('level', object.extra.level).field('polarity', object.extra.polarity);
      w.endObject();
      break;
    case 'RiscvIrq':
      writeObjectSlots(w, object);
      w.key('extra').beginObject().field('trigger', object.extra.trigger).endObject();
      break;
    case 'IOPorts':
      w.field('start_port', object.startPort).field('end_port', object.endPort);
      break;
    case 'SchedContext':
      w.field('size_bits', object.sizeBits).key('extra').beginObject();
      w.field('period', object.extra.period).field('budget', object.extra.budget).field('badge', object.extra.badge);
      w.endObject();
      break;
  }
  w.endObject().endObject();
}

export function writeNamedObject(w: PrettyJsonWriter, named: NamedObject): void {
  writeObjectEntry(w, named.name, named.object);
}

/** One entry of `objects` (the name made by the caller only when it is written). */
export function writeObjectEntry(w: PrettyJsonWriter, name: string, o: CapdlObject): void {
  if (o.type === 'Frame' && o.paddr === null && o.init.length === 0) {
    w.rendered(zeroFrame(name, o.sizeBits, w.depth));
    return;
  }
  w.beginObject().field('name', name).key('object');
  writeObject(w, o);
  w.endObject();
}
