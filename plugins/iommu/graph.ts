/** `microkit graph`: each IOMMU device with its IO maps, as edges to the regions the device may reach. */
import type { GraphContext } from '../../core/graph/hooks.js';
import { permsText } from '../../core/graph/build.js';
import './model.js';

const hex = (v: bigint): string => `0x${v.toString(16)}`;

export function drawIoAddressSpaces({ system, graph, regionNode }: GraphContext): void {
  for (const space of system.ioAddressSpaces ?? []) {
    const id = graph.addNode({
      id: `device:${space.name}`,
      kind: 'device',
      label: `${space.device.display}\n${space.name}`,
      details: [
        `IO address space ${space.name}`,
        space.device.display,
        ...(space.domainId === undefined ? [] : [`domain id ${space.domainId}`]),
        ...space.maps.map((m) => `iomap ${m.mr} at ${hex(m.iovaddr)} ${permsText(m.perms)}`),
      ],
    });
    for (const m of space.maps) {
      graph.addEdge({
        kind: 'iomap',
        from: id,
        to: regionNode(m.mr),
        label: `${hex(m.iovaddr)} ${permsText(m.perms)}`,
        details: [`${space.device.display} reaches ${m.mr} at IO address ${hex(m.iovaddr)}`, `perms ${permsText(m.perms)}`],
      });
    }
  }
}
