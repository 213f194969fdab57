#!/usr/bin/env node
/**
 * The `microkit` executable of the package (dist/bundle/microkit.cjs, built by
 * scripts/bundle.mjs): runs the CLI from the one CommonJS bundle beside it
 * (`core.cjs`) with a V8 code cache (code-cache.ts), then stores the cache.
 * The public entry points (`microkit-ts`, `/plugins`, …) are views of the same
 * bundle, so a config file's imports share the CLI's modules.
 *
 * `MICROKIT_CODE_CACHE=off` runs without the cache; `=report` says on stderr,
 * after the run, what became of it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CacheCoverage, codeCacheDir, loadCachedCommonJs } from './code-cache.js';

interface CliBundle {
  startCli(argv: readonly string[]): Promise<number>;
  setImportHost(importer: (specifier: string) => Promise<unknown>): void;
}

/** Commands that run no pipeline, and those that stop after validate (code-cache.ts, CacheCoverage). */
const NO_PIPELINE = new Set(['boards', 'sdk', 'help', 'inspect', '-h', '--help', '-V', '--version']);
const CHECK_ONLY = new Set(['check', 'sdf', 'graph']);

/** How much of the tool this run used; a failed run may have stopped anywhere. */
function coverage(argv: readonly string[], code: number): CacheCoverage {
  if (code !== 0 || argv.some((a) => NO_PIPELINE.has(a))) return 1;
  return argv.some((a) => CHECK_ONLY.has(a)) ? 2 : 3;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const bundle = loadCachedCommonJs(join(dirname(fileURLToPath(import.meta.url)), 'core.cjs'), codeCacheDir(process.env));
  const cli = bundle.exports as CliBundle;
  // The bundle cannot import() ES modules itself (core/util/import-esm.ts); this file lies beside it.
  cli.setImportHost((specifier) => import(specifier));
  const code = await cli.startCli(argv);
  process.exitCode = code;
  const written = bundle.save(coverage(argv, code));
  if (process.env.MICROKIT_CODE_CACHE === 'report') process.stderr.write(`microkit: code cache ${bundle.status}${written ? ', written' : ''}\n`);
}

// No top-level await: the executable is CommonJS (scripts/bundle.mjs), which Node starts without its ES module loader.
main().catch((e: unknown) => {
  // Only an install without its bundle gets here (the CLI reports its own errors): say so, without a stack.
  process.stderr.write(`microkit: internal error: could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
