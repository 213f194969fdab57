/** `microkit boards`: the presets, and the SDK's boards when an SDK is known. */
import { resolve } from 'node:path';
import { discoverSdk } from '../../sdk/discover.js';
import type { CliSubcommand } from '../command.js';
import { addConfigFileOptions } from '../options.js';
import { loadCliConfig, type CliEnvironment } from '../setup.js';

export const boardsCommand: CliSubcommand = {
  name: 'boards',
  register(program, select) {
    addConfigFileOptions(
      program.command('boards').description("list the boards (presets, and the SDK's when MICROKIT_SDK or the config names one) with their configs"),
    ).action((opts: { configFile?: string; noConfig?: boolean }) => {
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

async function listBoards(env: CliEnvironment, configOptions: { configFile?: string; noConfig?: boolean }): Promise<void> {
  const loaded = await loadCliConfig(configOptions, env);
  for (const p of loaded?.config.presets ?? []) env.presets.add(p);
  env.stdout("Presets (usable without an SDK; `sdk: 'synthetic'` builds stub-ELF images):");
  for (const name of env.presets.names()) {
    const p = env.presets.resolve(name);
    env.stdout(`  ${name.padEnd(28)} ${p.arch.padEnd(8)} ${Object.keys(p.configs).join(', ')}${p.description ? `  — ${p.description}` : ''}`);
    if (p.boot) env.stdout(`  ${''.padEnd(28)} boot: ${p.boot}`);
  }
  const sdkPath = env.env.MICROKIT_SDK || (loaded?.config.sdk && loaded.config.sdk !== 'synthetic' ? resolve(loaded.dir, loaded.config.sdk) : undefined);
  if (sdkPath) {
    const sdk = discoverSdk(resolve(env.cwd, sdkPath), Boolean(env.env.MICROKIT_SDK));
    env.stdout(`SDK boards (${sdk.root}):`);
    for (const b of sdk.boards) env.stdout(`  ${b.name.padEnd(28)} ${b.configs.join(', ')}`);
  }
}
