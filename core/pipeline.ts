/**
 * The build pipeline: configure → parse → validate → allocate → emit → done,
 * each a tapable hook declared once, typed and frozen on the Pipeline.
 *
 * | hook      | kind                    | receives                     | plugins do                                   |
 * |-----------|-------------------------|------------------------------|----------------------------------------------|
 * | configure | AsyncSeriesHook         | BuildContext                 | adjust options, check the kernel facts       |
 * | parse     | AsyncSeriesBailHook     | SdfSource, BuildContext      | return the SystemDescription (first wins)    |
 * | validate  | SyncHook (staged)       | SystemDescription, context   | throw MicrokitError on a broken rule         |
 * | allocate  | AsyncSeriesHook         | SystemBuild, BuildContext    | build the spec, place memory, fill the build |
 * | emit      | AsyncSeriesHook         | SystemBuild, BuildContext    | render outputs through context.outputs       |
 * | done      | AsyncSeriesHook         | BuildResult, BuildContext    | summaries, post-processing                   |
 * | failed    | AsyncSeriesHook         | SystemBuild, error, context  | stage outputs that explain a failed build    |
 *
 * Validate taps are ordered by `stage` (see VALIDATE_STAGES) so plugin rules
 * interleave with the core's at upstream's positions.
 *
 * The Pipeline knows only its hooks and registries; the core's own
 * behaviour (the SDF parser, upstream's rules, spec construction, placement)
 * is built-in plugins (core/builtin.ts), applied before the preset's by
 * `createPipeline`, as webpack's WebpackOptionsApply applies its internal
 * plugins to a bare Compiler.
 */
import { AsyncSeriesBailHook, AsyncSeriesHook, SyncHook } from 'tapable';
import type { ArchSupport } from './arch.js';
import type { BuildContext, BuildResult, MicrokitPipeline, MicrokitPlugin, PipelineHooks, SdfSource, SystemBuild } from './build-types.js';
import { createSpecHooks, type SpecHooks } from './capdl/construct/hooks.js';
import type { MicrokitError } from './errors/microkit-error.js';
import { pluginArchConflict, pluginDuplicate, pluginInvalid, pluginNoArch, pluginTapName } from './errors/pipeline.js';
import type { ArchName } from './kernel/config.js';
import { applyPlugin, driveHook, GuardedCallbackMap, guardCallbacks } from './plugin-driver.js';
import type { ProtectionDomain, SystemDescription } from './sdf/model.js';
import { SdfSyntax } from './sdf/syntax.js';
import { createGraphHooks, type GraphHooks } from './graph/hooks.js';

export type { PipelineHooks } from './build-types.js';

interface ArchRegistration {
  readonly support: ArchSupport;
  readonly owner: string;
}

export class Pipeline implements MicrokitPipeline {
  readonly hooks: PipelineHooks = Object.freeze({
    configure: new AsyncSeriesHook<[BuildContext]>(['context']),
    parse: new AsyncSeriesBailHook<[SdfSource, BuildContext], SystemDescription | undefined>(['source', 'context']),
    validate: new SyncHook<[SystemDescription, BuildContext]>(['system', 'context']),
    allocate: new AsyncSeriesHook<[SystemBuild, BuildContext]>(['build', 'context']),
    emit: new AsyncSeriesHook<[SystemBuild, BuildContext]>(['build', 'context']),
    done: new AsyncSeriesHook<[BuildResult, BuildContext]>(['result', 'context']),
    failed: new AsyncSeriesHook<[SystemBuild, MicrokitError, BuildContext]>(['build', 'error', 'context']),
  });

  /** The SDF syntax registry (extension point for elements, attributes, IRQ forms). */
  readonly sdf = new SdfSyntax(() => this.applying);

  /** Extension points of spec construction (per PD, system-wide). */
  readonly spec: SpecHooks = createSpecHooks();

  /** Extension point of `microkit graph`: plugins draw the constructs they own (core/graph/hooks.ts). */
  readonly graph: GraphHooks = createGraphHooks();

  /**
   * Word symbols patched into every PD image, with the value each PD gets
   * (extension point; libmicrokit's `microkit_ioports` is 0 unless a plugin
   * such as x86-ioports says otherwise).
   */
  readonly pdWordSymbols: Map<string, (pd: ProtectionDomain) => bigint> = new GuardedCallbackMap('pdWordSymbols', () => this.applying, [
    ['microkit_ioports', () => 0n],
  ]);

  private readonly archs = new Map<ArchName, ArchRegistration>();
  private readonly applied: string[] = [];
  private applying: string | undefined;

  constructor() {
    const ownership = { current: () => this.applying, checkTapName: (hookName: string, tapName: string) => this.checkTapName(hookName, tapName) };
    const hooks = [
      ...Object.entries(this.hooks),
      ...Object.entries(this.spec).map(([n, h]) => [`spec.${n}`, h] as const),
      ...Object.entries(this.graph).map(([n, h]) => [`graph.${n}`, h] as const),
    ];
    for (const [hookName, hook] of hooks) {
      driveHook(hookName, hook, ownership);
    }
  }

  /** Apply plugins in order. A plugin name may appear once. */
  use(...plugins: readonly MicrokitPlugin[]): this {
    for (const plugin of plugins) {
      if (!plugin || typeof plugin.name !== 'string' || typeof plugin.apply !== 'function') {
        throw pluginInvalid();
      }
      if (this.applied.includes(plugin.name)) {
        throw pluginDuplicate(plugin.name);
      }
      this.applying = plugin.name;
      try {
        applyPlugin(plugin.name, () => plugin.apply(this));
      } finally {
        this.applying = undefined;
      }
      this.applied.push(plugin.name);
    }
    return this;
  }

  /** Names of the applied plugins, in order. */
  get plugins(): readonly string[] {
    return this.applied;
  }

  /** Called by an architecture plugin from its `apply`. */
  registerArch(support: ArchSupport): void {
    const owner = this.applying ?? 'unknown';
    const existing = this.archs.get(support.name);
    if (existing) {
      throw pluginArchConflict(existing.owner, owner, support.name);
    }
    this.archs.set(support.name, { support: guardCallbacks(this.applying, 'arch', support), owner });
  }

  arch(name: ArchName): ArchSupport {
    const reg = this.archs.get(name);
    if (!reg) {
      throw pluginNoArch(name);
    }
    return reg.support;
  }

  /** The plugin currently being applied (for registries that record owners). */
  get currentPlugin(): string | undefined {
    return this.applying;
  }

  private checkTapName(hookName: string, tapName: string): void {
    const owner = this.applying;
    // Outside `apply` (a tap made from within another tap), the driver attributes the tap by its name.
    if (owner === undefined) return;
    if (tapName !== owner && !tapName.startsWith(`${owner}/`)) {
      throw pluginTapName(owner, hookName, tapName);
    }
  }
}
