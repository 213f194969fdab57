/**
 * Every user-facing failure is a MicrokitError: the CLI prints `message`
 * verbatim to stderr and exits 1. Anything else reaching the CLI is a bug in
 * the tool and is reported as such (still without a stack trace unless
 * MICROKIT_DEBUG is set).
 */
import type { SourceLocation } from '../sdf/location.js';

export interface MicrokitErrorOptions {
  /** Where in the SDF (or other input) the problem is. */
  readonly location?: SourceLocation;
  /** Lines printed before the message on stdout (upstream prints usage first for some errors). */
  readonly stdoutPrefix?: string;
  readonly cause?: unknown;
  /** The plugin whose code failed (filled in by the plugin driver). */
  readonly plugin?: string;
  /** The hook (`apply`, `validate`, `spec.protectionDomain`, ...) it failed in. */
  readonly hook?: string;
}

export class MicrokitError extends Error {
  /** A stable identifier for the kind of error, e.g. `SDF_INVALID_ATTRIBUTE`. */
  readonly code: string;
  readonly location?: SourceLocation;
  readonly stdoutPrefix?: string;
  /** The plugin whose code threw this (set by the plugin driver when a plugin's apply or tap fails). */
  readonly plugin?: string;
  /** The hook that plugin was running in. */
  readonly hook?: string;

  constructor(code: string, message: string, options: MicrokitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MicrokitError';
    this.code = code;
    this.location = options.location;
    this.stdoutPrefix = options.stdoutPrefix;
    this.plugin = options.plugin;
    this.hook = options.hook;
  }
}

/**
 * Also true for a MicrokitError of another copy of this module: a plugin
 * built against its own install of microkit-ts, run by a global `microkit`.
 */
export function isMicrokitError(e: unknown): e is MicrokitError {
  return e instanceof MicrokitError || (e instanceof Error && e.name === 'MicrokitError' && typeof (e as { code?: unknown }).code === 'string');
}
