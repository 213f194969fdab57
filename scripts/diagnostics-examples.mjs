// Regenerates the per-code examples of docs/diagnostics.md from real runs:
// the first failing sdf-unit case of each code (../shared/conformance/sdf-unit),
// then the most common errors outside the SDF (a missing program image, an
// unknown board, a failed allocation, file errors, plugin and config errors, a
// program image for another architecture) in a
// copy of examples/hello, through the built CLI in-process.
// Usage: npm run build && node scripts/diagnostics-examples.mjs > /tmp/examples.md
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { runCli } from '../dist/core/cli/main.js';
import { genericPresetFor, presetRegistry } from '../dist/presets/index.js';

const root = resolve(import.meta.dirname, '../../shared/conformance/sdf-unit');
const doc = JSON.parse(readFileSync(join(root, 'cases.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'diag-doc-'));
const byCode = new Map();

/** One in-process run of the CLI: its stderr, and stdout lines. */
async function runIn(cwd, argv) {
  let stderr = '';
  let stdout = '';
  await runCli(argv, {
    cwd,
    env: {},
    stdout: (l) => (stdout += `${l}\n`),
    stderr: (l) => (stderr += `${l}\n`),
    presets: presetRegistry(),
    genericPreset: (arch) => genericPresetFor(arch).name,
  });
  return { stderr, stdout };
}

for (const c of doc.cases.filter((x) => x.expect === 'error')) {
  const cfg = join(tmp, 'kernel.json');
  writeFileSync(cfg, JSON.stringify({ ...doc.configs[c.config], ...(c.config_overrides ?? {}) }));
  const argv = ['check', basename(c.system), '--kernel-config', cfg, '--search-path', join(root, 'prefills'), '--color', 'never'];
  const run = async (extra) => (await runIn(dirname(join(root, c.system)), [...argv, ...extra])).stderr;
  const json = JSON.parse(await run(['--format', 'json']));
  const code = json[0].code;
  if (byCode.has(code)) continue;
  byCode.set(code, { name: c.name, human: (await run([])).trimEnd() });
}

for (const [code, { name, human }] of [...byCode].sort(([a], [b]) => (a < b ? -1 : 1))) {
  console.log(`### ${code}\n\nsdf-unit case \`${name}\`:\n\n\`\`\`text\n${human}\n\`\`\`\n`);
}

// Errors outside the SDF, each in a fresh copy of examples/hello, with the synthetic SDK.
const hello = resolve(import.meta.dirname, '../examples/hello');
const board = ['--board', 'qemu_virt_aarch64', '--config', 'debug', '--color', 'never'];
const system = (body) => `<?xml version="1.0" encoding="UTF-8"?>\n<system>\n${body}\n</system>\n`;
const pd = '    <protection_domain name="hello">\n        <program_image path="hello.elf" />\n    </protection_domain>';
const config = (plugins = '') => `export default { sdk: 'synthetic'${plugins} };\n`;
const boom = "{ name: 'boom', apply(p) { p.hooks.validate.tap('boom', () => { throw new TypeError('cannot read the board'); }); } }";
const scenarios = [
  [
    'PROGRAM_IMAGE_MISSING',
    'a program image that is not there',
    { 'hello.system': system(pd.replace('hello.elf', 'helo.elf')) },
    ['hello.system', '-o', 'out/loader.img', '-r', 'out/report.txt', ...board],
  ],
  ['CLI_ARGUMENTS', 'an unknown board', {}, ['hello.system', '--board', 'qemu_virt_arch64', '--config', 'debug', '--color', 'never']],
  [
    'ALLOCATION_FAILED',
    'more memory than the board has',
    {
      'hello.system': system(
        `    <memory_region name="big" size="0x100000000" page_size="0x200000" />\n${pd.replace('</protection_domain>', '</protection_domain>')}`,
      ),
    },
    ['hello.system', '-o', 'out/loader.img', '-r', 'out/report.txt', ...board],
  ],
  ['SDF_UNREADABLE', 'a system description that cannot be read (a directory)', { 'dir.system/.keep': '' }, ['dir.system', ...board]],
  ['PLUGIN_FAILED', "a plugin's exception", { 'microkit.config.ts': config(`, plugins: [${boom}]`) }, ['check', 'hello.system', ...board]],
  [
    'PLUGIN_TAP_KIND',
    'a promise tap on a synchronous hook',
    { 'microkit.config.ts': config(`, plugins: [{ name: 'late', apply(p) { p.hooks.validate.tapPromise('late', async () => {}); } }]`) },
    ['check', 'hello.system', ...board],
  ],
  [
    'CONFIG_LOAD',
    'a config file that does not parse',
    { 'microkit.config.ts': "export default {\n  sdk: 'synthetic',\n  board: 'qemu_virt_aarch64'\n  config: 'debug',\n};\n" },
    ['check', 'hello.system'],
  ],
  [
    'CONFIG_INVALID',
    'a misspelt config key',
    { 'microkit.config.ts': "export default { sdk: 'synthetic', bord: 'qemu_virt_aarch64' };\n" },
    ['check', 'hello.system', '--config', 'debug'],
  ],
  [
    'PROGRAM_IMAGE_WRONG_MACHINE',
    'a program image built for another architecture (the AArch64 hello.elf on x86)',
    {},
    ['hello.system', '-o', 'out/loader.img', '-r', 'out/report.txt', '--board', 'x86_64_generic', '--config', 'debug', '--color', 'never'],
  ],
  ['OUTPUT_WRITE', 'an output path under a file', {}, ['hello.system', '-o', 'hello.elf/loader.img', '-r', 'out/report.txt', ...board]],
];
for (const [code, what, files, argv] of scenarios) {
  const dir = mkdtempSync(join(tmpdir(), 'diag-cli-'));
  for (const f of ['hello.system', 'hello.elf']) copyFileSync(join(hello, f), join(dir, f));
  if (!('microkit.config.ts' in files)) writeFileSync(join(dir, 'microkit.config.ts'), config());
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const { stderr } = await runIn(dir, argv);
  const shown = Object.entries(files).filter(([path]) => path.endsWith('.system') || path.endsWith('.ts'));
  const inputs = shown.map(([path, text]) => `\`${path}\`:\n\n\`\`\`${path.endsWith('.ts') ? 'js' : 'xml'}\n${text.trimEnd()}\n\`\`\`\n\n`).join('');
  const out = stderr.replaceAll(dir, '.').trimEnd();
  console.log(`### ${code}\n\n${what[0].toUpperCase()}${what.slice(1)}. ${inputs}\`microkit ${argv.join(' ')}\`:\n\n\`\`\`text\n${out}\n\`\`\`\n`);
}
