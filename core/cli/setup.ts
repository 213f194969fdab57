/**
 * From command line + config file + environment to a ready pipeline: which
 * SDK (or preset), which board and config, which kernel facts, which
 * plugins, which files. Upstream's argument errors are raised here, in its
 * order (board, image type, missing arguments, config).
 */
import { checkOutputName } from './output-file.js';
import { fileAccessError } from '../util/errors.js';
import { wrapList } from '../util/wrap-list.js';
import { existsSync, statSync } from 'node:fs';
import { fileError, isErrno, readInputFile } from '../util/fs-error.js';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { BuildOptions, BuildOutputs, BuildSettings, ImageType, SdkConfigDir } from '../build-types.js';
import { displayPath, resolveConfig, type LoadedConfig } from '../config/load.js';
import type { MicrokitError } from '../errors/microkit-error.js';
import type { KernelConfig } from '../kernel/config.js';
import { applyKernelConfigJson } from '../kernel/kernel-config-file.js';
import type { MicrokitPlugin } from '../plugin.js';
import type { ProgressOptions } from '../progress.js';
import { presetKernelConfig, presetKernelFiles, type PresetRegistry, type ResolvedPreset } from '../preset.js';
import type { SdfFileAccess } from '../sdf/context.js';
import { readSdkKernelFiles, requireSdkBuildFiles, sdkElfPaths } from '../sdk/config-dir.js';
import { crossCheckKernelFiles } from '../sdk/cross-check.js';
import { discoverSdk, sdkBoard, type Sdk } from '../sdk/discover.js';
import { kernelConfigFromSdkFiles, type SdkKernelFiles } from '../sdk/kernel-files.js';
import { synthesizeSdk } from '../sdk/synthetic.js';
import type { XmlElement } from '../sdf/xml.js';
import { isSystemBuilder } from '../system/builder.js';
import { parsePlainJson as parseJsonExact } from '../util/json-plain.js';
import { didYouMean } from '../util/suggest.js';
import { argumentError, type CliBuildArgs } from './options.js';
import { kernelConfigMissing, kernelConfigNotJson } from '../kernel/errors.js';
import { cliArgumentsErrorWithLines } from './errors.js';
import { checkOutputConflicts, outputNamed, type NamedPath } from './output-conflicts.js';
import { rustPathJoin } from '../util/rust-io-error.js';

export interface CliEnvironment {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /**
   * Notes for stderr once the command has finished (after its error, if
   * any), so upstream's first error line stays the first line; stderr at once
   * when absent.
   */
  readonly stderrAfter?: (line: string) => void;
  /** Whether stderr is a terminal (colour for `--color auto`). */
  readonly stderrIsTTY?: boolean;
  readonly presets: PresetRegistry;
  /** The preset whose plugins and facts serve an architecture without a preset of its own. */
  readonly genericPreset: (arch: KernelConfig['arch']) => string;
  /** Ends long-running commands (`--watch`) in place of Ctrl-C, for embedding and tests. */
  readonly signal?: AbortSignal;
  /** Where a long build draws its progress line (stderr when it is a terminal); absent: no progress line. */
  readonly progress?: ProgressOptions;
}

export interface BuildSetup {
  readonly options: BuildOptions;
  readonly kernel: KernelConfig;
  readonly plugins: readonly MicrokitPlugin[];
  readonly sdk?: SdkConfigDir;
  readonly files: SdfFileAccess;
  /** Default image type of the board. */
  readonly defaultImageType: ImageType;
  readonly preset: ResolvedPreset;
  /** The config's `system:` made in code: its `<system>` tree, parsed instead of a file. */
  readonly systemRoot?: XmlElement;
  /** The config file used, if any. */
  readonly configFile?: string;
}

const IMAGE_TYPES: readonly ImageType[] = ['binary', 'elf', 'uimage'];
export const SYNTHETIC_SDK_DIR = '.microkit-cache/synthetic-sdk';

/** Upstream's search: first `searchPath/<path>` that exists; absolute paths pass through. */
export function searchPathAccess(searchPaths: readonly string[], cwd: string, outputs: readonly NamedPath[] = []): SdfFileAccess {
  const found = (full: string): string => {
    // A program image or prefill file the build would overwrite with one of its outputs.
    const output = outputs.length > 0 ? outputNamed(outputs, full) : undefined;
    if (output !== undefined) throw fileAccessError('OUTPUT_WRITE', 'write', output.given, 'it is also an input of this build', undefined);
    return full;
  };
  return {
    resolve(path: string) {
      if (isAbsolute(path)) return existsSync(path) ? found(path) : undefined;
      for (const sp of searchPaths) {
        const full = resolve(cwd, sp, path);
        if (existsSync(full)) return found(full);
      }
      return undefined;
    },
    shown(path: string) {
      if (isAbsolute(path)) return existsSync(path) ? path : undefined;
      const sp = searchPaths.find((dir) => existsSync(resolve(cwd, dir, path)));
      return sp === undefined ? undefined : rustPathJoin(sp, path);
    },
    read(path: string) {
      return readInputFile(path);
    },
    searched(path: string) {
      return isAbsolute(path) ? [path] : searchPaths.map((sp) => resolve(cwd, sp));
    },
  };
}

/** The config file the command uses (`--config-file`, `--no-config`, or a search), announced on stderr. */
export async function loadCliConfig(args: { configFile?: string; noConfig?: boolean }, env: CliEnvironment): Promise<LoadedConfig | undefined> {
  const loaded = await resolveConfig({ cwd: env.cwd, configFile: args.configFile, noConfig: args.noConfig });
  if (loaded) (env.stderrAfter ?? env.stderr)(`microkit: using config ${displayPath(loaded.filepath, env.cwd)}`);
  return loaded;
}

interface SdkChoice {
  readonly sdk?: Sdk;
  /** `sdk: 'synthetic'`: generate on demand for the chosen board. */
  readonly synthetic?: string;
}

function chooseSdk(env: CliEnvironment, loaded: LoadedConfig | undefined): SdkChoice {
  const fromEnv = env.env.MICROKIT_SDK;
  if (fromEnv !== undefined && fromEnv !== '') return { sdk: discoverSdk(resolve(env.cwd, fromEnv), true) };
  const fromConfig = loaded?.config.sdk;
  if (fromConfig === 'synthetic') return { synthetic: join(loaded!.dir, SYNTHETIC_SDK_DIR) };
  if (fromConfig !== undefined) return { sdk: discoverSdk(resolve(loaded!.dir, fromConfig), false) };
  return {};
}

/** A path from the config file, shown relative to the working directory. */
function fromConfigPath(loaded: LoadedConfig, path: string, cwd: string): string {
  const abs = resolve(loaded.dir, path);
  const rel = relative(cwd, abs);
  return rel === '' || rel.startsWith('..') ? abs : rel;
}

function configOutputs(loaded: LoadedConfig | undefined, cwd: string): BuildOutputs {
  const o = loaded?.config.outputs;
  const pick = (v: string | false | undefined, dflt: string | undefined) =>
    v === false ? undefined : v === undefined ? dflt : fromConfigPath(loaded!, v, cwd);
  return {
    image: pick(o?.image, 'loader.img'),
    report: pick(o?.report, 'report.txt'),
    capdlJson: pick(o?.capdlJson, undefined),
    viperDir: pick(o?.viper, undefined),
    manifest: pick(o?.manifest, undefined),
  };
}

export async function resolveBuildSetup(mode: 'build' | 'check', args: CliBuildArgs, env: CliEnvironment): Promise<BuildSetup> {
  const loaded = await loadCliConfig(args, env);
  for (const p of loaded?.config.presets ?? []) env.presets.add(p);
  const choice = chooseSdk(env, loaded);
  const cfg = loaded?.config;

  // 1. Board (upstream checks it while parsing, before anything else).
  const board = args.board ?? cfg?.board;
  const sdkBoards = choice.sdk ? choice.sdk.boards.map((b) => b.name) : undefined;
  // With an SDK, a preset that extends one of its boards builds from that board's config directory.
  const sdkBoardName = board === undefined || !sdkBoards ? board : [board, ...env.presets.ancestry(board)].find((b) => sdkBoards.includes(b));
  if (board !== undefined) {
    const known = sdkBoards ? sdkBoardName !== undefined : env.presets.has(board);
    if (!known) throw unknownBoard(board, sdkBoards ?? env.presets.names());
  }

  // 2. Image type.
  const imageTypeText = args.imageType ?? cfg?.imageType;
  if (imageTypeText !== undefined && !IMAGE_TYPES.includes(imageTypeText as ImageType)) {
    throw argumentError(`argument --image-type: unknown parameter '${imageTypeText}'`);
  }

  // 3. Required arguments. A kernel config file stands in for board and config when checking.
  const config = args.config ?? cfg?.config;
  const systemArg = args.system;
  const systemFromConfig = systemArg === undefined && cfg?.system !== undefined;
  // An upstream-style command line (it names the system) builds that system as upstream would: the config's
  // system, search paths and outputs belong to the config's own system and do not apply.
  const systemConfig = systemArg === undefined ? loaded : undefined;
  const kernelConfigOnly = mode === 'check' && args.kernelConfig !== undefined && board === undefined;
  const missing: string[] = [];
  if (board === undefined && !kernelConfigOnly) missing.push('--board');
  if (config === undefined && !kernelConfigOnly) missing.push('--config');
  if (systemArg === undefined && !systemFromConfig) missing.push('system');
  if (missing.length > 0) throw argumentError(`the following arguments are required: ${missing.join(', ')}`, true);

  // 4. Config choice for the board.
  let sdkDir: SdkConfigDir | undefined;
  if (board !== undefined) {
    const configs = choice.sdk ? sdkBoard(choice.sdk, sdkBoardName!)!.configs : Object.keys(env.presets.resolve(board).configs).sort();
    if (!configs.includes(config!)) {
      throw argumentError(`argument --config: invalid choice '${config}' (choose from: ${configs.join(', ')})`);
    }
    if (choice.sdk) {
      sdkDir = {
        root: choice.sdk.root,
        board: sdkBoardName!,
        config: config!,
        dir: join(choice.sdk.root, 'board', sdkBoardName!, config!),
        synthetic: isSyntheticSdk(choice.sdk.root),
      };
    } else if (choice.synthetic !== undefined && mode === 'build') {
      synthesizeIfNeeded(env, choice.synthetic, board);
      sdkDir = { root: choice.synthetic, board, config: config!, dir: join(choice.synthetic, 'board', board, config!), synthetic: true };
    }
  }

  const configSystem = systemArg === undefined ? cfg?.system : undefined;
  const systemRoot = isSystemBuilder(configSystem) ? configSystem.toSdfElement() : undefined;
  const systemFile = systemArg ?? (systemRoot !== undefined ? systemRoot.location.file : fromConfigPath(loaded!, configSystem as string, env.cwd));
  const systemPath = resolve(env.cwd, systemFile);

  // Kernel facts: the SDK's, else the preset's; then --kernel-config over them.
  let kernel: KernelConfig;
  let preset: ResolvedPreset;
  if (sdkDir) {
    if (mode === 'build') requireSdkBuildFiles(sdkDir, sdkElfPaths(sdkDir, args.overrideKernel ?? cfg?.overrideKernel));
    const sdkFiles = readSdkKernelFiles(sdkDir);
    kernel = kernelConfigFromSdkFiles(sdkFiles.files, sdkDir.config, sdkFiles.origin);
    preset = env.presets.has(board!) ? env.presets.resolve(board!) : env.presets.resolve(env.genericPreset(kernel.arch));
    if (env.presets.has(board!) && !sdkDir.synthetic) warnDisagreements(env, preset, sdkDir, sdkFiles.files);
  } else if (board !== undefined) {
    preset = env.presets.resolve(board);
    kernel = presetKernel(preset, config!);
  } else {
    const doc = readKernelConfigDoc(args.kernelConfig!, env.cwd);
    const arch = (doc as { arch?: unknown }).arch;
    if (typeof arch !== 'string' || !['aarch64', 'riscv64', 'x86_64'].includes(arch)) {
      throw argumentError(`kernel config '${args.kernelConfig}' needs an 'arch' (aarch64, riscv64 or x86_64) when no --board is given`);
    }
    preset = env.presets.resolve(env.genericPreset(arch as KernelConfig['arch']));
    kernel = presetKernel(preset, 'debug');
  }
  if (args.kernelConfig !== undefined) {
    kernel = applyKernelConfigJson(readKernelConfigDoc(args.kernelConfig, env.cwd), kernel, args.kernelConfig);
    if (kernel.arch !== preset.arch && board === undefined) preset = env.presets.resolve(env.genericPreset(kernel.arch));
  }

  const searchPaths = [...(args.searchPath ?? (systemConfig?.config.searchPaths ?? []).map((p) => fromConfigPath(systemConfig!, p, env.cwd))), env.cwd];
  const cliOutputs = { image: args.output, report: args.report, capdlJson: args.capdlJson, viperDir: args.viperOutput, manifest: args.manifest };
  const fileOutputs = configOutputs(systemConfig, env.cwd);
  for (const [key, p] of Object.entries(cliOutputs)) if (p !== undefined) checkOutputName(p, key === 'viperDir' ? 'directory' : 'file');
  // Outputs are written relative to the working directory the tool was given.
  const at = (p: string | undefined) => (p === undefined ? undefined : resolve(env.cwd, p));
  const outputs: BuildOutputs = {
    image: at(cliOutputs.image ?? fileOutputs.image),
    report: at(cliOutputs.report ?? fileOutputs.report),
    capdlJson: at(cliOutputs.capdlJson ?? fileOutputs.capdlJson),
    viperDir: at(cliOutputs.viperDir ?? fileOutputs.viperDir),
    manifest: at(cliOutputs.manifest ?? fileOutputs.manifest),
  };
  const overrideKernel = args.overrideKernel ?? (cfg?.overrideKernel !== undefined ? resolve(loaded!.dir, cfg.overrideKernel) : undefined);
  const fileOutputList: NamedPath[] = [];
  if (mode === 'build') {
    const named = (given: string | undefined, path: string | undefined, role: string) =>
      given !== undefined && path !== undefined ? [{ given, path, role }] : [];
    fileOutputList.push(
      ...named(cliOutputs.image ?? fileOutputs.image, outputs.image, 'the boot image (-o)'),
      ...named(cliOutputs.report ?? fileOutputs.report, outputs.report, 'the report (-r)'),
      ...named(cliOutputs.capdlJson ?? fileOutputs.capdlJson, outputs.capdlJson, 'the capDL spec (--capdl-json)'),
      ...named(cliOutputs.manifest ?? fileOutputs.manifest, outputs.manifest, 'the manifest (--manifest)'),
    );
    checkOutputConflicts(
      [...fileOutputList, ...named(cliOutputs.viperDir ?? fileOutputs.viperDir, outputs.viperDir, 'the Viper output directory')],
      [
        ...(systemRoot === undefined ? named(systemFile, systemPath, 'the system description file') : []),
        ...named(loaded?.filepath, loaded?.filepath, 'the config file'),
        ...named(args.kernelConfig, args.kernelConfig && resolve(env.cwd, args.kernelConfig), 'the kernel config (--kernel-config)'),
        ...named(overrideKernel, overrideKernel && resolve(env.cwd, overrideKernel), 'the kernel ELF (--override-kernel)'),
      ],
    );
  }

  return {
    options: {
      mode,
      systemFile,
      systemPath,
      board,
      config: config ?? 'debug',
      searchPaths,
      outputs,
      imageType: (imageTypeText as ImageType | undefined) ?? preset.imageType,
      overrideKernel,
      timings: Boolean(env.env.MICROKIT_TIMINGS),
      settings: { ...(preset.options as BuildSettings), ...(cfg?.iommu ? { iommu: { ...(preset.options as BuildSettings).iommu, ...cfg.iommu } } : {}) },
    },
    kernel,
    plugins: [...preset.plugins(), ...(cfg?.plugins ?? [])],
    sdk: sdkDir,
    files: searchPathAccess(searchPaths, env.cwd, fileOutputList),
    defaultImageType: preset.imageType,
    preset,
    systemRoot,
    configFile: loaded?.filepath,
  };
}

/** Upstream's first line, then the boards there are and the closest one. */
function unknownBoard(board: string, known: readonly string[]): MicrokitError {
  const error = argumentError(`argument --board: unknown parameter '${board}'`);
  const hint = didYouMean(board, known);
  const lines = [error.message, ...(hint ? [`  ${hint}`] : []), ...wrapList('  known boards: ', [...known].sort())];
  return cliArgumentsErrorWithLines(error.message, lines.slice(1));
}

/** Warnings already given, per CLI run: a command that resolves its setup twice (`run`) warns once. */
const warned = new WeakMap<CliEnvironment, Set<string>>();

/** One warning (stderr) per fact where the SDK and the board's preset disagree; the SDK's facts are used. */
function warnDisagreements(env: CliEnvironment, preset: ResolvedPreset, dir: SdkConfigDir, sdk: SdkKernelFiles): void {
  const mine = presetKernelFiles(preset, dir.config);
  if (mine === undefined) return;
  const seen = warned.get(env) ?? new Set<string>();
  warned.set(env, seen);
  for (const d of crossCheckKernelFiles(mine, sdk)) {
    const line =
      `microkit: warning: board '${preset.name}' config '${dir.config}': the SDK's ${d.file} has ${d.field} = ${d.sdk}, ` +
      `the preset ${d.preset}; using the SDK's`;
    if (seen.has(line)) continue;
    seen.add(line);
    env.stderr(line);
  }
}

function presetKernel(preset: ResolvedPreset, config: string): KernelConfig {
  if (!presetKernelFiles(preset, config))
    throw argumentError(`argument --config: invalid choice '${config}' (choose from: ${Object.keys(preset.configs).join(', ')})`);
  return presetKernelConfig(preset, config);
}

function readKernelConfigDoc(file: string, cwd: string): unknown {
  const path = resolve(cwd, file);
  let text: string;
  // An empty name is no file; resolved, it would be the working directory ('is a directory').
  if (file === '') throw kernelConfigMissing(file);
  try {
    text = readInputFile(path, 'utf8');
  } catch (e) {
    if (isErrno(e) && e.code !== 'ENOENT') throw fileError('KERNEL_CONFIG_UNREADABLE', 'read kernel config', file, e);
    throw kernelConfigMissing(file);
  }
  try {
    return parseJsonExact(text);
  } catch (e) {
    throw kernelConfigNotJson(file, (e as Error).message);
  }
}

export function isSyntheticSdk(root: string): boolean {
  return existsSync(join(root, 'SYNTHETIC'));
}

/** Generate the board's synthetic SDK unless an up-to-date one is there. */
function synthesizeIfNeeded(env: CliEnvironment, root: string, board: string): void {
  const marker = join(root, 'board', board);
  if (existsSync(marker) && statSync(marker).isDirectory()) return;
  synthesizeSdk({ registry: env.presets, board, outDir: root });
}
