/**
 * The `graph` extension point (`pipeline.graph`): plugins draw what they own.
 *
 * | hook   | when                                          | e.g.                               |
 * |--------|-----------------------------------------------|------------------------------------|
 * | system | after the core's PDs, VMs, channels and IRQs  | x86 I/O ports, IOMMU devices       |
 *
 * A tap adds nodes and edges to `graph`; asking for a memory region's node
 * (`regionNode`) makes the core draw every PD and VM map of that region too.
 */
import { SyncHook } from 'tapable';
import type { SystemDescription } from '../sdf/model.js';
import type { SystemGraph } from './model.js';

export interface GraphContext {
  readonly system: SystemDescription;
  readonly graph: SystemGraph;
  /** The node of a memory region (made on first use); its maps are drawn. */
  regionNode(mr: string): string;
}

export interface GraphHooks {
  readonly system: SyncHook<[GraphContext]>;
}

export function createGraphHooks(): GraphHooks {
  return Object.freeze({ system: new SyncHook<[GraphContext]>(['context']) });
}
