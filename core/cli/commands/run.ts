/**
 * `microkit run [system] [--board B] [--config C] [--dry-run] [--timeout S] [--expect TEXT]`:
 * build, then boot the image in QEMU with the board preset's command line,
 * streaming the serial output. `--dry-run` only prints the QEMU command (no
 * SDK needed). Builds always run first: they are deterministic and quick,
 * and the image then matches its sources.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { MicrokitError } from '../../errors/microkit-error.js';
import type { ResolvedPreset } from '../../preset.js';
import { launchQemu } from '../../run/launch.js';
import { formatCommand, qemuCommand, relativeTo } from '../../run/qemu-command.js';
import type { CliSubcommand } from '../command.js';
import { addBuildOptions, argumentError, type CliBuildArgs } from '../options.js';
import { resolveBuildSetup, type CliEnvironment } from '../setup.js';
import { buildInvocation } from './build.js';
import { runError } from '../errors.js';

interface RunArgs extends CliBuildArgs {
  readonly dryRun?: boolean;
  readonly timeout?: string;
  readonly expect?: string;
}

/** Why a board does not run in QEMU, and how it does boot. */
function noQemu(preset: ResolvedPreset, image: string | undefined): MicrokitError {
  const name = image === undefined ? 'loader.img' : basename(image);
  let how = 'its preset says nothing about booting';
  if (preset.uboot) how = `boot it from U-Boot: ${preset.uboot.commands.map((c) => c.replaceAll('{image}', name)).join('; ')}`;
  else if (preset.boot) how = `it boots this way: ${preset.boot}`;
  const why = preset.unknown?.['QEMU machine'];
  return runError(`board '${preset.name}' has no QEMU machine to run on${why ? ` (${why})` : ''}\n${how}`);
}

const MAX_TIMER_MS = 2 ** 31 - 1;

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || !Number.isFinite(s) || s <= 0) {
    throw argumentError(`argument --timeout: '${text}' is not a positive number of seconds`);
  }
  // Node's timers hold at most 2^31 - 1 ms: a longer one fires after 1 ms (the run "timed out" at once).
  if (s * 1000 > MAX_TIMER_MS) {
    throw argumentError(`argument --timeout: '${text}' is more than ${Math.floor(MAX_TIMER_MS / 1000)} seconds (24.8 days, the longest timer there is)`);
  }
  return s;
}

async function run(args: RunArgs, env: CliEnvironment): Promise<number> {
  const timeoutSeconds = parseTimeout(args.timeout);
  // An empty text "appears" at once: the run stopped QEMU at its first output and succeeded (`--expect "$UNSET"`).
  if (args.expect === '') throw argumentError("argument --expect: the text to wait for is empty (it would match QEMU's first output)");
  const setup = await resolveBuildSetup(args.dryRun ? 'check' : 'build', args, env);
  const { preset } = setup;
  const image = setup.options.outputs.image;
  if (!preset.qemu) throw noQemu(preset, image);
  if (image === undefined) throw runError('there is no boot image to run: the config file turns the image output off (outputs.image: false)');
  // QEMU runs in the working directory, so paths below it stay short in the printed command.
  const cmd = qemuCommand(preset.qemu, { image: relativeTo(env.cwd, image), smp: setup.options.config.startsWith('smp-') });
  if (args.dryRun) {
    env.stdout(formatCommand(cmd));
    return 0;
  }
  if (setup.sdk === undefined) {
    throw runError(`a bootable image needs a Microkit SDK: set MICROKIT_SDK (or 'sdk' in microkit.config.ts), or use --dry-run to print the QEMU command`);
  }
  if (setup.sdk.synthetic) {
    throw runError(
      `the SDK at '${setup.sdk.root}' is synthetic: its kernel, monitor and loader are stubs, so the image cannot boot\n` +
        'Use a real Microkit SDK (MICROKIT_SDK), or --dry-run to print the QEMU command',
    );
  }
  await buildInvocation('build', args).run(env);
  env.stderr(`microkit: running ${formatCommand(cmd)}`);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    return await launchQemu(cmd, {
      cwd: env.cwd,
      env: env.env,
      timeoutSeconds,
      expect: args.expect,
      qemuPackage: preset.qemu.package,
      interactive: args.expect === undefined && Boolean(process.stdin.isTTY),
      stdout: env.stdout,
      stderr: env.stderr,
      signal: abort.signal,
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

export const runCommand: CliSubcommand = {
  name: 'run',
  register(program, select) {
    addBuildOptions(
      program
        .command('run')
        .description("build, then boot the image in QEMU with the board's command line and stream its serial output")
        .argument('[system]', 'the System Description File')
        .option('--dry-run', 'print the QEMU command and exit (no build, no SDK needed)')
        .option('--timeout <seconds>', 'stop QEMU and fail after this many seconds')
        .option('--expect <text>', 'stop QEMU and succeed as soon as this text appears on the serial output')
        .allowExcessArguments(true),
    ).action((system: string | undefined, opts: RunArgs, cmd: Command) => {
      if (cmd.args.length > 1) throw argumentError(`unrecognized argument '${cmd.args[1]}'`, true);
      select({ name: 'run', run: (env) => run({ ...opts, system }, env) });
    });
  },
};
