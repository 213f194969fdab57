/** `microkit graph`: each PD's I/O port ranges, as nodes joined to the PD. */
import type { GraphContext } from '../../core/graph/hooks.js';
import { pdNodeId } from '../../core/graph/model.js';
import './model.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

export function drawIoPorts({ system, graph }: GraphContext): void {
  for (const pd of system.protectionDomains) {
    for (const port of pd.ioports ?? []) {
      const id = graph.addNode({
        id: `ioport:${pd.name}:${port.id}`,
        kind: 'ioport',
        label: `I/O ${hex(port.addr)}+${port.size}`,
        details: [`I/O ports ${hex(port.addr)}..${hex(port.addr + port.size - 1n)}`, `${pd.name} id ${port.id}`],
      });
      graph.addEdge({
        kind: 'ioport',
        from: pdNodeId(pd.name),
        to: id,
        label: `${port.id}`,
        details: [`${pd.name} may use I/O ports ${hex(port.addr)}+${port.size} (id ${port.id})`],
      });
    }
  }
}
