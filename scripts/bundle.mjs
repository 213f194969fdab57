// After tsc: bundle the CLI and the public entry points into dist/bundle/.
//
// Why: a small build spends most of its time in Node's ESM loader, resolving,
// reading and compiling ~180 modules one by one. One bundle (esbuild, code
// splitting so `import 'microkit-ts'` in a config file and the CLI share one
// copy of every module) cuts that to a handful of files. Only TypeScript and
// cosmiconfig and jiti stay outside: they load only when a config file needs them.
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Built-ins a build rarely needs load on first use: commander imports
 * child_process (which loads net and dgram) on every run but spawns only for
 * executable subcommands; perf_hooks serves only timings and the progress
 * line. Their imports resolve to a module of getters (the exports of this
 * Node) that require() the real one when first read. The other built-ins stay
 * plain imports: making them require()s measured no faster.
 */
const LAZY_BUILTINS = new Set(['child_process', 'perf_hooks', 'crypto', 'os']);
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      if (!LAZY_BUILTINS.has(name) || args.namespace === 'builtin') return undefined;
      return { path: name, namespace: 'builtin' };
    });
    b.onResolve({ filter: /^node:/, namespace: 'builtin' }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const name = args.path;
      const keys = Object.keys(createRequire(import.meta.url)(`node:${name}`));
      const getters = keys.map((k) => `${JSON.stringify(k)}: { get: () => load()[${JSON.stringify(k)}], enumerable: true }`).join(',\n');
      return {
        contents: `let m;\nconst load = () => (m ??= require('node:${name}'));\nmodule.exports = Object.defineProperties({}, {\n${getters}\n});`,
        loader: 'js',
      };
    });
  },
};

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: {
    microkit: 'dist/core/cli/bin.js',
    index: 'dist/core/index.js',
    plugins: 'dist/plugins/index.js',
    presets: 'dist/presets/index.js',
    model: 'dist/core/sdf/model.js',
    system: 'dist/core/system/index.js',
    inspect: 'dist/core/inspect/index.js',
    graph: 'dist/core/graph/index.js',
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Smaller text to parse; identifiers stay. No keepNames: its __name() call per
  // function and class cost a small build ~10 ms; where esbuild renames one to avoid a
  // clash, only stack traces show it. The one name an error text shows (a tapable hook's
  // class, PLUGIN_TAP_KIND) is checked below.
  minifyWhitespace: true,
  minifySyntax: true,
  // jiti loads its own files at run time (Babel, lazily), so it stays a package of its own.
  external: ['typescript', 'cosmiconfig', 'jiti'],
  // Bundled CommonJS dependencies (tapable, commander) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __microkitRequire } from 'node:module'; const require = __microkitRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [lazyBuiltins],
  logLevel: 'warning',
});
chmodSync(`${outdir}microkit.js`, 0o755);

// plugin-driver.ts names a hook by `constructor.name` (e.g. 'a SyncHook: use tap'): tapable's hooks must keep their names.
const hooks = Object.keys(createRequire(import.meta.url)('tapable')).filter((k) => k.endsWith('Hook') && k !== 'MultiHook'); // no pipeline hook is a MultiHook
const text = readdirSync(`${outdir}chunks`)
  .map((f) => readFileSync(`${outdir}chunks/${f}`, 'utf8'))
  .join('\n');
const renamed = hooks.filter((h) => !text.includes(`function ${h}(`));
if (renamed.length > 0) throw new Error(`bundle: tapable hooks renamed by esbuild (${renamed.join(', ')}): turn keepNames back on`);
