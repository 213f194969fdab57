/** A MicrokitError as a Diagnostic: its locations resolved against the source to underlined spans. */
import type { MicrokitError } from '../errors/microkit-error.js';
import { resolveSpan } from './spans.js';
import type { Diagnostic, Severity } from './types.js';

/** The lines of a file a diagnostic points into, or undefined when it cannot be read. */
export type SourceLines = (file: string) => readonly string[] | undefined;

export function toDiagnostic(e: MicrokitError, source: SourceLines, severity: Severity = e.severity): Diagnostic {
  const span = e.location && resolveSpan(e.location, e.attribute, source(e.location.file));
  return {
    code: e.code,
    severity,
    message: e.message,
    ...(span ? { span } : {}),
    ...(e.label !== undefined ? { label: e.label } : {}),
    related: e.related.map((r) => ({ span: resolveSpan(r.location, r.attribute, source(r.location.file)), label: r.label })),
    help: [...e.help],
    ...(e.plugin !== undefined ? { plugin: e.plugin } : {}),
    ...(e.hook !== undefined ? { hook: e.hook } : {}),
  };
}
