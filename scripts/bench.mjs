// `npm run bench`: build generated large systems end to end with the
// `microkit` CLI (the bundle, as users run it: Node start-up included) and
// print, per board and size, objects, time per stage, CPU time, peak RSS and
// output sizes, and how each doubling of the system scales.
//
//   node scripts/bench.mjs [--boards x86_64_generic,qemu_virt_aarch64] [--sizes 1,2,4]
//                          [--pds 8] [--mib 160] [--variants json,nojson] [--hello 10]
//                          [--repeat 1] [--json]
//
// Size ×s has s·pds PDs (at most 63), each mapping its own `mib` MiB region in
// 4 KiB pages, an 8 MiB region without a page size (2 MiB-optimisable), a
// 64 KiB prefilled region on every fourth PD, a channel to the next PD and, on
// the first eight PDs, an IRQ. Both boards build against a synthetic SDK the
// bench writes (stub ELFs, the presets' kernel facts); qemu_virt_aarch64 gets
// 16 GiB of RAM so the regions fit, and runs boot emulation and allocation
// simulation; x86_64_generic has no memory map at build time.
//
// MICROKIT_REFERENCE=/path/to/upstream/microkit also runs upstream's tool on
// the same inputs (same SDK, same command line) in the same run, right after
// ours, prints the ratios ours/upstream (wall, CPU, peak RSS) and checks that
// every output file is byte-identical (naming the first differing byte).
// --repeat N runs each tool N times per row and keeps the median wall and CPU
// time and peak RSS (on a shared machine wall time is noisy: compare CPU too).
//
// Both tools are measured the same way: with GNU time (/usr/bin/time, which
// reads the child's rusage from wait4: exact CPU time and peak RSS) when it is
// installed, else by polling /proc while the process runs (may miss the last
// 20 ms). Our per-stage times come from MICROKIT_TIMINGS. The machine's load
// average is printed with every table. Needs `npm run build` first; Linux only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stubProgramImage } from '../dist/core/sdk/stub-elfs.js';
import { synthesizeSdk } from '../dist/core/sdk/synthetic.js';
import { presetRegistry } from '../dist/presets/index.js';

const REPO = new URL('..', import.meta.url).pathname;
const OURS = join(REPO, 'dist/bundle/microkit.cjs');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const boards = opt('boards', 'x86_64_generic,qemu_virt_aarch64').split(',');
const sizes = opt('sizes', '1,2,4').split(',').map(Number);
const basePds = Number(opt('pds', '8'));
const mib = Number(opt('mib', '160'));
const variants = opt('variants', 'json,nojson').split(',');
const helloRuns = Number(opt('hello', '10'));
const repeat = Math.max(1, Number(opt('repeat', '1')));
const asJson = args.includes('--json');
const reference = process.env.MICROKIT_REFERENCE || undefined;
if (!existsSync(OURS)) {
  console.error(`bench: ${OURS} is missing: run npm run build first`);
  process.exit(1);
}
if (reference !== undefined && !existsSync(reference)) {
  console.error(`bench: MICROKIT_REFERENCE '${reference}' does not exist`);
  process.exit(1);
}

/** The qemu_virt_aarch64 preset with 16 GiB of RAM, so hundreds of MiB per PD fit. */
const BIG_AARCH64 = {
  name: 'qemu_virt_aarch64_16g',
  extends: 'qemu_virt_aarch64',
  description: 'qemu_virt_aarch64 with 16 GiB of RAM (benchmark)',
  kernel: { platformGen: { devices: [{ start: 0, end: 0x40000000 }], memory: [{ start: 0x40000000, end: 0x440000000 }] } },
};
const BOARDS = {
  x86_64_generic: { board: 'x86_64_generic', arch: 'x86_64' },
  qemu_virt_aarch64: { board: BIG_AARCH64.name, arch: 'aarch64' },
};

function systemXml(arch, pds) {
  const mrs = [];
  const doms = [];
  const channels = [];
  for (let i = 0; i < pds; i++) {
    mrs.push(`  <memory_region name="big${i}" size="${mib * 0x100000}" page_size="0x1000"/>`);
    mrs.push(`  <memory_region name="opt${i}" size="0x800000"/>`);
    if (i % 4 === 0) mrs.push(`  <memory_region name="fill${i}" prefill_path="fill.bin"/>`);
    const irq = i >= 8 ? '' : arch === 'x86_64' ? `    <irq ioapic="0" pin="${i}" vector="${i}" id="10"/>\n` : `    <irq irq="${40 + i}" id="10"/>\n`;
    doms.push(
      `  <protection_domain name="pd${i}" priority="${100 + (i % 100)}">\n` +
        `    <program_image path="pd.elf"/>\n` +
        `    <map mr="big${i}" vaddr="0x40000000" perms="rw"/>\n` +
        `    <map mr="opt${i}" vaddr="0x20000000" perms="r"/>\n` +
        (i % 4 === 0 ? `    <map mr="fill${i}" vaddr="0x30000000" perms="r"/>\n` : '') +
        irq +
        `  </protection_domain>`,
    );
    if (pds > 1 && (i + 1 < pds || pds > 2)) {
      channels.push(`  <channel><end pd="pd${i}" id="${0}"/><end pd="pd${(i + 1) % pds}" id="1"/></channel>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<system>\n${[...mrs, ...doms, ...channels].join('\n')}\n</system>\n`;
}

/** GNU time, if installed: it reports the child's CPU time and peak RSS from wait4's rusage. */
const GNU_TIME = (() => {
  const r = spawnSync('/usr/bin/time', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /GNU/.test(`${r.stdout}${r.stderr}`) ? '/usr/bin/time' : undefined;
})();
let statsSeq = 0;

/**
 * Run a command; wall time from here. CPU time and peak RSS: from GNU time's
 * rusage report when it is installed (`exact`), else from /proc while it runs
 * (the last reading before it exits).
 */
function measure(cmd, argv, options) {
  return new Promise((resolveRun) => {
    const stats = GNU_TIME ? join(tmpdir(), `microkit-bench-time-${process.pid}-${statsSeq++}`) : undefined;
    const start = performance.now();
    const child = stats
      ? spawn(GNU_TIME, ['-f', '%U %S %M', '-o', stats, cmd, ...argv], { ...options, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(cmd, argv, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    let hwmKiB = 0;
    let cpuTicks = 0;
    const poll = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        hwmKiB = Math.max(hwmKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        cpuTicks = Number(stat[11]) + Number(stat[12]);
      } catch {
        // Exited between two readings.
      }
    };
    const timer = stats ? undefined : setInterval(poll, 20);
    child.on('close', (code) => {
      const seconds = (performance.now() - start) / 1000;
      clearInterval(timer);
      if (stats) {
        // GNU time writes "Command exited with non-zero status N" first on failure: the figures are on the last line.
        const last = readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        rmSync(stats, { force: true });
        resolveRun({ code, seconds, cpuSeconds: last[0] + last[1], rssMiB: last[2] / 1024, exact: true, stdout, stderr });
      } else {
        resolveRun({ code, seconds, rssMiB: hwmKiB / 1024, cpuSeconds: cpuTicks / 100, exact: false, stdout, stderr });
      }
    });
  });
}

/** Our `MICROKIT_TIMINGS` lines: per pipeline hook, wall and CPU ms; the process's own CPU time and peak RSS. */
function ourTimings(stderr) {
  const stages = {};
  let cpuSeconds;
  let rssMiB;
  for (const line of stderr.split('\n')) {
    let m = /^MICROKIT\|TIME:\s+(\d+) ms\s+cpu\s+(\d+) ms\s+(.*)$/.exec(line);
    if (m) {
      if (m[3].startsWith('total')) cpuSeconds = Number(m[2]) / 1000;
      else {
        const hook = m[3].split(':')[0];
        stages[hook] = (stages[hook] ?? 0) + Number(m[1]) / 1000;
      }
      continue;
    }
    m = /^MICROKIT\|TIME: peak RSS (\d+) MiB/.exec(line);
    if (m) rssMiB = Number(m[1]);
  }
  return { stages, cpuSeconds, rssMiB };
}

const fmt = (n, d = 2) => (n === undefined || n === null || Number.isNaN(n) ? '-' : n.toFixed(d));
const mibOf = (path) => (existsSync(path) ? statSync(path).size / 2 ** 20 : undefined);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * Every file either tool wrote into its output directory (x86: the image plus
 * upstream's copies of sel4.elf and sel4_32.elf), compared byte for byte.
 * Returns [] when identical, else one line per difference.
 */
function outputDifferences(oursDir, refDir) {
  const names = [...new Set([...readdirSync(oursDir), ...readdirSync(refDir)])].sort();
  const diffs = [];
  for (const name of names) {
    const a = join(oursDir, name);
    const b = join(refDir, name);
    if (!existsSync(a) || !existsSync(b)) {
      diffs.push(`${name}: only written by ${existsSync(a) ? 'ours' : 'upstream'}`);
      continue;
    }
    const x = readFileSync(a);
    const y = readFileSync(b);
    if (x.equals(y)) continue;
    let at = 0;
    const n = Math.min(x.length, y.length);
    while (at < n && x[at] === y[at]) at++;
    const around = (buf) => buf.subarray(Math.max(0, at - 8), at + 8).toString('hex');
    diffs.push(
      `${name}: ${x.length} bytes (ours) vs ${y.length} (upstream), first difference at offset 0x${at.toString(16)}: ours ${around(x)} upstream ${around(y)}`,
    );
  }
  return diffs;
}

async function buildOnce(tool, dir, sdk, board, variant, tag) {
  const out = join(dir, `out-${tag}`);
  // Upstream does not create the output directory (it fails with "No such file or directory").
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const argv = ['large.system', '--board', board, '--config', 'release', '--search-path', dir, '-o', join(out, 'image'), '-r', join(out, 'report.txt')];
  if (variant === 'json') argv.push('--capdl-json', join(out, 'capdl.json'));
  const env = { ...process.env, MICROKIT_SDK: sdk, MICROKIT_TIMINGS: tool === 'ours' ? '1' : '' };
  const run = tool === 'ours' ? await measure(process.execPath, [OURS, ...argv], { cwd: dir, env }) : await measure(reference, argv, { cwd: dir, env });
  if (run.code !== 0) {
    console.error(`bench: ${tool} failed (exit ${run.code}) on ${board} ${tag}:\n${run.stdout}${run.stderr}`);
    process.exit(1);
  }
  const timings = tool === 'ours' ? ourTimings(run.stderr) : { stages: {} };
  // Same measurement for both tools where GNU time gives exact figures; else our own report beats polling.
  return {
    tool,
    seconds: run.seconds,
    cpuSeconds: run.exact ? run.cpuSeconds : (timings.cpuSeconds ?? run.cpuSeconds),
    rssMiB: run.exact ? run.rssMiB : (timings.rssMiB ?? run.rssMiB),
    stages: timings.stages,
    objects: Number(/number of root objects = (\d+)/.exec(run.stdout)?.[1] ?? 0),
    imageMiB: mibOf(join(out, 'image')),
    reportMiB: mibOf(join(out, 'report.txt')),
    jsonMiB: mibOf(join(out, 'capdl.json')),
    out,
  };
}

/** `repeat` builds, ours and upstream's alternating; the median of each figure, the outputs of the last. */
async function buildRepeated(dir, sdk, board, variant, tag) {
  const runs = { ours: [], reference: [] };
  for (let i = 0; i < repeat; i++) {
    runs.ours.push(await buildOnce('ours', dir, sdk, board, variant, tag));
    if (reference) runs.reference.push(await buildOnce('reference', dir, sdk, board, variant, `${tag}-ref`));
  }
  const combine = (rs) => {
    if (rs.length === 0) return undefined;
    const last = rs[rs.length - 1];
    const stages = Object.fromEntries(Object.keys(last.stages).map((k) => [k, median(rs.map((r) => r.stages[k] ?? 0))]));
    const pick = (k) => median(rs.map((r) => r[k]));
    const each = rs.map(({ seconds, cpuSeconds, rssMiB }) => ({ seconds, cpuSeconds, rssMiB }));
    return { ...last, seconds: pick('seconds'), cpuSeconds: pick('cpuSeconds'), rssMiB: pick('rssMiB'), stages, runs: each };
  };
  return { ours: combine(runs.ours), ref: combine(runs.reference) };
}

async function helloStartup(dir) {
  const hello = join(REPO, 'examples/hello');
  const sdk = join(dir, 'sdk-hello');
  synthesizeSdk({ registry: presetRegistry(), board: 'qemu_virt_aarch64', configs: ['debug'], outDir: sdk });
  const argv = [
    join(hello, 'hello.system'),
    '--board',
    'qemu_virt_aarch64',
    '--config',
    'debug',
    '--search-path',
    hello,
    '-o',
    join(dir, 'hello.img'),
    '-r',
    join(dir, 'hello.txt'),
  ];
  const env = { ...process.env, MICROKIT_SDK: sdk };
  const times = [];
  const refTimes = [];
  for (let i = 0; i < helloRuns; i++) {
    const r = await measure(process.execPath, [OURS, ...argv], { cwd: dir, env });
    if (r.code !== 0) throw new Error(`hello failed: ${r.stderr}`);
    times.push(r.seconds * 1000);
    if (reference) {
      const u = await measure(reference, argv, { cwd: dir, env });
      if (u.code !== 0) throw new Error(`hello failed with the reference: ${u.stdout}${u.stderr}`);
      refTimes.push(u.seconds * 1000);
    }
  }
  const bare = [];
  for (let i = 0; i < helloRuns; i++) bare.push((await measure(process.execPath, ['-e', '0'], {})).seconds * 1000);
  return { helloMs: median(times), nodeMs: median(bare), upstreamMs: reference ? median(refTimes) : undefined };
}

const dir = mkdtempSync(join(tmpdir(), 'microkit-bench-'));
const results = [];
try {
  const registry = presetRegistry();
  registry.add(BIG_AARCH64);
  // 64 KiB of varied bytes for the prefilled regions (upstream writes fills as JSON arrays of numbers: keep them modest).
  const fill = new Uint8Array(0x10000);
  for (let i = 0; i < fill.length; i++) fill[i] = (i * 2654435761) >>> 24;
  writeFileSync(join(dir, 'fill.bin'), fill);

  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const measuredBy = GNU_TIME ? 'GNU time (wait4 rusage)' : '/proc polling';
  if (!asJson) {
    console.log(`machine: ${machine}; load average ${load()}; CPU and RSS by ${measuredBy}; ${repeat} run(s) per row, medians`);
    if (reference) console.log(`reference: ${reference}`);
  }
  if (helloRuns > 0) {
    const h = await helloStartup(dir);
    results.push({ kind: 'hello', ...h });
    const up = h.upstreamMs === undefined ? '' : `; upstream: ${h.upstreamMs.toFixed(0)} ms`;
    if (!asJson) console.log(`hello end to end: median ${h.helloMs.toFixed(0)} ms of ${helloRuns} (node -e 0: ${h.nodeMs.toFixed(0)} ms)${up}`);
  }

  for (const name of boards) {
    const spec = BOARDS[name];
    if (!spec) throw new Error(`bench: unknown board '${name}' (known: ${Object.keys(BOARDS).join(', ')})`);
    const sdk = join(dir, `sdk-${name}`);
    synthesizeSdk({ registry, board: spec.board, configs: ['release'], outDir: sdk });
    writeFileSync(join(dir, 'pd.elf'), stubProgramImage({ arch: spec.arch }));
    for (const variant of variants) {
      const rows = [];
      for (const scale of sizes) {
        const pds = Math.min(63, basePds * scale);
        writeFileSync(join(dir, 'large.system'), systemXml(spec.arch, pds));
        const tag = `${name}-${variant}-x${scale}`;
        const { ours, ref } = await buildRepeated(dir, sdk, spec.board, variant, tag);
        if (ref) {
          ref.differences = outputDifferences(ours.out, ref.out);
          ref.identical = ref.differences.length === 0;
          rmSync(ref.out, { recursive: true, force: true });
        }
        rmSync(ours.out, { recursive: true, force: true });
        const row = { kind: 'large', board: name, variant, scale, pds, load: load(), ours, reference: ref };
        rows.push(row);
        results.push(row);
      }
      if (!asJson) printTable(name, variant, rows);
    }
  }
  if (asJson) console.log(JSON.stringify({ machine, measuredBy, repeat, results }, null, 2));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function printTable(board, variant, rows) {
  console.log(`\n${board}, ${variant === 'json' ? 'with' : 'without'} --capdl-json (load average ${load()})`);
  const head = ['size', 'PDs', 'objects', 'wall s', 'cpu s', 'RSS MiB', 'parse', 'allocate', 'emit', 'image MiB', 'report MiB', 'json MiB', '×time', '×RSS'];
  if (reference) head.push('upstream s', 'upstream cpu s', 'upstream MiB', 'time ratio', 'cpu ratio', 'RSS ratio', 'identical');
  console.log(head.join('\t'));
  let prev;
  for (const r of rows) {
    const o = r.ours;
    const cells = [
      `×${r.scale}`,
      r.pds,
      o.objects,
      fmt(o.seconds),
      fmt(o.cpuSeconds),
      fmt(o.rssMiB, 0),
      fmt(o.stages.parse),
      fmt(o.stages.allocate),
      fmt(o.stages.emit),
      fmt(o.imageMiB, 1),
      fmt(o.reportMiB, 1),
      fmt(o.jsonMiB, 1),
      prev ? fmt(o.cpuSeconds / prev.cpuSeconds) : '',
      prev ? fmt(o.rssMiB / prev.rssMiB) : '',
    ];
    if (r.reference) {
      const u = r.reference;
      cells.push(
        fmt(u.seconds),
        fmt(u.cpuSeconds),
        fmt(u.rssMiB, 0),
        fmt(o.seconds / u.seconds),
        fmt(o.cpuSeconds / u.cpuSeconds),
        fmt(o.rssMiB / u.rssMiB),
        u.identical ? 'yes' : 'NO',
      );
    }
    console.log(cells.join('\t'));
    if (repeat > 1) {
      const spread = (t) => `${t.runs.map((x) => `${fmt(x.seconds)}s/${fmt(x.cpuSeconds)}s/${fmt(x.rssMiB, 0)}MiB`).join(' ')}`;
      console.log(`  runs (wall/cpu/RSS): ours ${spread(o)}${r.reference ? `; upstream ${spread(r.reference)}` : ''}`);
    }
    for (const d of r.reference?.differences ?? []) console.log(`  differs: ${d}`);
    prev = o;
  }
}
