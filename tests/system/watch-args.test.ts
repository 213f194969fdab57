/** What --watch runs per rebuild: the same command line, parsed back to the same arguments. */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../core/cli/args.js';
import { buildArgv, type CliBuildArgs } from '../../core/cli/options.js';

describe('buildArgv', () => {
  const args: CliBuildArgs = {
    system: 'my.system',
    output: 'o.img',
    report: 'r.txt',
    board: 'qemu_virt_aarch64',
    config: 'debug',
    searchPath: ['a', 'b'],
    imageType: 'elf',
    capdlJson: 'c.json',
    viperOutput: 'v',
    overrideKernel: 'k.elf',
    kernelConfig: 'kc.json',
    configFile: 'cfg.ts',
  };

  it.each(['build', 'check'] as const)('%s: every option survives, the system after the variadic --search-path', (mode) => {
    const argv = buildArgv(mode, args);
    expect(argv.slice(-2)).toEqual(['--', 'my.system']);
    const parsed = parseCommandLine(argv) as unknown as { name: string; args: CliBuildArgs };
    expect(parsed.name).toBe(mode);
    const { watch, ...rest } = parsed.args;
    expect(watch).toBeUndefined();
    // check takes no output options: they are left out of its command line.
    const outputs = ['output', 'report', 'imageType', 'capdlJson', 'viperOutput', 'overrideKernel'];
    expect(rest).toEqual(mode === 'build' ? args : Object.fromEntries(Object.entries(args).filter(([k]) => !outputs.includes(k))));
  });

  it('without a system (the config names it), nothing is added', () => {
    expect(buildArgv('build', { board: 'b' })).toEqual(['--board', 'b']);
  });
});
