/**
 * The graph in Graphviz's DOT language: PDs with children (and VMs) become
 * clusters around their parent, channels and maps become edges. Layout is
 * Graphviz's (rendered by render.ts); this only says what is connected.
 */
import type { GraphEdge, GraphNode, SystemGraph } from './model.js';

const NODE_STYLE: Record<string, string> = {
  pd: 'shape=box, style="rounded,filled", fillcolor="#dbeafe", color="#1d4ed8"',
  vm: 'shape=box3d, style=filled, fillcolor="#ede9fe", color="#6d28d9"',
  mr: 'shape=cylinder, style=filled, fillcolor="#fef3c7", color="#b45309"',
  irq: 'shape=diamond, style=filled, fillcolor="#fee2e2", color="#b91c1c", fontsize=10',
  ioport: 'shape=hexagon, style=filled, fillcolor="#dcfce7", color="#15803d", fontsize=10',
  device: 'shape=component, style=filled, fillcolor="#f1f5f9", color="#334155"',
};

const EDGE_STYLE: Record<string, string> = {
  notification: 'style=dashed, color="#1d4ed8"',
  pp: 'style=bold, color="#0f172a", arrowhead=normal',
  map: 'color="#b45309", arrowhead=none',
  irq: 'color="#b91c1c"',
  ioport: 'color="#15803d", arrowhead=none',
  iomap: 'color="#334155", style=dotted',
  vmm: 'color="#6d28d9", style=dotted',
};

/** A DOT string literal. */
export function dotString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function nodeStatement(n: GraphNode, indent: string): string {
  const style = NODE_STYLE[n.kind] ?? 'shape=box';
  return `${indent}${dotString(n.id)} [id=${dotString(n.id)}, class=${dotString(`mk_${n.kind}`)}, label=${dotString(n.label)}, tooltip=${dotString(n.details.join('\n'))}, ${style}];`;
}

function edgeStatement(e: GraphEdge): string {
  const style = EDGE_STYLE[e.kind] ?? '';
  const attrs = [
    `id=${dotString(e.id)}`,
    `class=${dotString(`mk_${e.kind}`)}`,
    `tooltip=${dotString(e.details.join('\n'))}`,
    ...(e.label === undefined ? [] : [`label=${dotString(e.label)}`]),
    ...(e.both ? ['dir=both'] : []),
    ...(style ? [style] : []),
  ];
  return `  ${dotString(e.from)} -> ${dotString(e.to)} [${attrs.join(', ')}];`;
}

export function graphToDot(graph: SystemGraph, title: string): string {
  const children = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    if (n.parent === undefined) continue;
    const list = children.get(n.parent) ?? [];
    list.push(n);
    children.set(n.parent, list);
  }
  const lines = [
    'digraph system {',
    `  graph [label=${dotString(title)}, labelloc=t, fontname="Helvetica", rankdir=LR, compound=true, nodesep=0.4, ranksep=0.8, tooltip=${dotString(title)}];`,
    '  node [fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  let cluster = 0;
  const emit = (n: GraphNode, indent: string): void => {
    const kids = children.get(n.id);
    if (!kids) {
      lines.push(nodeStatement(n, indent));
      return;
    }
    lines.push(`${indent}subgraph ${dotString(`cluster_${cluster++}`)} {`);
    lines.push(`${indent}  graph [label="", style="rounded,dashed", color="#64748b", id=${dotString(`cluster:${n.id}`)}];`);
    lines.push(nodeStatement(n, `${indent}  `));
    for (const k of kids) emit(k, `${indent}  `);
    lines.push(`${indent}}`);
  };
  for (const n of graph.nodes) if (n.parent === undefined) emit(n, '  ');
  for (const e of graph.edges) lines.push(edgeStatement(e));
  lines.push('}');
  return lines.join('\n');
}
