/**
 * What `microkit graph` draws, as data: nodes (PDs, VMs, shared memory
 * regions, IRQs, and what plugins add: I/O ports, IOMMU devices) and edges
 * (channels, maps, IRQ delivery, IO maps), each with the details the HTML
 * shows on hover. The core fills what every system has; plugins add their
 * own constructs through the `graph` extension point (hooks.ts).
 */

/** Kinds the renderer styles; plugins may use others (drawn plainly). */
export type GraphNodeKind = 'pd' | 'vm' | 'mr' | 'irq' | 'ioport' | 'device' | (string & {});
export type GraphEdgeKind = 'notification' | 'pp' | 'map' | 'irq' | 'ioport' | 'iomap' | 'vmm' | (string & {});

export interface GraphNode {
  /** Unique, stable (`pd:<name>`, `mr:<name>`...); becomes the SVG element id. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly label: string;
  /** Lines shown on hover. */
  readonly details: readonly string[];
  /** The PD node this node is drawn inside (children and VMs of a PD). */
  readonly parent?: string;
}

export interface GraphEdge {
  readonly id: string;
  readonly kind: GraphEdgeKind;
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly details: readonly string[];
  /** Arrowheads at both ends (a channel both ends may notify on). */
  readonly both?: boolean;
}

/** The graph being built: nodes and edges in insertion order, ids unique. */
export class SystemGraph {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private readonly ids = new Set<string>();

  hasNode(id: string): boolean {
    return this.ids.has(id);
  }

  addNode(node: GraphNode): string {
    if (!this.ids.has(node.id)) {
      this.ids.add(node.id);
      this.nodes.push(node);
    }
    return node.id;
  }

  addEdge(edge: Omit<GraphEdge, 'id'> & { id?: string }): string {
    const id = edge.id ?? `edge:${this.edges.length}`;
    this.edges.push({ ...edge, id });
    return id;
  }
}

export function pdNodeId(name: string): string {
  return `pd:${name}`;
}

export function mrNodeId(name: string): string {
  return `mr:${name}`;
}
