/**
 * `microkit boards [--long] [--json]`: the presets (every upstream board and
 * the machine presets) with the facts a user picks a board by, and the
 * SDK's boards when an SDK is known (MICROKIT_SDK or the config file).
 */
import { resolve } from 'node:path';
import { boardsLong, boardsTable, summarizeBoard, type BoardSummary } from '../../boards/summary.js';
import { discoverSdk, type Sdk } from '../../sdk/discover.js';
import type { CliSubcommand } from '../command.js';
import type { Command } from 'commander';
import { addConfigFileOptions, argumentError } from '../options.js';
import { loadCliConfig, type CliEnvironment } from '../setup.js';

interface BoardsOptions {
  readonly configFile?: string;
  readonly noConfig?: boolean;
  readonly long?: boolean;
  readonly json?: boolean;
}

export const boardsCommand: CliSubcommand = {
  name: 'boards',
  register(program, select) {
    addConfigFileOptions(
      program
        .command('boards')
        .description("list the boards (presets, and the SDK's when MICROKIT_SDK or the config names one): arch, configs, image, hypervisor, IOMMU, SMP")
        .option('--long', 'every fact of each board: CPU, platform, memory, image types, how it boots')
        .option('--json', 'the same as JSON (an array of boards; addresses as hex strings), for scripts'),
    ).action((opts: BoardsOptions, cmd: Command) => {
      // `microkit boards qemu_virt_aarch64` listed every board, as if the name were not there.
      if (cmd.args.length > 0) throw argumentError(`unrecognized argument '${cmd.args[0]}'`);
      select({
        name: 'boards',
        async run(env) {
          await listBoards(env, opts);
          return 0;
        },
      });
    });
  },
};

async function listBoards(env: CliEnvironment, opts: BoardsOptions): Promise<void> {
  const loaded = await loadCliConfig(opts, env);
  for (const p of loaded?.config.presets ?? []) env.presets.add(p);
  const sdkPath = env.env.MICROKIT_SDK || (loaded?.config.sdk && loaded.config.sdk !== 'synthetic' ? resolve(loaded.dir, loaded.config.sdk) : undefined);
  const sdk: Sdk | undefined = sdkPath ? discoverSdk(resolve(env.cwd, sdkPath), Boolean(env.env.MICROKIT_SDK)) : undefined;
  // Sorted for people and scripts (the SDK lists them in the file system's order, as upstream reads them).
  const sortedConfigs = (b: { configs: readonly string[] }) => [...b.configs].sort();
  const sdkConfigs = new Map(sdk?.boards.map((b) => [b.name, sortedConfigs(b)]) ?? []);
  const boards: BoardSummary[] = env.presets.names().map((name) => summarizeBoard(env.presets.resolve(name), sdkConfigs.get(name)));
  const sdkOnly = sdk?.boards.filter((b) => !env.presets.has(b.name)) ?? [];
  if (opts.json) {
    const extra = sdkOnly.map((b) => ({ name: b.name, sdkConfigs: sortedConfigs(b) }));
    env.stdout(JSON.stringify([...boards, ...extra], null, 2));
    return;
  }
  env.stdout(opts.long ? boardsLong(boards).join('\n') : boardsTable(boards).join('\n'));
  if (sdk) {
    env.stdout(`SDK boards (${sdk.root}):`);
    for (const b of sdk.boards) env.stdout(`  ${b.name.padEnd(28)} ${sortedConfigs(b).join(', ')}${env.presets.has(b.name) ? '' : '  (no preset)'}`);
  } else if (!opts.long) {
    env.stdout('No SDK known: presets serve `check` (--long: every fact; --json: for scripts).');
  }
}
