// After tsc: bundle the CLI and the public entry points into dist/bundle/.
//
// Why: a small build spends most of its time loading JavaScript. Node 20 has no
// compile cache for modules, so everything goes into one CommonJS file,
// `core.cjs`, which the launcher `microkit.cjs` (core/cli/launcher.ts) runs as a
// `vm.Script` with a V8 code cache: parsing and compiling what a run uses is
// then skipped (docs/performance.md). The public entry points (`index.js`,
// `plugins.js`, …) are ES modules that re-export views of that same file
// (`require` returns the instance the launcher registered), so a config file's
// `import 'microkit-ts'` shares every module with the CLI (one MicrokitError
// class). TypeScript, cosmiconfig and jiti stay outside (they load only when a
// config file needs them), and so does Graphviz (ES modules only; `microkit
// graph` imports it).
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * plugin-driver.ts names a hook by `constructor.name` (e.g. 'a SyncHook: use tap'), but esbuild renames
 * tapable's hook functions where names clash in the one CommonJS scope (SyncHook4): each hook module
 * sets its export's name back.
 */
const hookNames = {
  name: 'tapable-hook-names',
  setup(b) {
    b.onLoad({ filter: /[\\/]tapable[\\/]lib[\\/]\w+Hook\.js$/ }, (args) => {
      const name = args.path.replace(/^.*[\\/](\w+)\.js$/, '$1');
      const contents = `${readFileSync(args.path, 'utf8')}\nObject.defineProperty(module.exports, 'name', { value: ${JSON.stringify(name)} });\n`;
      return { contents, loader: 'js' };
    });
  },
};

const outdir = new URL('../dist/bundle/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });

/** Public entry point → its module; the bundle exposes each as a getter of `entries`, evaluated on first use. */
const ENTRIES = {
  index: 'dist/core/index.js',
  plugins: 'dist/plugins/index.js',
  presets: 'dist/presets/index.js',
  model: 'dist/core/sdf/model.js',
  system: 'dist/core/system/index.js',
  inspect: 'dist/core/inspect/index.js',
  graph: 'dist/core/graph/index.js',
};

const root = new URL('..', import.meta.url).pathname;
const entry = [
  "export { startCli } from './dist/core/cli/start.js';",
  "export { setImportHost } from './dist/core/util/import-esm.js';",
  `export const entries = {\n${Object.entries(ENTRIES)
    .map(([name, path]) => `  get ${name}() { return require('./${path}'); },`)
    .join('\n')}\n};`,
].join('\n');

/** What the bundle and its launcher share: CommonJS for Node 20, whitespace and syntax minified. */
const COMMONJS = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  // The modules find the tool's files from their own URL: in the bundle, the bundle's (the launcher passes __filename).
  define: { 'import.meta.url': '__microkitUrl' },
  banner: { js: "var __microkitUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

await build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'microkit-bundle-entry.js', loader: 'js' },
  outfile: `${outdir}core.cjs`,
  ...COMMONJS,
  // Smaller text to read and a smaller code cache to deserialise (identifiers minified: ~4 ms of a
  // small build's CPU). No keepNames: its __name() call per function and class cost ~10 ms; only
  // stack traces show the short names (errors print no stack unless MICROKIT_DEBUG). The one name an
  // error text shows (a tapable hook's class, PLUGIN_TAP_KIND) is set back by hookNames and checked below.
  minifyIdentifiers: true,
  // ... so MICROKIT_DEBUG's stacks are mapped back through core.cjs.map (core/cli/debug-stack.ts) to the
  // TypeScript sources (through tsc's maps of dist/). External: no comment in the code, nothing read unless
  // a stack is printed; no sources inside (the lines are the repository's).
  sourcemap: 'external',
  sourcesContent: false,
  // jiti loads its own files at run time (Babel, lazily), so it stays a package of its own.
  external: ['typescript', 'cosmiconfig', 'jiti', '@hpcc-js/wasm-graphviz'],
  charset: 'ascii',
  // V8 cannot serve import() in a vm.Script's functions that come from the code cache: the CommonJS
  // packages become require(), ES modules go through importEsm (core/util/import-esm.ts).
  supported: { 'dynamic-import': false },
  plugins: [lazyBuiltins, hookNames],
});

const core = readFileSync(`${outdir}core.cjs`);

// The public entry points: ES modules whose named exports are the bundle's, read once at load.
const { entries } = createRequire(import.meta.url)(`${outdir}core.cjs`);
for (const name of Object.keys(ENTRIES)) {
  const names = Object.keys(entries[name]).filter((k) => k !== '__esModule');
  const lines = [
    "import { createRequire } from 'node:module';",
    "const core = createRequire(import.meta.url)('./core.cjs');",
    'core.setImportHost((specifier) => import(specifier));',
    `const m = core.entries.${name};`,
    `export const { ${names.filter((k) => k !== 'default').join(', ')} } = m;`,
  ];
  if (names.includes('default')) lines.push('export default m.default;');
  writeFileSync(`${outdir}${name}.js`, `${lines.join('\n')}\n`);
}

// The executable: the launcher. CommonJS, so Node starts
// it without its ES module loader (which, importing node:fs, also loads fs/promises, readline and streams).
await build({
  entryPoints: ['dist/core/cli/launcher.js'],
  outfile: `${outdir}microkit.cjs`,
  ...COMMONJS,
});
chmodSync(`${outdir}microkit.cjs`, 0o755);
// The executable's name before it was CommonJS, for scripts that run it (an ES module importing the launcher).
writeFileSync(`${outdir}microkit.js`, "import './microkit.cjs';\n");

// plugin-driver.ts names a hook by `constructor.name` (e.g. 'a SyncHook: use tap'): tapable's hooks must keep their names.
const hooks = Object.keys(createRequire(import.meta.url)('tapable')).filter((k) => k.endsWith('Hook') && k !== 'MultiHook'); // no pipeline hook is a MultiHook
const text = core.toString('latin1');
const renamed = hooks.filter((h) => !text.includes(`function ${h}(`) && !text.includes(`{value:"${h}"}`));
if (renamed.length > 0) throw new Error(`bundle: tapable hooks renamed by esbuild and not named back (${renamed.join(', ')})`);
