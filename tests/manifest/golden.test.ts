/**
 * The system manifest of every golden run that builds: valid against
 * docs/manifest.schema.json (ajv, strict), and its numbers agree with the
 * golden report.txt: object counts by kind, frame memory, each PD thread's
 * entry, stack top and IPC buffer, and each memory region's physical address
 * where the report has one; boot placement agrees with the golden image's dump.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, goldenRuns } from '../conformance/golden.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, REPO, SHARED_SDK } from '../support/paths.js';
import type { SystemManifest } from '../../plugins/manifest/index.js';

const schema = JSON.parse(readFileSync(join(REPO, 'docs/manifest.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** report.txt's type column to the spec's object type. */
const REPORT_KIND: Record<string, string> = {
  CNode: 'CNode',
  Endpoint: 'Endpoint',
  Notification: 'Notification',
  'Page(4 KiB)': 'Frame',
  'Page(2 MiB)': 'Frame',
  PageTable: 'PageTable',
  Reply: 'Reply',
  SchedContext: 'SchedContext',
  TCB: 'Tcb',
  VCPU: 'VCpu',
  AsidPool: 'AsidPool',
  'x86 IOPageTable': 'IOPageTable',
};

interface ReportFacts {
  counts: Map<string, number>;
  frameBytes: bigint;
  paddrs: Map<string, bigint>;
  tcbs: Map<string, { ip: string; sp: string; ipc: string }>;
}

function readReport(text: string): ReportFacts {
  const counts = new Map<string, number>();
  const paddrs = new Map<string, bigint>();
  const tcbs = new Map<string, { ip: string; sp: string; ipc: string }>();
  let frameBytes = 0n;
  const objects = text.slice(text.indexOf('# Kernel Objects Details'));
  for (const m of objects.matchAll(/^\t\d+ - ([^:]+): '([^']*)'(?: @ (0x[0-9a-f]+))?$/gm)) {
    const kind = REPORT_KIND[m[1]];
    expect(kind, `report type ${m[1]}`).toBeDefined();
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (m[1] === 'Page(4 KiB)') frameBytes += 0x1000n;
    if (m[1] === 'Page(2 MiB)') frameBytes += 0x200000n;
    if (m[3] !== undefined) paddrs.set(m[2], BigInt(m[3]));
  }
  for (const m of text.matchAll(/^\t- TCB: '([^']+)'\n\t\t\* IP: (0x[0-9a-f]+)\n\t\t\* SP: (0x[0-9a-f]+)\n\t\t\* IPC Buffer: (0x[0-9a-f]+)$/gm)) {
    tcbs.set(m[1], { ip: m[2], sp: m[3], ipc: m[4] });
  }
  return { counts, frameBytes, paddrs, tcbs };
}

interface ImageDump {
  loader: { image: { size: string }; regions: { role: string; load_addr?: string }[] } | null;
  initialiser: { entry: string; phys_base: string | null };
}

const runs = goldenRuns().filter((r) => r.exitCode === 0);
let regionPaddrsCompared = 0;

describe.skipIf(!HAS_SHARED)('system manifest of the golden runs', () => {
  it('covers every run that builds', () => {
    expect(runs).toHaveLength(190);
  });

  const boards = [...new Set(runs.map((r) => r.board))];
  for (const board of boards) {
    it(`validates and agrees with report.txt: ${board}`, async () => {
      for (const run of runs.filter((r) => r.board === board)) {
        const out = mkdtempSync(join(tmpdir(), 'mk-manifest-'));
        const manifestPath = join(out, 'manifest.json');
        const argv = [run.system, '--board', run.board, '--config', run.config, '--search-path', ...run.searchPaths];
        const r = await cli([...argv, '-o', join(out, 'loader.img'), '-r', join(out, 'report.txt'), '--manifest', manifestPath], {
          cwd: EXAMPLES,
          env: { MICROKIT_SDK: SHARED_SDK },
        });
        expect(r.code, `${run.label}: ${r.stderr}`).toBe(0);
        const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as SystemManifest;
        expect(validate(m) ? [] : validate.errors, run.label).toEqual([]);

        const report = readReport(readFileSync(join(run.dir, 'report.txt'), 'utf8'));
        const withMemory = Object.entries(m.objects.by_kind)
          .filter(([, k]) => BigInt(k.memory) > 0n)
          .map(([kind, k]) => [kind, k.count]);
        expect(Object.fromEntries(withMemory), run.label).toEqual(Object.fromEntries(report.counts));
        expect(BigInt(m.objects.frame_memory), run.label).toBe(report.frameBytes);
        for (const pd of m.protection_domains) {
          const tcb = report.tcbs.get(`tcb_${pd.name}`);
          expect(tcb, `${run.label}: tcb_${pd.name} in report`).toBeDefined();
          expect({ pd: pd.name, ip: pd.entry, sp: pd.stack.top, ipc: pd.ipc_buffer }).toEqual({ pd: pd.name, ip: tcb!.ip, sp: tcb!.sp, ipc: tcb!.ipc });
        }
        // Boot placement agrees with the golden image's own dump.
        const dump = JSON.parse(readFileSync(join(run.dir, 'image-dump.json'), 'utf8')) as ImageDump;
        if (dump.loader === null) {
          expect(m.boot.loader).toBeNull();
          expect(m.boot.initialiser?.phys_base).toBeNull();
        } else {
          expect(m.boot.loader?.image_size, run.label).toBe(dump.loader.image.size);
          expect(m.boot.initialiser?.phys_base, run.label).toBe(dump.initialiser.phys_base);
          expect(
            m.boot.kernel?.segments.map((k) => k.paddr),
            run.label,
          ).toEqual(dump.loader.regions.filter((g) => g.role === 'kernel').map((g) => g.load_addr));
        }
        expect(m.boot.initialiser?.entry).toBe(dump.initialiser.entry);
        for (const mr of m.memory_regions) {
          const inReport = report.paddrs.get(`frame_mr_${mr.name}_000000000`);
          if (inReport === undefined) continue; // x86: the report has no physical addresses
          regionPaddrsCompared++;
          expect({ mr: mr.name, paddr: mr.paddr }, run.label).toEqual({ mr: mr.name, paddr: `0x${inReport.toString(16)}` });
        }
      }
    });
  }

  it('compared region addresses on ARM and RISC-V', () => {
    expect(regionPaddrsCompared).toBeGreaterThan(20);
  });
});
