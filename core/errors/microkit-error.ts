/**
 * Every user-facing failure is a MicrokitError: the CLI prints `message`
 * verbatim to stderr and exits 1, then (see core/diagnostics) the code
 * frame, related places and help the error carries. Anything else reaching
 * the CLI is a bug in the tool and is reported as such (still without a
 * stack trace unless MICROKIT_DEBUG is set).
 */
import type { SourceLocation } from '../sdf/location.js';

/** A second place an error points at, e.g. the first definition of a duplicate name. */
export interface RelatedLocation {
  readonly location: SourceLocation;
  readonly label: string;
  /** Underline this attribute of the element at `location` rather than its tag. */
  readonly attribute?: string;
}

export interface MicrokitErrorOptions {
  /** Where in the SDF (or other input) the problem is: an element's `<` for SDF errors. */
  readonly location?: SourceLocation;
  /** The attribute of the element at `location` the problem is in (underlined in the code frame). */
  readonly attribute?: string;
  /** What the underline says. */
  readonly label?: string;
  readonly related?: readonly RelatedLocation[];
  /** `help:` lines printed after the code frame. */
  readonly help?: readonly string[];
  /** `warning` for upstream's warnings turned into diagnostics (see DiagnosticSink). */
  readonly severity?: 'error' | 'warning';
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
  readonly attribute?: string;
  readonly label?: string;
  readonly related: readonly RelatedLocation[];
  readonly help: string[];
  readonly severity: 'error' | 'warning';
  readonly stdoutPrefix?: string;
  /** The plugin whose code threw this (set by the plugin driver when a plugin's apply or tap fails). */
  plugin?: string;
  /** The hook that plugin was running in. */
  hook?: string;

  constructor(code: string, message: string, options: MicrokitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MicrokitError';
    this.code = code;
    this.location = options.location;
    this.attribute = options.attribute;
    this.label = options.label;
    this.related = options.related ?? [];
    this.help = [...(options.help ?? [])];
    this.severity = options.severity ?? 'error';
    this.stdoutPrefix = options.stdoutPrefix;
    this.plugin = options.plugin;
    this.hook = options.hook;
  }

  /** Add a `help:` line (callers that know more than the raiser, e.g. the names that would have fitted). */
  withHelp(...lines: (string | undefined)[]): this {
    for (const l of lines) if (l !== undefined && l !== '') this.help.push(l);
    return this;
  }
}

/**
 * Also true for a MicrokitError of another copy of this module: a plugin
 * built against its own install of microkit-ts, run by a global `microkit`.
 */
export function isMicrokitError(e: unknown): e is MicrokitError {
  return e instanceof MicrokitError || (e instanceof Error && e.name === 'MicrokitError' && typeof (e as { code?: unknown }).code === 'string');
}
