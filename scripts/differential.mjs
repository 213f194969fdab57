// Differential run against upstream's tool: mutated copies of the conformance systems are built by
// upstream's `microkit` and by ours, and their exit codes, first lines and (when both succeed) stdout,
// report, image and capDL JSON are compared. Upstream's panics (exit 101) are skipped: docs/compat.md
// says what we do instead. Finds first-line differences the golden runs do not cover.
//
// Usage: npm run build && MICROKIT_REFERENCE=/path/to/upstream/microkit node scripts/differential.mjs [runs-per-system] [seed]
//        ... node scripts/differential.mjs --xml [documents] [seed]: XML only: the XML tree tests' generated documents
//        and every SDF, with characters deleted, inserted (markup, references, non-ASCII) or cut off; first lines compared.
//        ... node scripts/differential.mjs --elf: hello's program image with each of its first 512 bytes set to
//        0x00, 0x01, 0x80 and 0xff in turn, and cut at a dozen lengths; first lines compared.
// Needs ../shared (or MICROKIT_SHARED) for the example systems, their stub images and the synthetic SDK.
// Differences are listed once per kind, with the folder that holds the inputs and both tools' outputs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';

const REPO = new URL('..', import.meta.url).pathname;
const SHARED = process.env.MICROKIT_SHARED ?? join(REPO, '../shared');
const EX = join(SHARED, 'conformance/examples');
const SDK = join(SHARED, 'sdk');
const UP = process.env.MICROKIT_REFERENCE;
if (!UP || !existsSync(UP)) {
  console.error("scripts/differential.mjs: set MICROKIT_REFERENCE to upstream's microkit executable");
  process.exit(2);
}
const { runCli } = await import(join(REPO, 'dist/core/cli/main.js'));
// The tests' own seeded generator and XML documents (TypeScript, loaded through jiti).
const tests = (await import('jiti')).createJiti(import.meta.url);
const { prng } = await tests.import(join(REPO, 'tests/support/random.ts'));
const { presetRegistry, genericPresetFor } = await import(join(REPO, 'dist/presets/index.js'));

const XML_MODE = process.argv[2] === '--xml';
const ELF_MODE = process.argv[2] === '--elf';
const args = XML_MODE || ELF_MODE ? process.argv.slice(3) : process.argv.slice(2);
const N = Number(args[0] ?? 20);
let seed = Number(args[1] ?? 1);

const GARBAGE = [
  '',
  '-1',
  '0x',
  'zz',
  '0xffffffffffffffffff',
  '18446744073709551615',
  '18446744073709551616',
  '0X10',
  '1_000',
  ' 5',
  '+7',
  '0x_',
  'true',
  'false',
  '🙂',
  '&amp;',
  '0',
  '1',
  '63',
  '64',
  '0x1000',
  '0x200000',
  '254',
  '255',
  '256',
  'rw',
  'rwx',
  'x',
  'wx',
  'r',
  '',
  'fault',
  '0x7fffffffffff',
  '0xffffffff_ffffffff',
];
const ELEMENTS = [
  'protection_domain',
  'memory_region',
  'channel',
  'end',
  'map',
  'irq',
  'setvar',
  'virtual_machine',
  'vcpu',
  'domains',
  'domain',
  'program_image',
  'bogus',
];
const ATTRS = [
  'name',
  'id',
  'priority',
  'budget',
  'period',
  'passive',
  'stack_size',
  'cpu',
  'smc',
  'size',
  'page_size',
  'phys_addr',
  'mr',
  'vaddr',
  'perms',
  'cached',
  'setvar_vaddr',
  'symbol',
  'region_paddr',
  'pd',
  'pp',
  'notify',
  'irq',
  'trigger',
  'path',
  'domain',
  'setvar_id',
  'prefill_path',
];

function mutate(text, r) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const attrs = [...text.matchAll(/\s([a-z_]+)="([^"]*)"/g)];
  switch (Math.floor(r() * 10)) {
    case 0: {
      if (!attrs.length) return text;
      const a = pick(attrs);
      return text.slice(0, a.index) + text.slice(a.index + a[0].length);
    }
    case 1: {
      if (!attrs.length) return text;
      const a = pick(attrs);
      return text.slice(0, a.index + a[0].length) + ` ${pick(ATTRS)}="${pick(GARBAGE)}"` + text.slice(a.index + a[0].length);
    }
    case 2:
    case 3: {
      if (!attrs.length) return text;
      const a = pick(attrs);
      const start = a.index + a[0].indexOf('"') + 1;
      return text.slice(0, start) + pick(GARBAGE) + text.slice(start + a[2].length);
    }
    case 4: {
      const at = text.indexOf('>', Math.floor(r() * text.length));
      if (at < 0) return text;
      return `${text.slice(0, at + 1)}<${pick(ELEMENTS)} ${pick(ATTRS)}="${pick(GARBAGE)}" name="x"/>${text.slice(at + 1)}`;
    }
    case 5: {
      // copy an element elsewhere
      const els = [...text.matchAll(/<([a-z_]+)\b[^>]*\/>/g)];
      if (!els.length) return text;
      const e = pick(els);
      const at = text.indexOf('>', Math.floor(r() * text.length));
      if (at < 0) return text;
      return text.slice(0, at + 1) + e[0] + text.slice(at + 1);
    }
    case 6: {
      // remove an element
      const els = [...text.matchAll(/<([a-z_]+)\b[^>]*\/>/g)];
      if (!els.length) return text;
      const e = pick(els);
      return text.slice(0, e.index) + text.slice(e.index + e[0].length);
    }
    case 7: {
      // same value into another attribute of the same name elsewhere (collisions)
      if (attrs.length < 2) return text;
      const a = pick(attrs);
      const b = pick(attrs.filter((x) => x[1] === a[1]));
      const start = a.index + a[0].indexOf('"') + 1;
      return text.slice(0, start) + b[2] + text.slice(start + a[2].length);
    }
    case 8: {
      if (r() < 0.3) return text.slice(0, Math.floor(r() * text.length));
      const pds = [...text.matchAll(/<protection_domain[^>]*name="([^"]*)"/g)].map((m) => m[1]);
      const mrs = [...text.matchAll(/<memory_region[^>]*name="([^"]*)"/g)].map((m) => m[1]);
      const num = () => pick(['0', '1', '2', '5', '61', '62', '63', '64', '0x10', '100']);
      const vaddr = () => pick(['0x400000', '0x200000', '0x600000', '0x1000', '0x0', '0x7ffffffff000', '0x800000000000', '0x2000000', '0x400800']);
      const k = Math.floor(r() * 4);
      let el;
      if (k === 0 && pds.length)
        el = `<channel><end pd="${pick(pds)}" id="${num()}" ${r() < 0.3 ? 'pp="true"' : ''}/><end pd="${pick(pds)}" id="${num()}"/></channel>`;
      else if (k === 1 && mrs.length)
        el = `<memory_region name="${pick(mrs)}${r() < 0.5 ? '' : 'x'}" size="${pick(['0x1000', '0x200000', '0x3000', '0x0', '0x1001'])}" ${r() < 0.3 ? `phys_addr="${pick(['0x9000000', '0x40000000', '0x0', '0x1000'])}"` : ''}/>`;
      else if (k === 2 && mrs.length) {
        const at = text.indexOf('</protection_domain>');
        if (at < 0) return text;
        return (
          text.slice(0, at) +
          `<map mr="${pick(mrs)}" vaddr="${vaddr()}" perms="${pick(['r', 'rw', 'rwx', 'x'])}" ${r() < 0.3 ? 'setvar_vaddr="v"' : ''}/>` +
          text.slice(at)
        );
      } else if (k === 3) {
        const at = text.indexOf('</protection_domain>');
        if (at < 0) return text;
        return text.slice(0, at) + `<irq irq="${pick(['33', '34', '0', '1000', '4'])}" id="${num()}" ${r() < 0.3 ? 'trigger="edge"' : ''}/>` + text.slice(at);
      } else return text;
      const at = text.lastIndexOf('</system>');
      if (at < 0) return text;
      return text.slice(0, at) + el + text.slice(at);
    }
    default: {
      if (!attrs.length) return text;
      const a = pick(attrs);
      const start = a.index + a[0].indexOf('"') + 1;
      const v = a[2];
      if (/^(0x)?[0-9a-f_]+$/i.test(v)) {
        const n = BigInt(v.replaceAll('_', ''));
        const d = pick([1n, -1n, 0x1000n, -0x1000n, 0x200000n, n, -n + 1n]);
        return text.slice(0, start) + '0x' + (n + d < 0n ? 0n : n + d).toString(16) + text.slice(start + v.length);
      }
      return text;
    }
  }
}

const firstLine = (out, err) =>
  (err + '\n' + out)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '') ?? '';
if (XML_MODE || ELF_MODE) {
  await (XML_MODE ? xmlRun(N, seed) : elfRun());
  // Let what was printed reach a pipe before exiting (process.exit does not wait for it).
  await new Promise((done) => process.stdout.write('', done));
  process.exit(0);
}

/** Upstream's tool on `argv` in `dir` (the synthetic SDK), and ours in this process, each as { code, out, err }. */
function runUpstream(argv, dir) {
  const u = spawnSync(UP, argv, { cwd: dir, env: { ...process.env, MICROKIT_SDK: SDK }, encoding: 'utf8', timeout: 60000 });
  return { code: u.status, out: u.stdout ?? '', err: u.stderr ?? '' };
}

async function runOurs(argv, dir) {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--no-config'], {
    cwd: dir,
    env: { MICROKIT_SDK: SDK },
    stdout: (l) => (out += `${l}\n`),
    stderr: (l) => (err += `${l}\n`),
    presets: presetRegistry(),
    genericPreset: (a) => genericPresetFor(a).name,
  });
  return { code, out, err };
}

const runs = [];
// Every golden run (board, kernel config, system): MICROKIT_CONFIGS=debug,release narrows the configs.
const configs = process.env.MICROKIT_CONFIGS?.split(',');
for (const board of readdirSync(join(EX, 'golden')))
  for (const config of readdirSync(join(EX, 'golden', board)))
    if (configs === undefined || configs.includes(config))
      for (const ex of readdirSync(join(EX, 'golden', board, config))) runs.push(join(EX, 'golden', board, config, ex));

let total = 0,
  panics = 0,
  same = 0;
const diffs = [];
const work = mkdtempSync(join(tmpdir(), 'mk-diff-'));
for (const run of runs) {
  const args = JSON.parse(readFileSync(join(run, 'args.json'), 'utf8'));
  const text = readFileSync(join(EX, args.system), 'utf8');
  const r = prng(seed++);
  for (let i = 0; i < N; i++) {
    let t = mutate(text, r);
    if (r() < 0.3) t = mutate(t, r);
    const dir = join(work, `${total}`);
    mkdirSync(dir);
    const sys = basename(args.system);
    writeFileSync(join(dir, sys), t);
    const sp = args.search_paths.flatMap((p) => ['--search-path', join(EX, p)]);
    const argv = [sys, '--board', args.board, '--config', args.config, ...sp, '-o', 'up.img', '-r', 'up.txt', '--capdl-json', 'up.json'];
    const u = runUpstream(argv, dir);
    const { code, out, err } = await runOurs(
      [sys, '--board', args.board, '--config', args.config, ...sp, '-o', 'ours.img', '-r', 'ours.txt', '--capdl-json', 'ours.json'],
      dir,
    );
    total++;
    if (u.code === 101) {
      panics++;
      rmSync(dir, { recursive: true });
      continue;
    }
    const fu = firstLine(u.out, u.err),
      fo = firstLine(out, err);
    let why;
    if (u.code !== code) why = `exit ${u.code} vs ${code}`;
    else if (fu !== fo) why = 'first line';
    else if (code === 0) {
      if (u.out !== out) why = 'stdout';
      else
        for (const [a, b] of [
          ['up.txt', 'ours.txt'],
          ['up.img', 'ours.img'],
          ['up.json', 'ours.json'],
        ]) {
          const x = readFileSync(join(dir, a)),
            y = readFileSync(join(dir, b));
          if (a === 'up.json' ? JSON.stringify(JSON.parse(x)) !== JSON.stringify(JSON.parse(y)) : !x.equals(y)) {
            why = `${a} differs`;
            break;
          }
        }
    }
    if (why) diffs.push({ dir, run: `${args.board}/${basename(run)}`, why, up: fu, ours: fo });
    else {
      same++;
      rmSync(dir, { recursive: true });
    }
  }
}
console.log(`${total} runs: ${same} same, ${panics} upstream panics (skipped), ${diffs.length} differ`);
const seen = new Set();
for (const d of diffs) {
  const key = d.why + '|' + d.up.replace(/[0-9]+/g, 'N').slice(0, 60) + '|' + d.ours.replace(/[0-9]+/g, 'N').slice(0, 60);
  if (seen.has(key)) continue;
  seen.add(key);
  console.log(`- ${d.run} [${d.why}] ${d.dir}\n    up:   ${d.up}\n    ours: ${d.ours}`);
}

/** XML-level mutations of well-formed documents: both tools must refuse (or accept) each with the same first line. */
async function xmlRun(count, seed0) {
  const documents = await tests.import(join(REPO, 'tests/sdf/xml-documents.ts'));
  const r = prng(seed0);
  const pieces = [
    '<',
    '>',
    '&',
    '"',
    "'",
    ']]>',
    '--',
    '<!--',
    '-->',
    '<?',
    '?>',
    '<![CDATA[',
    '&#0;',
    '&#x110000;',
    '&lt',
    '\u0001',
    '\uFFFE',
    ':',
    'xmlns:a="u"',
    ' a="1"',
    '/>',
    '</x>',
    '<x>',
    '\r',
    '\t',
    '=',
    '&amp;',
    'é',
    '😀',
    ' ',
    '\n',
  ];
  const texts = [...documents.generatedDocuments(), ...[...documents.sdfFiles()].map(([, f]) => readFileSync(f, 'utf8'))];
  const dir = mkdtempSync(join(tmpdir(), 'mk-xml-'));
  let compared = 0;
  let differ = 0;
  const seen = new Set();
  for (let k = 0; k < count; k++) {
    let t = texts[Math.floor(r() * texts.length)];
    for (let o = 1 + Math.floor(r() * 3); o > 0; o--) {
      const at = Math.floor(r() * (t.length + 1));
      const op = Math.floor(r() * 3);
      if (op === 0) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 3));
      else if (op === 1) t = t.slice(0, at) + pieces[Math.floor(r() * pieces.length)] + t.slice(at);
      else t = t.slice(0, at);
    }
    writeFileSync(join(dir, 'x.system'), t);
    const argv = ['x.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '-o', 'x.img', '-r', 'x.txt'];
    const u = runUpstream(argv, dir);
    if (u.code === 101) continue;
    const { out, err } = await runOurs(argv, dir);
    compared++;
    const a = firstLine(u.out, u.err);
    const b = firstLine(out, err);
    if (a === b) continue;
    differ++;
    const key = `${a.replace(/\d+/g, 'N').slice(0, 70)}|${b.replace(/\d+/g, 'N').slice(0, 70)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const kept = join(dir, `differs-${differ}.system`);
    writeFileSync(kept, t);
    console.log(`- ${kept}\n    up:   ${a}\n    ours: ${b}`);
  }
  console.log(`${compared} documents compared, ${differ} differ`);
}

/** Corrupted program images (examples/hello's, built for qemu_virt_aarch64): both tools must name the same fault. */
async function elfRun() {
  const dir = mkdtempSync(join(tmpdir(), 'mk-elf-'));
  const good = readFileSync(join(REPO, 'examples/hello/hello.elf'));
  writeFileSync(join(dir, 'hello.system'), readFileSync(join(REPO, 'examples/hello/hello.system')));
  const variants = [];
  for (let offset = 0; offset < Math.min(good.length, 0x200); offset++) for (const value of [0x00, 0x01, 0x80, 0xff]) variants.push({ offset, value });
  for (const cut of [0, 3, 4, 16, 52, 63, 64, 100, 120, 0x100, good.length >> 1, good.length - 1]) variants.push({ cut });
  let compared = 0;
  let differ = 0;
  const seen = new Set();
  for (const v of variants) {
    const bytes = Buffer.from(good);
    if (v.cut === undefined && bytes[v.offset] === v.value) continue;
    if (v.cut === undefined) bytes[v.offset] = v.value;
    writeFileSync(join(dir, 'hello.elf'), v.cut === undefined ? bytes : bytes.subarray(0, v.cut));
    const argv = ['hello.system', '--board', 'qemu_virt_aarch64', '--config', 'debug', '-o', 'x.img', '-r', 'x.txt'];
    const u = runUpstream(argv, dir);
    if (u.code === 101 || u.code === null) continue;
    const { code, out, err } = await runOurs(argv, dir);
    compared++;
    const a = firstLine(u.out, u.err);
    const b = firstLine(out, err);
    if (a === b && u.code === code) continue;
    differ++;
    const key = `${a.replace(/0x[0-9a-f]+|\d+/g, 'N').slice(0, 80)}|${b.replace(/0x[0-9a-f]+|\d+/g, 'N').slice(0, 80)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    console.log(`- ${v.cut === undefined ? `byte ${v.offset} = ${v.value}` : `cut at ${v.cut}`}\n    up (${u.code}):   ${a}\n    ours (${code}): ${b}`);
  }
  console.log(`${compared} images compared (upstream's panics skipped), ${differ} differ`);
}
