/**
 * The diagnostic model: what every error and warning of the tool is, in a
 * form both the human renderer (code frames) and `--format json` read.
 * `message` is upstream's text exactly (its first line is what scripts match
 * on); everything else is what we add after it.
 */

export type Severity = 'error' | 'warning' | 'note';

/** A place in a source file: 1-based line and column (code points), and how many columns to underline. */
export interface SourceSpan {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Columns to underline; 0 when only the position is known. */
  readonly length: number;
}

/** A second place that explains the first (the other map of an overlap, the first definition of a name). */
export interface RelatedSpan {
  readonly span: SourceSpan;
  readonly label: string;
}

export interface Diagnostic {
  /** Stable identifier, e.g. `SDF_INVALID_ATTRIBUTE` (listed in docs/diagnostics.md). */
  readonly code: string;
  readonly severity: Severity;
  /** Upstream's text, possibly several lines; the first line is the compatibility contract. */
  readonly message: string;
  /** Where the problem is; absent when the input has no source (command line, SDK files). */
  readonly span?: SourceSpan;
  /** What the underline under the primary span says. */
  readonly label?: string;
  readonly related: readonly RelatedSpan[];
  /** `help:` lines: suggestions, accepted forms, what was searched. */
  readonly help: readonly string[];
  /** The plugin and hook that raised it, when a plugin did. */
  readonly plugin?: string;
  readonly hook?: string;
}

/** How diagnostics are printed (command-line `--format`, `--color`, `--max-errors`). */
export interface DiagnosticOutputOptions {
  readonly format: 'human' | 'json';
  readonly color: boolean;
  /** At most this many errors are printed (the count line still says how many there were). */
  readonly maxErrors: number;
}
