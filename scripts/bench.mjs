// `npm run bench`: build a generated large system end to end (spec,
// placement, image, report, capDL JSON) and report time and peak memory.
// The reference point: upstream builds a 1.34 M-object system in 5.7 s and
// 860 MB. Run after `npm run build`.
//
//   node scripts/bench.mjs [--pds N] [--mib M] [--json]
//
// Each of N PDs (default 63) maps its own M MiB memory region (default 80)
// with 4 KiB pages, on a preset like qemu_virt_aarch64 with 16 GiB of RAM.
import { mkdtempSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runCli } from '../dist/core/cli/main.js';
import { stubProgramImage } from '../dist/core/sdk/stub-elfs.js';
import { genericPresetFor, presetRegistry } from '../dist/presets/index.js';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const pds = opt('pds', 63);
const mib = opt('mib', 80);
const json = args.includes('--json');

const dir = mkdtempSync(join(tmpdir(), 'microkit-bench-'));
const regions = [];
const domains = [];
for (let i = 0; i < pds; i++) {
  regions.push(`  <memory_region name="mr${i}" size="${mib * 0x100000}" page_size="0x1000"/>`);
  domains.push(
    `  <protection_domain name="pd${i}" priority="${10 + (i % 200)}">\n` +
      `    <program_image path="pd.elf"/>\n` +
      `    <map mr="mr${i}" vaddr="0x40000000" perms="rw"/>\n` +
      `  </protection_domain>`,
  );
}
writeFileSync(join(dir, 'large.system'), `<system>\n${regions.join('\n')}\n${domains.join('\n')}\n</system>\n`);
writeFileSync(join(dir, 'pd.elf'), stubProgramImage({ arch: 'aarch64' }));

// A board like qemu_virt_aarch64 with 16 GiB of RAM, so the regions fit.
const bigBoard = {
  name: 'bench_aarch64_16g',
  extends: 'qemu_virt_aarch64',
  description: 'qemu_virt_aarch64 with 16 GiB of RAM (benchmark)',
  kernel: {
    platformGen: {
      devices: [{ start: 0, end: 0x40000000 }],
      memory: [{ start: 0x40000000, end: 0x440000000 }],
    },
  },
};
writeFileSync(
  join(dir, 'microkit.config.json'),
  JSON.stringify({
    system: 'large.system',
    board: bigBoard.name,
    config: 'release',
    sdk: 'synthetic',
    outputs: { image: 'out/loader.img', report: 'out/report.txt', capdlJson: 'out/capdl.json' },
  }),
);

const presets = presetRegistry();
presets.add(bigBoard);
const lines = [];
const start = performance.now();
const code = await runCli(['--config-file', join(dir, 'microkit.config.json')], {
  cwd: dir,
  env: { MICROKIT_TIMINGS: process.env.MICROKIT_TIMINGS },
  stdout: (l) => lines.push(l),
  stderr: (l) => lines.push(l),
  presets,
  genericPreset: (arch) => genericPresetFor(arch).name,
});
const seconds = (performance.now() - start) / 1000;
const peakMiB = process.resourceUsage().maxRSS / 1024;

const objects = Number(/number of root objects = (\d+)/.exec(lines.join('\n'))?.[1] ?? 0);
const result = {
  pds,
  mibPerPd: mib,
  exitCode: code,
  objects,
  seconds: Number(seconds.toFixed(2)),
  peakRssMiB: Math.round(peakMiB),
  imageMiB: code === 0 ? Number((statSync(join(dir, 'out/loader.img')).size / 2 ** 20).toFixed(1)) : null,
  capdlJsonMiB: code === 0 ? Number((statSync(join(dir, 'out/capdl.json')).size / 2 ** 20).toFixed(1)) : null,
  upstreamReference: '1.34 M objects: 5.7 s, 860 MB',
};
if (json) console.log(JSON.stringify(result));
else {
  for (const l of lines) console.log(`  ${l}`);
  console.log(`${objects} objects (${pds} PDs × ${mib} MiB in 4 KiB pages): ${result.seconds} s, peak RSS ${result.peakRssMiB} MiB (exit ${code})`);
  console.log(`  upstream reference: ${result.upstreamReference}`);
}
rmSync(dir, { recursive: true, force: true });
process.exitCode = code;
