/** The x86 IRQ kinds, added to the core's IrqKinds by declaration merging. */
import type { PciDevice } from './pci.js';

export interface IoapicIrq {
  readonly type: 'ioapic';
  readonly ioapic: bigint;
  readonly pin: bigint;
  readonly trigger: 'level' | 'edge';
  readonly polarity: 'low' | 'high';
  readonly vector: bigint;
}

export interface MsiIrq {
  readonly type: 'msi';
  readonly pciDevice: PciDevice;
  readonly handle: bigint;
  readonly vector: bigint;
}

declare module '../../core/sdf/model.js' {
  interface IrqKinds {
    ioapic: IoapicIrq;
    msi: MsiIrq;
  }
}
