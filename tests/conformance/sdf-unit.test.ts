/**
 * Upstream's 147 SDF unit cases (../shared/conformance/sdf-unit), through
 * the public API (checkSystem) and through the CLI (`microkit check`).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSystem } from '../../core/check.js';
import { isMicrokitError } from '../../core/errors/microkit-error.js';
import { applyKernelConfigJson } from '../../core/kernel/kernel-config-file.js';
import { searchPathAccess } from '../../core/cli/setup.js';
import { presetKernelFiles } from '../../core/preset.js';
import { kernelConfigFromSdkFiles } from '../../core/sdk/kernel-files.js';
import type { KernelConfig } from '../../core/kernel/config.js';
import { genericPresetFor, presetRegistry } from '../../presets/index.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED } from '../support/paths.js';
import { SDF_UNIT_CASES, SDF_UNIT_ROOT, type SdfUnitCase, sdfUnitKernelConfig } from '../support/sdf-unit.js';

const cases = SDF_UNIT_CASES;

function kernelFor(c: SdfUnitCase): { kernel: KernelConfig; arch: KernelConfig['arch'] } {
  const json = sdfUnitKernelConfig(c);
  const arch = json.arch as KernelConfig['arch'];
  const preset = presetRegistry().resolve(genericPresetFor(arch).name);
  const base = kernelConfigFromSdkFiles(presetKernelFiles(preset, 'debug')!, 'debug', { genConfigPath: 'p', objectSizesPath: 'p', addressSpacePath: 'p' });
  return { kernel: applyKernelConfigJson(json, base, 'case'), arch };
}

/** The conformance script's rule: the prefix occurs, and a line starts with its first line. */
function matches(message: string, prefix: string): boolean {
  const first = prefix.split('\n')[0];
  return message.includes(prefix) && message.split('\n').some((l) => l.trim().startsWith(first));
}

describe.skipIf(!HAS_SHARED)('sdf-unit conformance through the API', () => {
  it('has all 147 cases', () => {
    expect(cases).toHaveLength(147);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { kernel, arch } = kernelFor(c);
    const plugins = presetRegistry().resolve(genericPresetFor(arch).name).plugins();
    const text = readFileSync(join(SDF_UNIT_ROOT, c.system), 'utf8');
    const run = checkSystem(text, { file: basename(c.system), kernel, plugins, files: searchPathAccess([join(SDF_UNIT_ROOT, 'prefills')], SDF_UNIT_ROOT) });
    if (c.expect === 'ok') {
      await expect(run).resolves.toBeDefined();
    } else {
      const err = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isMicrokitError(err), `expected a MicrokitError, got ${String(err)}`).toBe(true);
      const message = (err as Error).message;
      expect(matches(message, c.message_prefix!), `message was:\n${message}\nexpected prefix:\n${c.message_prefix}`).toBe(true);
    }
  });
});

describe.skipIf(!HAS_SHARED)('sdf-unit conformance through the CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mk-unit-'));
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const cfgFile = join(tmp, `${c.name.replaceAll('/', '_')}.json`);
    writeFileSync(cfgFile, JSON.stringify(sdfUnitKernelConfig(c)));
    const run = await cli(['check', basename(c.system), '--kernel-config', cfgFile, '--search-path', join(SDF_UNIT_ROOT, 'prefills')], {
      cwd: dirname(join(SDF_UNIT_ROOT, c.system)),
    });
    if (c.expect === 'ok') {
      expect(run.code, run.stderr).toBe(0);
    } else {
      expect(run.code).toBe(1);
      expect(matches(run.stderr + run.stdout, c.message_prefix!), `stderr:\n${run.stderr}\nexpected:\n${c.message_prefix}`).toBe(true);
      expect(run.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    }
  });
});
