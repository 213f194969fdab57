/**
 * The plugin driver: every call into a plugin's code (its `apply`, each of
 * its taps) goes through one wrapper, as Rollup's PluginDriver does, so a
 * failure names the plugin and the hook. A MicrokitError from a plugin keeps
 * its code, message and location and gains `plugin` and `hook`; any other
 * exception becomes `plugin 'NAME' failed in hook 'HOOK': MESSAGE`
 * (PLUGIN_FAILED, the original as its cause). The core's own taps (named
 * `core` or `core/…`, or made outside any plugin) are not wrapped: an
 * exception there is a bug in the tool.
 */
import { type MicrokitError, isMicrokitError } from './errors/microkit-error.js';
import { pluginFailed, pluginTapKind } from './errors/pipeline.js';

/** The parts of a tapable tap the driver reads and replaces. */
interface DrivenTap {
  readonly type: 'sync' | 'async' | 'promise';
  readonly name: string;
  fn: (...args: unknown[]) => unknown;
}

/** The parts of a tapable hook the driver hooks into. */
interface DrivenHook {
  intercept(interceptor: { register?: (tap: DrivenTap) => DrivenTap }): void;
  tapAsync: (...args: unknown[]) => void;
  tapPromise: (...args: unknown[]) => void;
  readonly constructor: { readonly name: string };
}

/** Who a tap belongs to, and whether its name is allowed (the pipeline's rule). */
export interface HookOwnership {
  /** The plugin being applied, if any. */
  current(): string | undefined;
  /** Throws when `tapName` is not a name the current plugin may use. */
  checkTapName(hookName: string, tapName: string): void;
}

/** Plugins whose failures are the tool's bugs, not a user's plugin failing. */
export function isCorePluginName(name: string): boolean {
  return name === 'core' || name.startsWith('core/');
}

/** The error to report for `e`, thrown by `plugin` while running `hook`. */
export function pluginFailure(plugin: string, hook: string, e: unknown): MicrokitError {
  if (isMicrokitError(e)) {
    // The innermost plugin is the one to blame; an outer tap only passed the error on.
    if (e.plugin === undefined) Object.assign(e, { plugin, hook });
    return e;
  }
  const detail = e instanceof Error ? e.message : String(e);
  return pluginFailed(plugin, hook, detail, e);
}

/** Run a plugin's `apply`. */
export function applyPlugin(name: string, apply: () => unknown): void {
  if (isCorePluginName(name)) {
    apply();
    return;
  }
  let result: unknown;
  try {
    result = apply();
  } catch (e) {
    throw pluginFailure(name, 'apply', e);
  }
  // apply is synchronous: a promise it returns would be ignored, and its rejection would end the process with Node's stack.
  if (isThenable(result)) {
    (result as Promise<unknown>).then(undefined, () => undefined);
    throw pluginFailure(name, 'apply', new Error('apply(pipeline) returned a promise; it must be synchronous (tap hooks with tapPromise for async work)'));
  }
}

function isThenable(v: unknown): boolean {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * A plugin's callback that the core calls outside any hook (an SDF syntax
 * parser), wrapped the same way; `hook` names the extension point.
 */
export function guardCallback<Args extends unknown[], R>(owner: string | undefined, hook: string, fn: (...args: Args) => R): (...args: Args) => R {
  if (owner === undefined || isCorePluginName(owner)) return fn;
  return (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      throw pluginFailure(owner, hook, e);
    }
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * An object a plugin registers whose functions the core calls outside any
 * hook (an ArchSupport: `iommu.parseDeviceId`, `vm.checkVmm`, `spec.irqObject`,
 * `boot`, ...): a copy whose functions, in it and in its nested plain
 * objects, are guarded as `guardCallback` does, each named by its path
 * (`arch.iommu.parseDeviceId`). Class instances and arrays are kept as they are.
 */
export function guardCallbacks<T extends object>(owner: string | undefined, prefix: string, value: T): T {
  if (owner === undefined || isCorePluginName(owner)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const path = `${prefix}.${key}`;
    if (typeof v === 'function') out[key] = guardCallback(owner, path, (v as (...args: unknown[]) => unknown).bind(value));
    else if (isPlainObject(v)) out[key] = guardCallbacks(owner, path, v);
    else out[key] = v;
  }
  return out as T;
}

/**
 * A registry of plugin callbacks keyed by name (`pipeline.pdWordSymbols`):
 * each function set while a plugin is applied is guarded, its hook named
 * `HOOK:KEY` (`pdWordSymbols:microkit_ioports`).
 */
export class GuardedCallbackMap<F extends (...args: never[]) => unknown> extends Map<string, F> {
  private readonly owner: () => string | undefined;
  private readonly hook: string;

  constructor(hook: string, owner: () => string | undefined, entries: readonly (readonly [string, F])[] = []) {
    super();
    this.hook = hook;
    this.owner = owner;
    for (const [key, fn] of entries) this.set(key, fn);
  }

  override set(key: string, fn: F): this {
    // Map's constructor calls set before the fields exist; entries are added after, above.
    const owner = this.owner?.();
    return super.set(key, owner === undefined ? fn : (guardCallback(owner, `${this.hook}:${key}`, fn as never) as unknown as F));
  }
}

function wrapTap(tap: DrivenTap, plugin: string, hookName: string): DrivenTap {
  const fn = tap.fn;
  const fail = (e: unknown) => pluginFailure(plugin, hookName, e);
  switch (tap.type) {
    case 'sync':
      tap.fn = (...args) => {
        try {
          return fn(...args);
        } catch (e) {
          throw fail(e);
        }
      };
      break;
    case 'promise':
      tap.fn = (...args) => {
        // Always a rejected promise, never a synchronous throw: tapable calls a promise tap from the
        // previous tap's `then`, where a throw becomes an unhandled rejection and kills the process.
        let result: unknown;
        try {
          result = fn(...args);
        } catch (e) {
          return Promise.reject(fail(e));
        }
        if (!result || typeof (result as Promise<unknown>).then !== 'function') {
          return Promise.reject(fail(new Error(`its tapPromise function returned ${String(result)}, not a promise`)));
        }
        return (result as Promise<unknown>).then(undefined, (e: unknown) => {
          throw fail(e);
        });
      };
      break;
    case 'async':
      tap.fn = (...args) => {
        const callback = args.pop() as (err?: unknown, ...rest: unknown[]) => void;
        try {
          return fn(...args, (err: unknown, ...rest: unknown[]) => (err == null ? callback(err, ...rest) : callback(fail(err))));
        } catch (e) {
          throw fail(e);
        }
      };
      break;
  }
  return tap;
}

/**
 * Drive one hook: check tap names, wrap every plugin tap, and refuse a tap
 * of the wrong kind (`tapPromise` on a sync hook) when it is made, naming the
 * plugin, rather than leaving tapable's bare error to surface.
 */
export function driveHook(hookName: string, hook: unknown, owner: HookOwnership): void {
  const h = hook as DrivenHook;
  h.intercept({
    register: (tap) => {
      owner.checkTapName(hookName, tap.name);
      // A tap made outside `apply` (from within another tap) belongs to the plugin its name says.
      const plugin = owner.current() ?? tap.name.split('/')[0]!;
      return isCorePluginName(plugin) ? tap : wrapTap(tap, plugin, hookName);
    },
  });
  for (const kind of ['tapAsync', 'tapPromise'] as const) {
    const original = h[kind];
    h[kind] = (...args: unknown[]) => {
      try {
        original.apply(h, args);
      } catch (e) {
        if (isMicrokitError(e) || !(e instanceof Error) || !/is not supported on a/.test(e.message)) throw e;
        const options = args[0] as string | { name?: string };
        const plugin = owner.current() ?? (typeof options === 'string' ? options : String(options?.name)).split('/')[0]!;
        throw pluginTapKind(plugin, kind, hookName, h.constructor.name, e);
      }
    };
  }
}
