/** From a parsed system to its graph: the core's part, then the plugins' (`graph.system`), then the maps of every drawn region. */
import { PERM_EXECUTE, PERM_READ, PERM_WRITE } from '../sdf/model.js';
import type { ProtectionDomain, SystemDescription } from '../sdf/model.js';
import type { GraphContext, GraphHooks } from './hooks.js';
import { SystemGraph, mrNodeId, pdNodeId } from './model.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

export function permsText(p: number): string {
  return `${p & PERM_READ ? 'r' : ''}${p & PERM_WRITE ? 'w' : ''}${p & PERM_EXECUTE ? 'x' : ''}`;
}

function pdDetails(pd: ProtectionDomain, system: SystemDescription): string[] {
  const pds = system.protectionDomains;
  const lines = [
    `protection domain ${pd.name}`,
    `priority ${pd.priority}${pd.passive ? ', passive' : ''}, budget ${pd.budget} / period ${pd.period} us, cpu ${pd.cpu}`,
    `program ${pd.programImage}, stack ${hex(pd.stackSize)}`,
  ];
  if (pd.parent !== undefined) lines.push(`child ${pd.childId} of ${pds[pd.parent].name}`);
  for (const m of pd.maps) lines.push(`map ${m.mr} at ${hex(m.vaddr)} ${permsText(m.perms)}${m.cached ? '' : ' uncached'}`);
  for (const irq of pd.irqs) lines.push(`irq ${irq.number} (${irq.kind.type}) as id ${irq.id}`);
  return lines;
}

export function buildSystemGraph(system: SystemDescription, hooks?: GraphHooks): SystemGraph {
  const graph = new SystemGraph();
  const pds = system.protectionDomains;
  const mrs = new Map(system.memoryRegions.map((mr) => [mr.name, mr]));

  for (const pd of pds) {
    const tags = [`prio ${pd.priority}`, pd.passive ? 'passive' : '', pd.children.length > 0 ? `${pd.children.length} children` : ''].filter((t) => t !== '');
    graph.addNode({
      id: pdNodeId(pd.name),
      kind: 'pd',
      label: `${pd.name}\n${tags.join(', ')}`,
      details: pdDetails(pd, system),
      parent: pd.parent === undefined ? undefined : pdNodeId(pds[pd.parent].name),
    });
  }
  for (const pd of pds) {
    const vm = pd.virtualMachine;
    if (!vm) continue;
    const id = graph.addNode({
      id: `vm:${vm.name}`,
      kind: 'vm',
      label: `VM ${vm.name}\n${vm.vcpus.length} vCPU${vm.vcpus.length === 1 ? '' : 's'}`,
      details: [
        `virtual machine ${vm.name} of ${pd.name}`,
        ...vm.vcpus.map((v) => `vCPU ${v.id}${v.cpu === undefined ? '' : ` on cpu ${v.cpu}`}`),
        ...vm.maps.map((m) => `map ${m.mr} at ${hex(m.vaddr)} ${permsText(m.perms)}`),
      ],
      parent: pdNodeId(pd.name),
    });
    graph.addEdge({ kind: 'vmm', from: pdNodeId(pd.name), to: id, label: 'vmm', details: [`${pd.name} is the VMM of ${vm.name}`] });
  }
  system.channels.forEach((ch, i) => {
    const a = pds[ch.a.pd];
    const b = pds[ch.b.pd];
    const pp = ch.a.pp || ch.b.pp;
    // A PPC goes from the caller (the end with pp) to the callee.
    const [from, to, fromEnd, toEnd] = ch.b.pp && !ch.a.pp ? [b, a, ch.b, ch.a] : [a, b, ch.a, ch.b];
    graph.addEdge({
      id: `channel:${i}`,
      kind: pp ? 'pp' : 'notification',
      from: pdNodeId(from.name),
      to: pdNodeId(to.name),
      label: `${fromEnd.id} : ${toEnd.id}`,
      both: !pp && ch.a.notify && ch.b.notify,
      details: [
        `channel ${a.name}[${ch.a.id}] <-> ${b.name}[${ch.b.id}]`,
        pp ? `protected procedure call: ${from.name} calls ${to.name}` : 'notification',
        `${a.name} ${ch.a.notify ? 'may' : 'may not'} notify, ${b.name} ${ch.b.notify ? 'may' : 'may not'} notify`,
      ],
    });
  });
  for (const pd of pds) {
    for (const irq of pd.irqs) {
      const id = graph.addNode({
        id: `irq:${pd.name}:${irq.id}`,
        kind: 'irq',
        label: `IRQ ${irq.number}`,
        details: [`interrupt ${irq.number} (${irq.kind.type})`, `delivered to ${pd.name} as channel id ${irq.id}`],
      });
      graph.addEdge({ kind: 'irq', from: id, to: pdNodeId(pd.name), label: `${irq.id}`, details: [`IRQ ${irq.number} -> ${pd.name} id ${irq.id}`] });
    }
  }

  // Regions mapped by more than one PD or VM are shared: draw them.
  const mappers = new Map<string, number>();
  for (const pd of pds) {
    for (const m of [...pd.maps, ...(pd.virtualMachine?.maps ?? [])]) mappers.set(m.mr, (mappers.get(m.mr) ?? 0) + 1);
  }
  const regionNode = (name: string): string => {
    const mr = mrs.get(name);
    const prefill = mr?.prefill ? (mr.prefill.kind === 'file' ? `prefilled from ${mr.prefill.path}` : `boot info ${mr.prefill.id}`) : '';
    return graph.addNode({
      id: mrNodeId(name),
      kind: 'mr',
      label: `${name}\n${mr ? hex(mr.size) : '?'}`,
      details: [
        `memory region ${name}`,
        mr ? `size ${hex(mr.size)}, page size ${hex(mr.pageSize)}` : 'unknown region',
        ...(mr && mr.physAddr.kind === 'specified' ? [`physical address ${hex(mr.physAddr.paddr)}`] : []),
        ...(prefill ? [prefill] : []),
      ],
    });
  };
  for (const [name, n] of mappers) if (n > 1) regionNode(name);

  const ctx: GraphContext = { system, graph, regionNode };
  hooks?.system.call(ctx);

  for (const pd of pds) {
    const draw = (owner: string, ownerName: string, maps: ProtectionDomain['maps']): void => {
      for (const m of maps) {
        if (!graph.hasNode(mrNodeId(m.mr))) continue;
        graph.addEdge({
          kind: 'map',
          from: owner,
          to: mrNodeId(m.mr),
          label: permsText(m.perms),
          details: [`${ownerName} maps ${m.mr} at ${hex(m.vaddr)}`, `perms ${permsText(m.perms)}${m.cached ? ', cached' : ', uncached'}`],
        });
      }
    };
    draw(pdNodeId(pd.name), pd.name, pd.maps);
    if (pd.virtualMachine) draw(`vm:${pd.virtualMachine.name}`, pd.virtualMachine.name, pd.virtualMachine.maps);
  }
  return graph;
}
