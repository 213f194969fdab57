/**
 * "Use it in your own project", as a user would: `npm pack` the repository, install the tarball
 * into a new project outside it (offline, from the npm cache `npm ci` filled), write a
 * microkit.config.ts that imports microkit-ts and one .ts and one .mts plugin, and build the
 * hello example with `npx microkit` against a synthetic SDK. Then copy an example folder out
 * (as its README invites) and build it there. Needs `npm run build` first (`npm test` does it).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/paths.js';
import { writeFiles } from '../support/project.js';

const WORK = mkdtempSync(join(tmpdir(), 'mk-install-'));
const APP = join(WORK, 'app');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MICROKIT_') && !k.startsWith('VITEST')));

function run(cmd: string, args: string[], cwd: string): { stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { stdout, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${err.status}:\n${err.stdout}\n${err.stderr}`);
  }
}

/** stdout and stderr of a command that must succeed (stderr captured through a shell redirect). */
function microkit(cwd: string): { stdout: string; stderr: string } {
  const out = run('sh', ['-c', 'npx --offline microkit 2>stderr.txt'], cwd);
  return { stdout: out.stdout, stderr: readFileSync(join(cwd, 'stderr.txt'), 'utf8') };
}

const PLUGIN = (name: string) => `
import { writeFileSync } from 'node:fs';
import { definePlugin } from 'microkit-ts';
export const ${name} = definePlugin((file: string) => ({
  name: '${name}',
  apply(pipeline) {
    pipeline.hooks.done.tap('${name}', (result) => writeFileSync(file, result.system.protectionDomains.map((pd) => pd.name).join(',')));
  },
}));
`;

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist', 'core', 'cli', 'bin.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  // prepare (the build) already ran; the tarball packs dist/ as it is.
  run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', WORK], REPO);
  const tarball = readdirSync(WORK).find((f) => f.endsWith('.tgz'))!;
  mkdirSync(APP);
  const spec = `file:../${tarball}`;
  writeFiles(APP, {
    'package.json': JSON.stringify({ name: 'app', private: true, type: 'module', devDependencies: { 'microkit-ts': spec } }),
    'package-lock.json': JSON.stringify(appLockfile(spec, join(WORK, tarball))),
  });
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], APP);
}, 300_000);

/**
 * What \`npm install --save-dev microkit-ts-X.tgz\` would record, made from the repository's own
 * lockfile: offline, npm can fetch the cached tarballs a lockfile names but cannot resolve versions
 * (the cache holds no registry metadata).
 */
function appLockfile(spec: string, tarball: string): unknown {
  type Entry = { dev?: boolean; [k: string]: unknown };
  const repoLock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, Entry> };
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
  const packages: Record<string, Entry> = {
    '': { name: 'app', devDependencies: { 'microkit-ts': spec } },
    'node_modules/microkit-ts': {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      dev: true,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  // The runtime dependencies of microkit-ts: the repository's entries not marked dev.
  // With the tarball URLs written out, npm needs no registry metadata to find them in its cache.
  for (const [path, entry] of Object.entries(repoLock.packages)) {
    if (path === '' || entry.dev) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const resolved = entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${String(entry.version)}.tgz`;
    packages[path] = { ...entry, resolved, dev: true };
  }
  return { name: 'app', lockfileVersion: 3, requires: true, packages };
}

describe('microkit-ts installed into a project of its own', () => {
  it('builds hello with npx microkit, a config importing microkit-ts, a .ts and a .mts plugin', () => {
    cpSync(join(REPO, 'examples', 'hello'), join(APP, 'hello'), { recursive: true });
    writeFiles(APP, {
      'plugins/guard.ts': PLUGIN('guard'),
      'plugins/stamp.mts': PLUGIN('stamp'),
      'microkit.config.ts': `
import { defineConfig } from 'microkit-ts';
import { guard } from './plugins/guard.js';
import { stamp } from './plugins/stamp.mjs';

export default defineConfig({
  system: 'hello/hello.system',
  board: 'qemu_virt_aarch64',
  config: 'debug',
  sdk: 'synthetic',
  searchPaths: ['hello'],
  outputs: { image: 'build/loader.img', report: 'build/report.txt', capdlJson: 'build/capdl.json' },
  plugins: [guard('ran-guard.txt'), stamp('ran-stamp.txt')],
});
`,
    });
    const out = microkit(APP);
    expect(out.stdout).toMatch(/^MICROKIT\|LOADER: image file size = /m);
    expect(out.stderr).toBe('microkit: using config microkit.config.ts\n');
    expect(readFileSync(join(APP, 'ran-guard.txt'), 'utf8')).toBe('hello');
    expect(readFileSync(join(APP, 'ran-stamp.txt'), 'utf8')).toBe('hello');
    for (const f of ['loader.img', 'report.txt', 'capdl.json']) expect(existsSync(join(APP, 'build', f))).toBe(true);
  });

  it('builds examples/x86-iommu-dma copied out of the repository', () => {
    const dir = join(APP, 'x86-iommu-dma');
    cpSync(join(REPO, 'examples', 'x86-iommu-dma'), dir, { recursive: true });
    rmSync(join(dir, 'build'), { recursive: true, force: true });
    const out = microkit(dir);
    expect(out.stderr).toBe('microkit: using config microkit.config.ts\n');
    expect(out.stdout).toMatch(/^MICROKIT\|CAPDL SPEC: /m);
    expect(JSON.parse(readFileSync(join(dir, 'build', 'capdl.json'), 'utf8'))).toHaveProperty('objects');
  });

  it('tsc --noEmit type-checks the config (typescript comes with microkit-ts) and finds a type error', () => {
    const tsc = ['--offline', 'tsc', '--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    writeFiles(APP, {
      'plugins/typed.ts':
        "import { definePlugin, MicrokitError } from 'microkit-ts';\n" +
        "export const typed = definePlugin(() => ({ name: 'typed', apply(p) { p.hooks.validate.tap('typed', (sys) => { if (sys.protectionDomains.length > 9) throw new MicrokitError('MANY', 'Error: too many'); }); } }));\n",
      'good.config.ts':
        "import { defineConfig } from 'microkit-ts';\nimport { typed } from './plugins/typed.js';\nexport default defineConfig({ board: 'x', plugins: [typed()] });\n",
      'bad.config.ts': "import { defineConfig } from 'microkit-ts';\nexport default defineConfig({ board: 3 });\n",
    });
    run('npx', [...tsc, 'good.config.ts'], APP);
    expect(() => run('npx', [...tsc, 'bad.config.ts'], APP)).toThrow(/bad\.config\.ts\(2,31\): error TS2322/);
  });

  it('a microkit run from elsewhere (as a global install) gives a config without a local install its own microkit-ts', () => {
    const bare = join(WORK, 'bare');
    cpSync(join(REPO, 'examples', 'hello'), bare, { recursive: true });
    writeFiles(bare, {
      'microkit.config.ts': `
import { defineConfig, definePlugin } from 'microkit-ts';
import { writeFileSync } from 'node:fs';
const mark = definePlugin(() => ({ name: 'mark', apply(p) { p.hooks.done.tap('mark', () => writeFileSync('marked.txt', 'yes')); } }));
export default defineConfig({ system: 'hello.system', board: 'qemu_virt_aarch64', config: 'debug', plugins: [mark()] });
`,
    });
    run('node', [join(APP, 'node_modules', 'microkit-ts', 'dist', 'core', 'cli', 'bin.js'), 'check'], bare);
    expect(readFileSync(join(bare, 'marked.txt'), 'utf8')).toBe('yes');
  });

  it('microkit --version runs from the install', () => {
    const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run('npx', ['--offline', 'microkit', '--version'], APP).stdout).toBe(`microkit-ts ${version} (drop-in for microkit 2.3.0-dev)\n`);
  });
});
