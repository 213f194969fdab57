/**
 * Property test: random mutations of the conformance systems (dropped and
 * duplicated attributes, garbage and huge numbers, truncated XML, unknown
 * elements, swapped tags) must give either a system or a MicrokitError:
 * never a crash, never a non-Microkit exception.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { HAS_SHARED, SHARED } from '../support/paths.js';
import { presetKernel, presetPlugins } from '../support/kernel.js';
import { prng } from '../support/random.js';

const GARBAGE = [
  '',
  '-1',
  '0x',
  'zz',
  '1e3',
  '0xffffffffffffffffff',
  '18446744073709551616',
  '99999999999999999999999',
  '0X10',
  '1_000',
  ' 5',
  '+7',
  '0x_',
  'true',
  '🙂',
  '&amp;',
];
const ELEMENTS = [
  'protection_domain',
  'memory_region',
  'channel',
  'end',
  'map',
  'irq',
  'ioport',
  'setvar',
  'virtual_machine',
  'vcpu',
  'cspace',
  'cap_tcb',
  'domains',
  'domain',
  'io_address_space',
  'iomap',
  'bogus',
];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const attrs = [...text.matchAll(/\s([a-z_]+)="([^"]*)"/g)];
  switch (Math.floor(r() * 8)) {
    case 0: {
      if (attrs.length === 0) return text;
      const a = pick(attrs);
      return text.slice(0, a.index) + text.slice(a.index! + a[0].length);
    }
    case 1: {
      if (attrs.length === 0) return text;
      const a = pick(attrs);
      return text.slice(0, a.index! + a[0].length) + a[0] + text.slice(a.index! + a[0].length);
    }
    case 2: {
      if (attrs.length === 0) return text;
      const a = pick(attrs);
      const start = a.index! + a[0].indexOf('"') + 1;
      return text.slice(0, start) + pick(GARBAGE) + text.slice(start + a[2].length);
    }
    case 3:
      return text.slice(0, Math.floor(r() * text.length));
    case 4: {
      const at = text.indexOf('>', Math.floor(r() * text.length));
      if (at < 0) return text;
      const tag = pick(ELEMENTS);
      return `${text.slice(0, at + 1)}<${tag} id="${pick(GARBAGE)}" name="x"/>${text.slice(at + 1)}`;
    }
    case 5: {
      const tags = [...text.matchAll(/<([a-z_]+)[\s/>]/g)];
      if (tags.length === 0) return text;
      const t = pick(tags);
      return text.slice(0, t.index! + 1) + pick(ELEMENTS) + text.slice(t.index! + 1 + t[1].length);
    }
    case 6: {
      if (attrs.length === 0) return text;
      const a = pick(attrs);
      const start = a.index! + a[0].indexOf('"') + 1;
      return text.slice(0, start) + pick(['0xffffffffffffffff', '18446744073709551615', '4294967296', '1099511627776']) + text.slice(start + a[2].length);
    }
    default:
      return text.replace(/<\/system>\s*$/, `<memory_region name="m${Math.floor(r() * 5)}" size="0x1000"/></system>`);
  }
}

function systems(): string[] {
  const dirs = [
    join(SHARED, 'conformance/sdf-unit/systems'),
    ...readdirSync(join(SHARED, 'conformance/examples/systems')).map((d) => join(SHARED, 'conformance/examples/systems', d)),
  ];
  return dirs.flatMap((d) =>
    existsSync(d)
      ? readdirSync(d)
          .filter((f) => f.endsWith('.system'))
          .map((f) => readFileSync(join(d, f), 'utf8'))
      : [],
  );
}

describe.skipIf(!HAS_SHARED)('SDF mutations never crash the front end', () => {
  const texts = HAS_SHARED ? systems() : [];
  for (const board of ['qemu_virt_aarch64', 'qemu_virt_riscv64', 'x86_64_generic_vtx']) {
    it(`${board}: 1500 mutated systems`, async () => {
      const r = prng(board.length * 7919);
      const kernel = presetKernel(board);
      const plugins = () => presetPlugins(board);
      let errors = 0;
      for (let i = 0; i < Number(process.env.MUTATIONS ?? 1500); i++) {
        let text = texts[i % texts.length];
        const rounds = 1 + Math.floor(r() * 3);
        for (let k = 0; k < rounds; k++) text = mutate(text, r);
        try {
          await checkSystem(text, { file: 'm.system', kernel, plugins: plugins() });
        } catch (e) {
          if (!isMicrokitError(e)) throw new Error(`mutation ${i} crashed: ${(e as Error).stack}\n--- input ---\n${text}`);
          expect((e as Error).message).not.toMatch(/undefined|NaN|\[object/);
          errors++;
        }
      }
      expect(errors).toBeGreaterThan(500);
    });
  }
});
