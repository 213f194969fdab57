/** The diagnostic model, its sink (going on after errors) and its renderings. */
export type { Diagnostic, DiagnosticOutputOptions, RelatedSpan, Severity, SourceSpan } from './types.js';
export { DependentError, DiagnosticSink, MicrokitErrors, errorsOf, recover, type DiagnosticSinkOptions } from './sink.js';
export { toDiagnostic, type SourceLines } from './from-error.js';
export { renderHuman } from './render-human.js';
export { resolveSpan } from './spans.js';
