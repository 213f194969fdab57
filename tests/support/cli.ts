/** Run the CLI in-process and capture what it prints. */
import { runCli } from '../../core/cli/main.js';
import { genericPresetFor, presetRegistry } from '../../presets/index.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(argv: readonly string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    cwd: opts.cwd,
    env: opts.env ?? {},
    stdout: (l) => (stdout += `${l}\n`),
    stderr: (l) => (stderr += `${l}\n`),
    presets: presetRegistry(),
    genericPreset: (arch) => genericPresetFor(arch).name,
  });
  return { code, stdout, stderr };
}

/** First non-blank line of stderr then stdout, as the conformance script compares. */
export function firstErrorLine(run: CliRun): string {
  return (
    (run.stderr + '\n' + run.stdout)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? ''
  );
}
