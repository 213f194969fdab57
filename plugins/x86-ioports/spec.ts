/** I/O ports in the spec: an IOPorts object per `<ioport>`, its cap at libmicrokit's slot, and the PD's port-id bits. */
import { plainCap } from '../../core/capdl/construct/builder.js';
import type { PdSpecContext } from '../../core/capdl/construct/hooks.js';
import { PdSlot } from '../../core/capdl/construct/layout.js';
import type { ProtectionDomain } from '../../core/sdf/model.js';
import './model.js';

export function addIoPorts(ctx: PdSpecContext): void {
  for (const port of ctx.pd.ioports ?? []) {
    const id = ctx.builder.add(`ioports_0x${port.addr.toString(16)}_${ctx.pd.name}`, {
      type: 'IOPorts',
      startPort: port.addr,
      endPort: port.addr + port.size - 1n,
    });
    ctx.addCap(PdSlot.BaseIoPort + Number(port.id), plainCap('IOPorts', id));
  }
}

/** `microkit_ioports`: one bit per I/O port id. */
export function ioportBits(pd: ProtectionDomain): bigint {
  let bits = 0n;
  for (const port of pd.ioports ?? []) bits |= 1n << port.id;
  return bits;
}
