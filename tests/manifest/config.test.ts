/** `outputs.manifest` in microkit.config, `--manifest` over it, and the manifest of a system with IO ports, IRQs and an IOMMU. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SystemManifest } from '../../plugins/manifest/index.js';
import { EXAMPLES, goldenRuns } from '../conformance/golden.js';
import { cli } from '../support/cli.js';
import { HAS_SHARED, SHARED_SDK } from '../support/paths.js';

const env = { MICROKIT_SDK: SHARED_SDK };

describe.skipIf(!HAS_SHARED)('manifest output', () => {
  it('is written where outputs.manifest says, and --manifest overrides it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mk-manifest-cfg-'));
    const hello = join(EXAMPLES, 'systems/hello');
    writeFileSync(
      join(dir, 'microkit.config.json'),
      JSON.stringify({
        system: join(hello, 'hello.system'),
        board: 'qemu_virt_riscv64',
        config: 'debug',
        searchPaths: [join(EXAMPLES, 'golden/qemu_virt_riscv64/debug/hello/imgs'), hello],
        outputs: { image: 'out/loader.img', report: 'out/report.txt', manifest: 'out/manifest.json' },
      }),
    );
    const r = await cli([], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, 'out/manifest.json'), 'utf8')) as SystemManifest;
    expect(m.format).toBe('microkit-system-manifest/1');
    expect(m.arch).toBe('riscv64');
    expect(m.protection_domains.map((p) => p.name)).toEqual(['hello']);
    const again = await cli(['--manifest', 'other.json'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(existsSync(join(dir, 'other.json'))).toBe(true);
  });

  it('describes IO ports, IRQs, children and IOMMU address spaces', async () => {
    const seen = { ioports: 0, irqs: 0, ioSpaces: 0, channels: 0, children: 0 };
    for (const run of goldenRuns(['qemu_virt_aarch64', 'x86_64_generic']).filter((r) => r.exitCode === 0 && r.config === 'debug')) {
      const out = mkdtempSync(join(tmpdir(), 'mk-manifest-'));
      const argv = [run.system, '--board', run.board, '--config', run.config, '--search-path', ...run.searchPaths];
      const r = await cli([...argv, '-o', join(out, 'l.img'), '-r', join(out, 'r.txt'), '--manifest', join(out, 'm.json')], { cwd: EXAMPLES, env });
      expect(r.code, r.stderr).toBe(0);
      const m = JSON.parse(readFileSync(join(out, 'm.json'), 'utf8')) as SystemManifest;
      for (const pd of m.protection_domains) {
        seen.ioports += pd.ids.ioports.length;
        seen.irqs += pd.ids.irqs.length;
        seen.children += pd.ids.children.length;
      }
      seen.channels += m.channels.length;
      for (const s of m.io_spaces) {
        seen.ioSpaces++;
        expect(s.pci).not.toBeNull();
        expect(s.maps.length).toBeGreaterThan(0);
        for (const map of s.maps) expect(m.memory_regions.map((x) => x.name)).toContain(map.mr);
      }
    }
    expect(seen.ioports).toBeGreaterThan(0);
    expect(seen.irqs).toBeGreaterThan(0);
    expect(seen.ioSpaces).toBeGreaterThan(0);
    expect(seen.channels).toBeGreaterThan(0);
    expect(seen.children).toBeGreaterThan(0);
  });
});
