/** What --watch runs per rebuild: the same command line, parsed back to the same arguments. */
import { Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../core/cli/args.js';
import { addBuildOptions, addInputOptions, buildArgv, type CliBuildArgs } from '../../core/cli/options.js';

/** A value for every option the command defines (so an option added later is covered without editing this test). */
function everyOption(cmd: Command): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  cmd.options.forEach((option: Option, i) => {
    if (option.long === '--watch') return;
    const name = option.attributeName();
    if (option.isBoolean()) args[name] = true;
    else if (option.variadic) args[name] = [`a${i}`, `b${i}`];
    else args[name] = option.argChoices?.[1] ?? String(i + 1);
  });
  return args;
}

describe('buildArgv', () => {
  it.each([
    ['build', addBuildOptions],
    ['check', addInputOptions],
  ] as const)('%s: every option the command defines survives, the system after the variadic --search-path', (mode, define) => {
    const options = everyOption(define(new Command()));
    expect(Object.keys(options).length).toBeGreaterThan(mode === 'build' ? 15 : 9);
    const args = { ...options, system: 'my.system' } as CliBuildArgs;
    const argv = buildArgv(mode, args);
    expect(argv.slice(-2)).toEqual(['--', 'my.system']);
    const parsed = parseCommandLine(argv) as unknown as { name: string; args: CliBuildArgs };
    expect(parsed.name).toBe(mode);
    expect(parsed.args).toEqual(args);
  });

  it('check leaves out what only a build writes', () => {
    const argv = buildArgv('check', { system: 's', output: 'o.img', report: 'r.txt', capdlJson: 'c.json', quiet: true, board: 'b' });
    expect(argv).toEqual(['check', '--board', 'b', '--', 's']);
  });

  it('without a system (the config names it), nothing is added', () => {
    expect(buildArgv('build', { board: 'b' })).toEqual(['--board', 'b']);
  });
});
