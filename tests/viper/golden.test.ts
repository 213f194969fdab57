/**
 * Every successful golden example run with `--viper-output`: one file per PD
 * of the SDF, and cap predicates equal to what upstream's viper.rs derives
 * from upstream's own spec (the run's `capdl.json`), computed here from that
 * JSON independently of our spec.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, goldenRuns } from '../conformance/golden.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';

const runs = goldenRuns().filter((r) => r.exitCode === 0);
const env = { MICROKIT_SDK: SHARED_SDK };

/** Upstream's predicate per JSON cap variant (viper.rs `get_cap_view`). */
const GROUP: Readonly<Record<string, string>> = {
  Endpoint: 'pansel4_has_endpoint_cap',
  Notification: 'pansel4_has_notification_cap',
  Reply: 'pansel4_has_reply_cap',
  PageTable: 'pansel4_has_page_table_cap',
  ArmIrqHandler: 'pansel4_has_irq_handler_cap',
  IrqHandler: 'pansel4_has_irq_handler_cap',
  IrqIOApicHandler: 'pansel4_has_irq_handler_cap',
  IrqMsiHandler: 'pansel4_has_irq_handler_cap',
  RiscvIrqHandler: 'pansel4_has_irq_handler_cap',
  Tcb: 'pansel4_has_tcb_cap',
  VCpu: 'pansel4_has_vcpu_cap',
  IOPorts: 'pansel4_has_ioport_cap',
  ArmSmc: 'pansel4_has_arm_smc_cap',
};
const PREDICATES = ['pansel4_has_cap', ...new Set(Object.values(GROUP))];

interface JsonSpec {
  objects: { name: string; object: Record<string, { slots?: { slot: number; cap: Record<string, unknown> }[] }> }[];
}

/** `define P(x) (...)` for each cap predicate, from upstream's spec. */
function expectedCapLines(spec: JsonSpec, pd: string): string[] {
  const obj = spec.objects.find((o) => o.name === `cnode_${pd}`);
  const slots = obj?.object.CNode?.slots ?? [];
  const sets = new Map<string, Set<number>>(PREDICATES.map((p) => [p, new Set()]));
  for (const { slot, cap } of slots) {
    sets.get('pansel4_has_cap')!.add(slot);
    const group = GROUP[Object.keys(cap)[0]];
    if (group) sets.get(group)!.add(slot);
  }
  return PREDICATES.map((p) => {
    const items = [...sets.get(p)!].sort((a, b) => a - b);
    return `define ${p}(x) (${items.length === 0 ? 'false' : `x in Set(${items.join(',')})`})`;
  });
}

describe.skipIf(!HAS_SHARED)('--viper-output on every successful golden run', () => {
  it('has runs', () => {
    expect(runs.length).toBeGreaterThan(150);
  });

  it.each(runs.map((r) => [r.label, r] as const))('%s', async (_label, run) => {
    const out = mkdtempSync(join(tmpdir(), 'mk-viper-golden-'));
    const viper = join(out, 'viper');
    const argv = [run.system, '--board', run.board, '--config', run.config, '--search-path', ...run.searchPaths];
    const result = await cli([...argv, '-o', join(out, 'loader.img'), '-r', join(out, 'report.txt'), '--viper-output', viper], { cwd: EXAMPLES, env });
    expect(result.code, result.stderr).toBe(0);

    // Every PD (nested ones too) of the SDF, and nothing else.
    const sdf = readFileSync(join(EXAMPLES, run.system), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const pds = [...sdf.matchAll(/<protection_domain\b[^>]*?\bname="([^"]+)"/g)].map((m) => m[1]);
    expect(pds.length).toBeGreaterThan(0);
    expect(readdirSync(viper).sort()).toEqual(pds.map((p) => `${p}.vpr`).sort());

    const spec = JSON.parse(readFileSync(join(run.dir, 'capdl.json'), 'utf8')) as JsonSpec;
    for (const pd of pds) {
      const text = readFileSync(join(viper, `${pd}.vpr`), 'utf8');
      const lines = text.split('\n');
      expect(lines[0]).toBe(`// exported invariants for PD ${pd} in ${run.system}`);
      const capLines = lines.filter((l) => /^define pansel4_has_\w+\(x\) /.test(l));
      expect(capLines, pd).toEqual(expectedCapLines(spec, pd));
    }
  });
});
