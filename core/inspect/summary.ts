/**
 * The readable summary `microkit inspect` prints without `--json`: where the
 * loader puts each region, what the spec makes (objects by type, memory),
 * what each thread sees (address space, caps), IRQs and IO spaces, and the
 * integrity checks. Long runs of similar mappings are folded into one line,
 * so a system of millions of frames still prints a readable page per PD.
 */
import { physicalSizeBits } from '../capdl/object-sizes.js';
import type { Cap, CapdlObject, Rights } from '../capdl/spec.js';
import type { ObjectSizes } from '../kernel/config.js';
import type { InitNamedObject, InitObject, SpecForInitializer } from '../pack/types.js';
import { humanSizeStrict } from '../util/human-size.js';
import type { ImageInspection } from './types.js';
import { hx } from './util.js';

export interface SummaryOptions {
  /** Kernel object sizes (the SDK's object_sizes.json): without them only sized objects have a memory figure. */
  readonly objectSizes?: ObjectSizes;
  readonly imageName?: string;
}

/**
 * The frames mapped into one address space, as columns (a system may map
 * millions of pages: no object per page). `attrs` packs read/write/execute
 * (bits 0-2) and cached (bit 3).
 */
class Mappings {
  length = 0;
  vaddr = new BigUint64Array(64);
  sizeBits = new Uint8Array(64);
  object = new Uint32Array(64);
  attrs = new Uint8Array(64);

  push(vaddr: bigint, sizeBits: number, object: number, attrs: number): void {
    if (this.length === this.vaddr.length) {
      const grow = <T extends BigUint64Array | Uint8Array | Uint32Array>(a: T): T => {
        const next = new (a.constructor as new (n: number) => T)(a.length * 2);
        next.set(a as never);
        return next;
      };
      this.vaddr = grow(this.vaddr);
      this.sizeBits = grow(this.sizeBits);
      this.object = grow(this.object);
      this.attrs = grow(this.attrs);
    }
    const i = this.length++;
    this.vaddr[i] = vaddr;
    this.sizeBits[i] = sizeBits;
    this.object[i] = object;
    this.attrs[i] = attrs;
  }

  /** Positions in vaddr order (the walk yields them in order unless slots are unsorted). */
  order(): Uint32Array {
    const idx = new Uint32Array(this.length);
    let sorted = true;
    for (let i = 0; i < this.length; i++) {
      idx[i] = i;
      if (i > 0 && this.vaddr[i] < this.vaddr[i - 1]) sorted = false;
    }
    if (!sorted) idx.sort((x, y) => (this.vaddr[x] < this.vaddr[y] ? -1 : this.vaddr[x] > this.vaddr[y] ? 1 : 0));
    return idx;
  }
}

function attrsText(attrs: number): string {
  return `${attrs & 1 ? 'R' : '-'}${attrs & 2 ? 'W' : '-'}${attrs & 4 ? 'X' : '-'}${attrs & 8 ? '' : ' uncached'}`;
}

function objName(spec: SpecForInitializer, id: number): string {
  const n = spec.objects[id]?.name;
  return n ?? `#${id}`;
}

function rightsText(r: Rights, executable = false): string {
  return `${r.read ? 'R' : '-'}${r.write ? 'W' : '-'}${executable ? 'X' : '-'}`;
}

function capText(spec: SpecForInitializer, c: Cap): string {
  const target = objName(spec, c.object);
  switch (c.type) {
    case 'Endpoint':
    case 'Notification':
      return `${c.type} ${target} badge ${hx(c.badge)} ${rightsText(c.rights)}${c.rights.grant ? 'G' : ''}`;
    case 'CNode':
      return `CNode ${target} guard ${c.guard}/${c.guardSize}`;
    case 'Frame':
      return `Frame ${target} ${rightsText(c.rights, c.executable)}${c.cached ? '' : ' uncached'}`;
    default:
      return `${c.type} ${target}`;
  }
}

/** Levels of page table below the root on each architecture (4 KiB pages, 9 bits a level). */
function vspaceLevels(arch: ImageInspection['arch']): number {
  return arch === 'riscv64' ? 3 : 4;
}

function walkVSpace(spec: SpecForInitializer, root: number, levels: number): Mappings {
  const out = new Mappings();
  const seen = new Set<number>();
  const walk = (id: number, base: bigint, fallbackLevel: number): void => {
    const o = spec.objects[id]?.object;
    if (o === undefined || o.type !== 'PageTable' || seen.has(id)) return;
    seen.add(id);
    const level = o.level ?? fallbackLevel;
    const spanBits = 12 + 9 * (levels - 1 - level);
    for (const { slot, cap } of o.slots) {
      const vaddr = base + (BigInt(slot) << BigInt(spanBits));
      if (cap.type === 'PageTable') walk(cap.object, vaddr, level + 1);
      else if (cap.type === 'Frame') {
        const f = spec.objects[cap.object]?.object;
        const r = cap.rights;
        const attrs = (r.read ? 1 : 0) | (r.write ? 2 : 0) | (cap.executable ? 4 : 0) | (cap.cached ? 8 : 0);
        out.push(vaddr & 0xffff_ffff_ffff_ffffn, f?.type === 'Frame' ? f.sizeBits : spanBits, cap.object, attrs);
      }
    }
  };
  walk(root, 0n, 0);
  return out;
}

/** Folds runs of adjacent mappings with the same size and attributes into one line each. */
function mappingLines(spec: SpecForInitializer, maps: Mappings, indent: string): string[] {
  const lines: string[] = [];
  const idx = maps.order();
  const end = (k: number): bigint => maps.vaddr[idx[k]] + (1n << BigInt(maps.sizeBits[idx[k]]));
  for (let i = 0; i < idx.length; ) {
    const first = idx[i];
    let j = i + 1;
    while (j < idx.length && maps.sizeBits[idx[j]] === maps.sizeBits[first] && maps.attrs[idx[j]] === maps.attrs[first] && maps.vaddr[idx[j]] === end(j - 1))
      j++;
    const last = idx[j - 1];
    const count = j - i;
    const page = 1n << BigInt(maps.sizeBits[first]);
    const what =
      count === 1
        ? objName(spec, maps.object[first])
        : `${count} × ${humanSizeStrict(page)}: ${objName(spec, maps.object[first])} .. ${objName(spec, maps.object[last])}`;
    lines.push(
      `${indent}${hx(maps.vaddr[first]).padEnd(18)} ${humanSizeStrict(end(j - 1) - maps.vaddr[first]).padEnd(10)} ${attrsText(maps.attrs[first])}  ${what}`,
    );
    i = j;
  }
  return lines;
}

function memoryOf(o: InitObject, sizes: ObjectSizes | undefined): bigint | undefined {
  switch (o.type) {
    case 'Frame':
    case 'SchedContext':
      return 1n << BigInt(o.sizeBits);
    case 'CNode':
      return 1n << BigInt(o.sizeBits + 5);
    default:
      if (sizes === undefined) return undefined;
      // 0 bits: not made from untyped memory (IRQs, IO spaces, I/O ports...).
      return physicalSizeBits(o as CapdlObject, sizes) === 0 ? 0n : 1n << BigInt(physicalSizeBits(o as CapdlObject, sizes));
  }
}

function threadName(named: InitNamedObject, id: number): string {
  return named.name === null ? `thread #${id}` : named.name.replace(/^tcb_/, '');
}

/** The summary, line by line. */
export function summaryLines(r: ImageInspection, options: SummaryOptions = {}): string[] {
  const spec = r.spec;
  const out: string[] = [];
  out.push(`Image: ${options.imageName ?? ''}${options.imageName ? ' ' : ''}(${r.kind}, ${r.arch}, ${humanSizeStrict(BigInt(r.fileSize))})`);
  if (r.loader) {
    const l = r.loader;
    out.push(
      `Loader: own image ${humanSizeStrict(BigInt(l.loaderImageSize))}; kernel entry ${hx(l.kernelEntry)}; initialiser at physical ${hx(l.uiPRegStart)}..${hx(l.uiPRegEnd)}, pv_offset ${hx(l.pvOffset)}`,
    );
    out.push('  Region  Load address        Size        Role         Initialiser vaddr');
    l.regions.forEach((g, i) => {
      const role = g.covers ? `${g.role} (${g.covers})` : g.role;
      out.push(
        `  ${String(i).padStart(6)}  ${hx(g.loadAddr).padEnd(18)}  ${humanSizeStrict(g.size).padEnd(10)}  ${role.padEnd(24)} ${g.vaddr === undefined ? '' : hx(g.vaddr)}`,
      );
    });
  }
  const i = r.initialiser;
  out.push(`Initialiser: entry ${hx(i.entry)}, memory ${hx(i.vaddrStart)}..${hx(i.vaddrEnd)}`);
  out.push(
    `  spec archive ${humanSizeStrict(i.specSize)} at ${hx(i.specVaddr)}; frame data ${i.frameDataSize / 4096n} pages (${humanSizeStrict(i.frameDataSize)}) at ${hx(i.frameDataVaddr)}`,
  );

  // Objects by type.
  const byType = new Map<string, { count: number; memory: bigint; unknown: boolean }>();
  let total = 0n;
  for (const { object } of spec.objects) {
    const t = byType.get(object.type) ?? { count: 0, memory: 0n, unknown: false };
    t.count++;
    const m = memoryOf(object, options.objectSizes);
    if (m === undefined) t.unknown = true;
    else {
      t.memory += m;
      total += m;
    }
    byType.set(object.type, t);
  }
  out.push(
    `Objects: ${spec.objects.length} (root objects ${spec.rootObjects.start}..${spec.rootObjects.end}), memory ${humanSizeStrict(total)}${options.objectSizes ? '' : ' (kernel object sizes unknown without --sdk)'}`,
  );
  for (const [type, t] of [...byType].sort((a, b) => b[1].count - a[1].count)) {
    out.push(`  ${type.padEnd(14)} ${String(t.count).padStart(9)}  ${t.unknown && t.memory === 0n ? '' : humanSizeStrict(t.memory)}`);
  }

  // Threads: one per TCB, with what its caps reach.
  out.push('Threads:');
  const levels = vspaceLevels(r.arch);
  spec.objects.forEach((named, id) => {
    const o = named.object;
    if (o.type !== 'Tcb') return;
    const x = o.extra;
    const sc = o.slots.find((s) => s.cap.type === 'SchedContext');
    const scObj = sc ? spec.objects[sc.cap.object]?.object : undefined;
    const budget = scObj?.type === 'SchedContext' ? `, budget ${scObj.extra.budget} / period ${scObj.extra.period} us` : ', passive (no scheduling context)';
    out.push(`  ${threadName(named, id)}: priority ${x.prio} (max ${x.maxPrio}), core ${x.affinity}${budget}${x.resume ? '' : ', not started'}`);
    out.push(
      `    ip ${hx(x.ip)}, sp ${hx(x.sp)}, IPC buffer ${hx(x.ipcBufferAddr)}${x.masterFaultEp === null ? '' : `, fault endpoint cap ${x.masterFaultEp}`}`,
    );
    const vcpu = o.slots.find((s) => s.cap.type === 'VCpu');
    if (vcpu) out.push(`    vCPU ${objName(spec, vcpu.cap.object)}`);
    const vspace = o.slots.find((s) => s.cap.type === 'PageTable');
    if (vspace) {
      const maps = walkVSpace(spec, vspace.cap.object, levels);
      out.push(`    address space ${objName(spec, vspace.cap.object)}: ${maps.length} mappings`);
      out.push(...mappingLines(spec, maps, '      '));
    }
    const cspace = o.slots.find((s) => s.cap.type === 'CNode');
    const cnode = cspace ? spec.objects[cspace.cap.object]?.object : undefined;
    if (cspace && cnode?.type === 'CNode') {
      out.push(`    cspace ${objName(spec, cspace.cap.object)} (2^${cnode.sizeBits} slots): ${cnode.slots.length} caps`);
      for (const s of cnode.slots) {
        out.push(`      slot ${String(s.slot).padStart(4)}  ${capText(spec, s.cap)}`);
        // Microkit's PD cspace is a guard CNode over the CNode that holds the PD's caps: show those too.
        const inner = s.cap.type === 'CNode' && s.cap.object !== cspace.cap.object ? spec.objects[s.cap.object]?.object : undefined;
        if (inner?.type === 'CNode') for (const t of inner.slots) out.push(`        slot ${String(t.slot).padStart(4)}  ${capText(spec, t.cap)}`);
      }
    }
  });

  if (spec.irqs.length > 0) {
    out.push('IRQs:');
    for (const irq of spec.irqs) {
      const h = spec.objects[irq.handler]?.object;
      const slots = h && 'slots' in h ? h.slots : [];
      const target = slots.length > 0 ? capText(spec, slots[0].cap) : 'no notification';
      out.push(`  ${String(irq.irq).padStart(6)}  ${(h?.type ?? '?').padEnd(10)} ${objName(spec, irq.handler)} -> ${target}`);
    }
  }
  const ioSpaces = spec.objects.map((n, id) => ({ n, id })).filter(({ n }) => n.object.type === 'IOSpace');
  const ioPorts = spec.objects.map((n, id) => ({ n, id })).filter(({ n }) => n.object.type === 'IOPorts');
  if (ioSpaces.length > 0) {
    out.push('IO spaces:');
    for (const { n, id } of ioSpaces) {
      const o = n.object as Extract<InitObject, { type: 'IOSpace' }>;
      const d = o.pciDevice;
      const maps = walkIoSpace(spec, id);
      out.push(
        `  ${objName(spec, id)}: PCI ${d.bus.toString(16).padStart(2, '0')}:${d.device.toString(16).padStart(2, '0')}.${d.function}, domain ${o.domainId}, ${maps.length} IO maps`,
      );
      out.push(...mappingLines(spec, maps, '    '));
    }
  }
  if (ioPorts.length > 0) {
    out.push('IO ports:');
    for (const { n, id } of ioPorts) {
      const o = n.object as Extract<InitObject, { type: 'IOPorts' }>;
      out.push(`  ${objName(spec, id)}: ${hx(o.startPort)}..${hx(o.endPort)}`);
    }
  }

  out.push(`Checks: ${r.checks.errors.length} integrity errors, ${r.checks.warnings.length} warnings`);
  for (const e of r.checks.errors) out.push(`  error: ${e}`);
  for (const w of r.checks.warnings) out.push(`  warning: ${w}`);
  return out;
}

/**
 * The IO maps of an IOSpace: its IO page tables (levels numbered from 0 at
 * the top) down to frames. A frame's IO address is the sum of each table
 * slot scaled by its level's span, counted up from the leaf table.
 */
function walkIoSpace(spec: SpecForInitializer, root: number): Mappings {
  const out = new Mappings();
  const seen = new Set<number>();
  const walk = (id: number, path: readonly { level: number; slot: number }[]): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const o = spec.objects[id]?.object;
    if (o?.type !== 'IOPageTable') return;
    const level = Number(o.level);
    for (const { slot, cap } of o.slots) {
      const here = [...path, { level, slot }];
      const t = spec.objects[cap.object]?.object;
      if (t?.type === 'IOPageTable') walk(cap.object, here);
      else if (t?.type === 'Frame' && cap.type === 'Frame') {
        let iova = 0n;
        for (const p of here) iova += BigInt(p.slot) << BigInt(12 + 9 * (level - p.level));
        const r = cap.rights;
        out.push(iova & 0xffff_ffff_ffff_ffffn, t.sizeBits, cap.object, (r.read ? 1 : 0) | (r.write ? 2 : 0) | (cap.cached ? 8 : 0));
      }
    }
  };
  const space = spec.objects[root]?.object;
  if (space?.type === 'IOSpace') for (const { cap } of space.slots) walk(cap.object, []);
  return out;
}
