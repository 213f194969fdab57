/** The SDK's monitor stub, `monitor.elf`. */
import { PF_R, PF_W, PF_X } from '../../elf/types.js';
import type { ArchName } from '../../kernel/config.js';
import { ARCH } from './traits.js';
import type { MonitorBssObject } from './traits.js';
import { PAGE, alignUp, linkStub, codeBytes, u64, CODE, DATA, FUNC, OBJECT, MARKER, placeBss } from './link.js';

const MONITOR_BASE = 0x200000n;
const MONITOR_FILL = 0x2000;
const MONITOR_VERSION = 1n;
const MONITOR_BSS_SIZES: Record<MonitorBssObject, bigint> = {
  pd_stack_bottom_addrs: 512n, // (63 + 1) words
  vm_names_len: 8n,
  vm_names: 64n * 64n,
  pd_names_len: 8n,
  pd_names: 64n * 64n,
};

/** `monitor.elf`: text at 0x200000, `.data` + `.bss` with the symbols the tool patches. */
export function stubMonitorElf(arch: ArchName): Uint8Array {
  const text = codeBytes(arch, MONITOR_FILL);
  const textEnd = MONITOR_BASE + BigInt(text.length);
  const data = alignUp(textEnd, PAGE);
  const bss = alignUp(data + 8n, ARCH[arch].bssAlign);
  const placed = placeBss(
    arch,
    bss,
    ARCH[arch].monitorBss.map((name) => ({ name, size: MONITOR_BSS_SIZES[name] })),
  );
  return linkStub({
    arch,
    entry: MONITOR_BASE,
    file: 'monitor.c',
    segments: [
      { flags: PF_R | PF_X, sections: [{ name: '.text', flags: CODE, addr: MONITOR_BASE, align: ARCH[arch].codeAlign, data: text, startsWithInsn: true }] },
      {
        flags: PF_R | PF_W,
        sections: [
          { name: '.data', flags: DATA, addr: data, align: 8n, data: u64(MONITOR_VERSION) },
          { name: '.bss', flags: DATA, addr: bss, align: ARCH[arch].bssAlign, size: placed.end - bss },
        ],
      },
    ],
    symbols: [
      MARKER('_text_end', textEnd, '.text'),
      FUNC(arch, '_start', MONITOR_BASE, '.text'),
      MARKER('_text', MONITOR_BASE, '.text'),
      OBJECT('monitor_version', data, 8n, '.data'),
      ...placed.symbols,
    ],
  });
}
