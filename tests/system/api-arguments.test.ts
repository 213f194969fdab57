/**
 * A JavaScript config can pass what TypeScript would refuse: each such
 * argument is a SYSTEM_API error at the call, never a TypeError (an internal
 * error) when the system is written.
 */
import { describe, expect, it } from 'vitest';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { system } from '../../core/system/index.js';

function apiError(f: () => unknown): { code: string; message: string; file?: string } {
  try {
    f();
  } catch (e) {
    if (!isMicrokitError(e)) throw e;
    return { code: e.code, message: e.message, file: e.location?.file };
  }
  throw new Error('no error');
}

describe('system API arguments of the wrong kind', () => {
  const cases: [string, (sys: ReturnType<typeof system>) => unknown, string][] = [
    ['protectionDomain options null', (sys) => sys.protectionDomain('a', null as never), 'protectionDomain(name, options): the options must be an object'],
    [
      'protectionDomain name not a string',
      (sys) => sys.protectionDomain(5 as never, { programImage: 'a.elf' }),
      'protectionDomain(name, options): the name must be a string',
    ],
    ['memoryRegion options a number', (sys) => sys.memoryRegion('m', 5 as never), 'memoryRegion(name, options): the options must be an object'],
    ['map(null)', (sys) => sys.protectionDomain('a', { programImage: 'a.elf' }).map(null as never), 'map(mr, options): mr must be a memory region or its name'],
    [
      'channel to a plain object',
      (sys) => sys.channel(sys.protectionDomain('a', { programImage: 'a.elf' }), {} as never),
      'channel(a, b, options): each end must be a protection domain or its name',
    ],
    ['irq(null)', (sys) => sys.protectionDomain('a', { programImage: 'a.elf' }).irq(null as never), 'irq(options): the options must be an object'],
    [
      'child options null',
      (sys) => sys.protectionDomain('a', { programImage: 'a.elf' }).child('c', null as never),
      'child(name, options): the options must be an object',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, () => {
      const sys = system();
      const e = apiError(() => {
        call(sys);
        sys.toSdfElement();
      });
      expect(e.code).toBe('SYSTEM_API');
      expect(e.message).toContain(message);
      expect(e.file).toMatch(/api-arguments\.test\.ts$/);
    });
  }
});
