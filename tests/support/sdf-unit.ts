/** The upstream SDF unit cases (../shared/conformance/sdf-unit/cases.json), read once for every test that runs them. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HAS_SHARED, SHARED } from './paths.js';

export interface SdfUnitCase {
  name: string;
  system: string;
  config: string;
  config_overrides?: Record<string, unknown>;
  expect: 'ok' | 'error';
  message_prefix?: string;
}

export const SDF_UNIT_ROOT = resolve(SHARED, 'conformance/sdf-unit');

const doc = HAS_SHARED
  ? (JSON.parse(readFileSync(join(SDF_UNIT_ROOT, 'cases.json'), 'utf8')) as { configs: Record<string, Record<string, unknown>>; cases: SdfUnitCase[] })
  : undefined;

/** Every case; none without the shared data. */
export const SDF_UNIT_CASES: readonly SdfUnitCase[] = doc?.cases ?? [];

/** The kernel config (upstream's field names) a case runs with: its named config and its overrides. */
export function sdfUnitKernelConfig(c: SdfUnitCase): Record<string, unknown> {
  return { ...doc!.configs[c.config], ...(c.config_overrides ?? {}) };
}
