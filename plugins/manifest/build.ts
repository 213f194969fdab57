/**
 * Building the manifest from a finished build: pure, from the parsed system,
 * the spec and what allocation found. One pass over the spec (no per-frame
 * objects), so systems of millions of frames cost one scan.
 */
import type { BuildContext, SystemBuild } from '../../core/build-types.js';
import { SpecObjectTable } from '../../core/capdl/object-table.js';
import { physicalSizeBits } from '../../core/capdl/object-sizes.js';
import type { Cap, Rights } from '../../core/capdl/spec.js';
import { PT_LOAD } from '../../core/elf/index.js';
import { pdIpcBufferVaddr, pdStackBottom } from '../../core/kernel/config.js';
import type { Map as SdfMap, MemoryRegion, ProtectionDomain } from '../../core/sdf/model.js';
import { PERM_EXECUTE, PERM_READ, PERM_WRITE } from '../../core/sdf/model.js';
import '../iommu/model.js';
import '../x86-ioports/model.js';
import { MANIFEST_FORMAT } from './types.js';
import type { ManifestCap, ManifestMap, ManifestMemoryRegion, ManifestObjectKind, ManifestProtectionDomain, SystemManifest } from './types.js';

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
const FIRST_FRAME = /^frame_mr_(.*)_000000000$/;

function perms(p: number): string {
  return `${p & PERM_READ ? 'r' : ''}${p & PERM_WRITE ? 'w' : ''}${p & PERM_EXECUTE ? 'x' : ''}`;
}

function rightsText(r: Rights): string {
  return `${r.read ? 'r' : ''}${r.write ? 'w' : ''}${r.grant ? 'g' : ''}${r.grantReply ? 'G' : ''}`;
}

/** What one scan of the spec finds: named non-frame objects, each region's first frame, object totals. */
interface SpecIndex {
  readonly named: Map<string, number>;
  readonly firstFrame: Map<string, number>;
  readonly byKind: Record<string, { count: number; memory: bigint }>;
  readonly count: number;
  readonly frameMemory: bigint;
  readonly kernelMemory: bigint;
}

function indexSpec(build: SystemBuild, ctx: BuildContext): SpecIndex {
  const spec = build.spec!;
  const sizes = ctx.kernel.objectSizes;
  const named = new Map<string, number>();
  const firstFrame = new Map<string, number>();
  const byKind: Record<string, { count: number; memory: bigint }> = {};
  let frameMemory = 0n;
  let kernelMemory = 0n;
  // Compact series frames: only the first of a series can be a region's first frame, so only its name is made.
  const table = spec.objects instanceof SpecObjectTable ? spec.objects : null;
  for (let id = 0; id < spec.objects.length; id++) {
    const object = spec.objects.object(id);
    const type = object.type;
    const k = (byKind[type] ??= { count: 0, memory: 0n });
    k.count++;
    let bits = 0;
    if (sizes) bits = physicalSizeBits(object, sizes);
    else if (type === 'Frame') bits = object.sizeBits;
    const bytes = bits === 0 ? 0n : 1n << BigInt(bits);
    k.memory += bytes;
    if (type === 'Frame') {
      frameMemory += bytes;
      const record = table === null ? -1 : table.frameRecord(id);
      if (record >= 0 && table!.frames.seq(record) !== 0) continue;
      const m = FIRST_FRAME.exec(spec.objects.name(id));
      if (m) firstFrame.set(m[1], id);
    } else {
      kernelMemory += bytes;
      named.set(spec.objects.name(id), id);
    }
  }
  return { named, firstFrame, byKind, count: spec.objects.length, frameMemory, kernelMemory };
}

function regionPaddr(mr: MemoryRegion, build: SystemBuild, index: SpecIndex): { placement: ManifestMemoryRegion['placement']; paddr: bigint | null } {
  if (mr.physAddr.kind === 'specified') return { placement: 'fixed', paddr: mr.physAddr.paddr };
  if (mr.physAddr.kind === 'tool' && mr.physAddr.paddr !== undefined) return { placement: 'tool', paddr: mr.physAddr.paddr };
  const first = index.firstFrame.get(mr.name);
  const p = first === undefined ? undefined : build.objectPaddrs?.get(first);
  return p === undefined ? { placement: 'unknown', paddr: null } : { placement: 'allocated', paddr: p };
}

function capEntry(slot: number, cap: Cap, objectName: (id: number) => string | null): ManifestCap {
  const base = { slot, type: cap.type, object: objectName(cap.object) };
  if (cap.type === 'Endpoint' || cap.type === 'Notification') return { ...base, badge: hex(cap.badge), rights: rightsText(cap.rights) };
  if (cap.type === 'Frame') return { ...base, rights: rightsText(cap.rights) + (cap.executable ? 'x' : '') };
  return base;
}

/** The loader's first loadable segment, read by the caller from the SDK's loader.elf (ARM, RISC-V). */
export interface LoaderFacts {
  readonly entry: bigint;
  readonly vaddr: bigint;
  readonly memsz: bigint;
}

export function buildManifest(build: SystemBuild, ctx: BuildContext, loader?: LoaderFacts): SystemManifest {
  const system = build.system;
  const spec = build.spec!;
  const kernel = ctx.kernel;
  const index = indexSpec(build, ctx);
  const pds = system.protectionDomains;
  const mrs = new Map(system.memoryRegions.map((mr) => [mr.name, mr]));
  const regionPlace = new Map(system.memoryRegions.map((mr) => [mr.name, regionPaddr(mr, build, index)]));
  const objectName = (id: number): string | null => (spec.objects.has(id) ? spec.objects.name(id) : null);

  const mapJson = (m: SdfMap): ManifestMap => {
    const mr = mrs.get(m.mr);
    const paddr = regionPlace.get(m.mr)?.paddr ?? null;
    return {
      mr: m.mr,
      vaddr: hex(m.vaddr),
      size: hex(mr?.size ?? 0n),
      page_size: hex(mr?.pageSize ?? 0n),
      perms: perms(m.perms),
      cached: m.cached,
      paddr: paddr === null ? null : hex(paddr),
    };
  };

  const ipcBuffer = pdIpcBufferVaddr(kernel);
  const protectionDomains = pds.map((pd: ProtectionDomain): ManifestProtectionDomain => {
    const objectNamed = (name: string) => {
      const id = index.named.get(name);
      return id === undefined ? undefined : spec.objects.object(id);
    };
    const tcb = objectNamed(`tcb_${pd.name}`);
    const cnode = objectNamed(`cnode_${pd.name}`);
    const channels = system.channels.flatMap((ch) => {
      const ends = ch.a.pd === pd.index ? [[ch.a, ch.b]] : ch.b.pd === pd.index ? [[ch.b, ch.a]] : [];
      return ends.map(([me, peer]) => ({ id: Number(me.id), peer: pds[peer.pd].name, peer_id: Number(peer.id), notify: me.notify, pp: me.pp }));
    });
    const vm = pd.virtualMachine;
    return {
      name: pd.name,
      parent: pd.parent === undefined ? null : pds[pd.parent].name,
      priority: pd.priority,
      budget: Number(pd.budget),
      period: Number(pd.period),
      passive: pd.passive,
      cpu: pd.cpu,
      program_image: pd.programImage,
      entry: tcb?.type === 'Tcb' ? hex(tcb.extra.ip) : null,
      stack: { bottom: hex(pdStackBottom(kernel, pd.stackSize)), top: hex(ipcBuffer - 0x1000n), size: hex(pd.stackSize) },
      ipc_buffer: hex(ipcBuffer),
      maps: pd.maps.map(mapJson),
      ids: {
        channels,
        irqs: pd.irqs.map((irq) => ({ id: Number(irq.id), irq: Number(irq.number), kind: irq.kind.type })),
        ioports: (pd.ioports ?? []).map((p) => ({ id: Number(p.id), addr: hex(p.addr), size: hex(p.size) })),
        children: pd.children.map((c) => ({ id: Number(pds[c].childId ?? 0n), pd: pds[c].name })),
        vcpus: (vm?.vcpus ?? []).map((v) => ({ id: Number(v.id), vm: vm!.name, cpu: v.cpu ?? null })),
      },
      virtual_machine: vm ? { name: vm.name, maps: vm.maps.map(mapJson) } : null,
      cap_slots: cnode?.type === 'CNode' ? cnode.slots.map((s) => capEntry(s.slot, s.cap, objectName)) : [],
    };
  });

  const mappers = new Map<string, { pd: string; vaddr: string; perms: string }[]>();
  for (const pd of pds) {
    for (const m of pd.maps) {
      const list = mappers.get(m.mr) ?? [];
      list.push({ pd: pd.name, vaddr: hex(m.vaddr), perms: perms(m.perms) });
      mappers.set(m.mr, list);
    }
    for (const m of pd.virtualMachine?.maps ?? []) {
      const list = mappers.get(m.mr) ?? [];
      list.push({ pd: `${pd.name}/${pd.virtualMachine!.name}`, vaddr: hex(m.vaddr), perms: perms(m.perms) });
      mappers.set(m.mr, list);
    }
  }
  const memoryRegions = system.memoryRegions.map((mr): ManifestMemoryRegion => {
    const place = regionPlace.get(mr.name)!;
    const prefill = mr.prefill;
    return {
      name: mr.name,
      size: hex(mr.size),
      page_size: hex(mr.pageSize),
      page_count: Number(mr.size / mr.pageSize),
      placement: place.placement,
      paddr: place.paddr === null ? null : hex(place.paddr),
      prefill:
        prefill === undefined
          ? null
          : prefill.kind === 'file'
            ? { kind: 'file', path: prefill.path, size: hex(prefill.bytes.length) }
            : { kind: 'bootinfo', id: prefill.id },
      mapped_by: mappers.get(mr.name) ?? [],
    };
  });

  const ioSpaces = (system.ioAddressSpaces ?? []).map((s) => {
    const f = s.device.fields;
    const pci = 'bus' in f && 'device' in f && 'function' in f ? { bus: f.bus, device: f.device, function: f.function } : null;
    return {
      name: s.name,
      device: s.device.display,
      pci,
      domain_id: s.domainId === undefined ? null : Number(s.domainId),
      maps: s.maps.map((m) => ({ mr: m.mr, iovaddr: hex(m.iovaddr), perms: perms(m.perms) })),
    };
  });

  const kernelElf = build.kernelElf;
  const packed = build.initialiser;
  const byKind: Record<string, ManifestObjectKind> = {};
  for (const [k, v] of Object.entries(index.byKind).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) byKind[k] = { count: v.count, memory: hex(v.memory) };

  return {
    format: MANIFEST_FORMAT,
    tool: 'microkit-ts',
    system: ctx.options.systemFile,
    board: ctx.options.board ?? null,
    config: ctx.options.config,
    arch: kernel.arch,
    protection_domains: protectionDomains,
    memory_regions: memoryRegions,
    channels: system.channels.map((ch) => ({
      kind: ch.a.pp || ch.b.pp ? 'protected_procedure' : 'notification',
      a: { pd: pds[ch.a.pd].name, id: Number(ch.a.id), notify: ch.a.notify, pp: ch.a.pp },
      b: { pd: pds[ch.b.pd].name, id: Number(ch.b.id), notify: ch.b.notify, pp: ch.b.pp },
    })),
    io_spaces: ioSpaces,
    boot: {
      loader: loader ? { entry: hex(loader.entry), load_address: hex(loader.vaddr), image_size: hex(loader.memsz) } : null,
      kernel: kernelElf
        ? {
            entry: hex(kernelElf.header.entry),
            segments: kernelElf.programHeaders.filter((p) => p.type === PT_LOAD).map((p) => ({ paddr: hex(p.paddr), vaddr: hex(p.vaddr), size: hex(p.memsz) })),
          }
        : null,
      initialiser: packed
        ? {
            entry: hex(packed.entry),
            phys_base: build.initialiserPhysBase === undefined ? null : hex(build.initialiserPhysBase),
            vaddr_start: hex(packed.footprint.start),
            vaddr_end: hex(packed.footprint.end),
            spec_size: hex(packed.specSize),
            frame_data_size: hex(packed.frameDataSize),
          }
        : null,
    },
    objects: {
      count: index.count,
      memory: hex(index.frameMemory + index.kernelMemory),
      kernel_object_memory: hex(index.kernelMemory),
      frame_memory: hex(index.frameMemory),
      by_kind: byKind,
    },
  };
}
