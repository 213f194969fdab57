/** S15, S16: I/O port ids unique per PD; port ranges disjoint across the system; and within the 16-bit port space. */
import { sdfErrorAt } from '../../core/sdf/errors.js';
import { formatLocation } from '../../core/sdf/location.js';
import type { ProtectionDomain, SystemDescription } from '../../core/sdf/model.js';
import { hex } from '../../core/util/bigint.js';
import type { IoPort } from './model.js';
import { ioportRangeTooHigh, overlappingIoports } from './errors.js';

export function checkIoPortIds(system: SystemDescription): void {
  for (const pd of system.protectionDomains) {
    const seen = new Set<bigint>();
    for (const port of pd.ioports ?? []) {
      if (seen.has(port.id)) throw sdfErrorAt('SDF_DUPLICATE_IOPORT_ID', `duplicate I/O port id: ${port.id} in protection domain: '${pd.name}'`, pd.location);
      seen.add(port.id);
    }
  }
}

export function checkIoPortOverlaps(system: SystemDescription): void {
  const seen: { pd: ProtectionDomain; port: IoPort }[] = [];
  for (const pd of system.protectionDomains) {
    for (const port of pd.ioports ?? []) {
      // u64 arithmetic, as upstream's: a range that wraps past 2^64 compares (and prints) as upstream's does;
      // checkIoPortRanges refuses such ranges afterwards.
      const end = BigInt.asUintN(64, port.addr + port.size);
      for (const other of seen) {
        const otherEnd = BigInt.asUintN(64, other.port.addr + other.port.size);
        if (port.addr < otherEnd && other.port.addr < end) {
          // Upstream prints each port's PD location; the extra line points at the port itself.
          const message =
            `Error: I/O port id: ${port.id}, half-open range: [${hex(port.addr)}, ${hex(end)}) in protection domain: '${pd.name}' @ ${formatLocation(pd.location)}` +
            ` overlaps with I/O port id: ${other.port.id}, half-open range: [${hex(other.port.addr)}, ${hex(otherEnd)}) in protection domain: '${other.pd.name}' @ ${formatLocation(other.pd.location)}`;
          throw overlappingIoports(message, port.location);
        }
      }
      seen.push({ pd, port });
    }
  }
}

/** The last x86 I/O port: the port space is 16-bit. */
export const LAST_IO_PORT = 0xffffn;

/**
 * Port ranges inside the I/O port space. Upstream accepts any 64-bit range (its report shows the end wrapped
 * past 2^64); the kernel keeps 16 bits of each end, so `addr="0x10000"` would grant port 0. A TOOL_LIMITS rule:
 * checked after every rule upstream has.
 */
export function checkIoPortRanges(system: SystemDescription): void {
  for (const pd of system.protectionDomains) {
    for (const port of pd.ioports ?? []) if (port.addr + port.size - 1n > LAST_IO_PORT) throw ioportRangeTooHigh(port, pd.name);
  }
}
