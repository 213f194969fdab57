/**
 * Going on after an error. Parse and validate record each independent error
 * in a DiagnosticSink and carry on with the next element or rule; a check
 * whose input an earlier error broke throws DependentError, which is dropped
 * (the earlier error already says it). Without a sink (the plain API), every
 * error throws at once, as before.
 */
import { MicrokitError } from '../errors/microkit-error.js';
import { deniedWarning } from './errors.js';

/** Thrown where the input was broken by an error already reported; never shown. */
export class DependentError extends Error {
  constructor(what: string) {
    super(`follows from an earlier error: ${what}`);
    this.name = 'DependentError';
  }
}

/**
 * Several independent errors of one run. It reads as the first of them
 * (code, message, location), which is upstream's first error; `errors` has
 * them all, in the order found.
 */
export class MicrokitErrors extends MicrokitError {
  readonly errors: readonly MicrokitError[];

  constructor(errors: readonly MicrokitError[]) {
    const first = errors[0];
    super(first.code, first.message, { ...first, related: first.related, help: first.help });
    this.name = 'MicrokitErrors';
    this.errors = errors;
  }
}

/** The errors an exception stands for: all of a MicrokitErrors, else itself. */
export function errorsOf(e: MicrokitError): readonly MicrokitError[] {
  return e instanceof MicrokitErrors ? e.errors : [e];
}

export interface DiagnosticSinkOptions {
  /** `--deny-warnings`: a warning is recorded as an error (and not printed as a warning). */
  readonly denyWarnings?: boolean;
}

export class DiagnosticSink {
  private readonly errorList: MicrokitError[] = [];
  private readonly warningList: MicrokitError[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly options: DiagnosticSinkOptions = {}) {}

  get errors(): readonly MicrokitError[] {
    return this.errorList;
  }

  get warnings(): readonly MicrokitError[] {
    return this.warningList;
  }

  /** Record an error; the same code and text twice is one error. */
  error(e: MicrokitError): void {
    for (const one of errorsOf(e)) {
      const key = `${one.code}\0${one.message}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.errorList.push(one);
    }
  }

  /**
   * Record a warning. Its upstream text goes to `print` (stdout, as upstream)
   * unless an error came first or warnings are denied (then it is an error).
   */
  warn(w: MicrokitError, print: (line: string) => void): void {
    if (this.options.denyWarnings) {
      this.error(deniedWarning(w));
      return;
    }
    // Upstream stops at its first error, so it prints no warning found after one: neither do we on stdout.
    if (this.errorList.length === 0) print(w.message);
    this.warningList.push(w);
  }

  /** Run one independent check: a MicrokitError it throws is recorded, a DependentError dropped; undefined then. */
  recover<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (e instanceof DependentError) return undefined;
      if (e instanceof MicrokitError) {
        this.error(e);
        return undefined;
      }
      throw e;
    }
  }

  /**
   * Throw what was recorded: the single error itself, or all of them as one
   * MicrokitErrors. The first stays first (the checks run in upstream's
   * order, so it is upstream's error); the others follow in source order.
   */
  throwIfErrors(): void {
    if (this.errorList.length === 1) throw this.errorList[0];
    if (this.errorList.length > 1) {
      const [first, ...rest] = this.errorList;
      throw new MicrokitErrors([first, ...rest.sort(bySourceOrder)]);
    }
  }
}

/** `sink.recover(fn)` with a sink; without one, `fn()` (the first error throws). */
export function recover<T>(sink: DiagnosticSink | undefined, fn: () => T): T | undefined {
  return sink === undefined ? fn() : sink.recover(fn);
}

/** Located before unlocated; by file, line, column; otherwise as found (sort is stable). */
function bySourceOrder(a: MicrokitError, b: MicrokitError): number {
  const x = a.location;
  const y = b.location;
  if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
  if (x.file !== y.file) return x.file < y.file ? -1 : 1;
  return x.line - y.line || x.column - y.column;
}
