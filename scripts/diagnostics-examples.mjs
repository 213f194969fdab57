// Regenerates the per-code examples of docs/diagnostics.md from real runs:
// the first failing sdf-unit case of each code (../shared/conformance/sdf-unit),
// through the built CLI in-process. Usage: npm run build && node scripts/diagnostics-examples.mjs > /tmp/examples.md
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { runCli } from '../dist/core/cli/main.js';
import { genericPresetFor, presetRegistry } from '../dist/presets/index.js';

const root = resolve(import.meta.dirname, '../../shared/conformance/sdf-unit');
const doc = JSON.parse(readFileSync(join(root, 'cases.json'), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'diag-doc-'));
const byCode = new Map();

for (const c of doc.cases.filter((x) => x.expect === 'error')) {
  const cfg = join(tmp, 'kernel.json');
  writeFileSync(cfg, JSON.stringify({ ...doc.configs[c.config], ...(c.config_overrides ?? {}) }));
  const argv = ['check', basename(c.system), '--kernel-config', cfg, '--search-path', join(root, 'prefills'), '--color', 'never'];
  const run = async (extra) => {
    let err = '';
    await runCli([...argv, ...extra], {
      cwd: dirname(join(root, c.system)),
      env: {},
      stdout: () => {},
      stderr: (l) => (err += `${l}\n`),
      presets: presetRegistry(),
      genericPreset: (arch) => genericPresetFor(arch).name,
    });
    return err;
  };
  const json = JSON.parse(await run(['--format', 'json']));
  const code = json[0].code;
  if (byCode.has(code)) continue;
  byCode.set(code, { name: c.name, human: (await run([])).trimEnd() });
}

for (const [code, { name, human }] of [...byCode].sort(([a], [b]) => (a < b ? -1 : 1))) {
  console.log(`### ${code}\n\nsdf-unit case \`${name}\`:\n\n\`\`\`text\n${human}\n\`\`\`\n`);
}
