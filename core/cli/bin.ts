#!/usr/bin/env node
/**
 * The `microkit` executable as tsc builds it (dist/core/cli/bin.js). The
 * package's `bin` is the bundle's launcher (launcher.ts), which runs the same
 * `startCli` from one code-cached file.
 *
 * Where Node has a module compile cache (22.1+) it is switched on before the
 * CLI's modules load, so the rest is imported dynamically.
 */
import module from 'node:module';

(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { startCli } = await import('./start.js');
process.exitCode = await startCli(process.argv.slice(2));
