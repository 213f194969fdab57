/** x86 I/O port ranges granted to a PD, added to ProtectionDomain by declaration merging. */
import type { SourceLocation } from '../../core/sdf/location.js';

export interface IoPort {
  readonly id: bigint;
  readonly addr: bigint;
  readonly size: bigint;
  readonly location: SourceLocation;
}

declare module '../../core/sdf/model.js' {
  interface ProtectionDomain {
    /** `<ioport>` children (x86). */
    readonly ioports?: readonly IoPort[];
  }
}
