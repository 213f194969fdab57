/**
 * Diagnostics for people: upstream's message first, exactly (scripts match
 * its first line), then where it is with a code frame (@babel/code-frame),
 * the related places, the code, and `help:` lines.
 */
import type * as BabelCodeFrame from '@babel/code-frame';
import { createRequire } from 'node:module';
import type { SourceLines } from './from-error.js';
import type { Diagnostic, SourceSpan } from './types.js';

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m', blue: '\u001b[34m', bold: '\u001b[1m', reset: '\u001b[0m' };

/**
 * Loaded with the first code frame: only a run that reports a located error needs it (with its
 * colour and token libraries), and the bundled CLI leaves it outside (issue 13, start-up).
 */
let codeFrame: typeof BabelCodeFrame | undefined;
function codeFrameColumns(...args: Parameters<typeof BabelCodeFrame.codeFrameColumns>): string {
  codeFrame ??= createRequire(import.meta.url)('@babel/code-frame') as typeof BabelCodeFrame;
  return codeFrame.codeFrameColumns(...args);
}

type Paint = (style: keyof typeof ANSI, s: string) => string;

function painter(color: boolean): Paint {
  return color ? (style, s) => `${ANSI[style]}${s}${ANSI.reset}` : (_style, s) => s;
}

/** Widest source line a frame shows, and the columns kept before the span when a line is cut. */
const FRAME_MAX_COLUMNS = 200;
const FRAME_COLUMNS_BEFORE = 60;

/**
 * The frame of a span. Only the lines shown go to code-frame, numbered from the first (it splits and scans
 * all it is given, once per diagnostic: 100k warnings in a large file took minutes), and a long line is cut
 * around the span (a generated SDF on one line was printed whole, megabytes per diagnostic).
 */
function frame(span: SourceSpan, label: string | undefined, source: SourceLines, color: boolean): string[] {
  const lines = source(span.file);
  if (lines === undefined || span.line > lines.length) return [];
  const first = Math.max(1, span.line - 1);
  let shown = lines.slice(first - 1, Math.min(lines.length, span.line + 1));
  let column = span.column;
  let length = span.length;
  const line = lines[span.line - 1];
  if (line.length > FRAME_MAX_COLUMNS) {
    const from = Math.max(0, Math.min(column - 1, line.length) - FRAME_COLUMNS_BEFORE);
    const cut = (l: string): string => {
      if (l.length <= from) return l.length > 0 && from > 0 ? '…' : l;
      return `${from > 0 ? '…' : ''}${l.slice(from, from + FRAME_MAX_COLUMNS)}${l.length > from + FRAME_MAX_COLUMNS ? '…' : ''}`;
    };
    shown = shown.map(cut);
    column = column - from + (from > 0 ? 1 : 0);
    length = Math.max(0, Math.min(length, FRAME_MAX_COLUMNS + (from > 0 ? 1 : 0) - column + 1));
  }
  const end = length > 0 ? { line: span.line, column: column + length } : undefined;
  const text = codeFrameColumns(shown.join('\n'), { start: { line: span.line, column }, ...(end ? { end } : {}) }, {
    linesAbove: 1,
    linesBelow: 1,
    highlightCode: color,
    forceColor: color,
    startLine: first,
    ...(label ? { message: label } : {}),
  } as FrameOptions);
  return text.split('\n').map((l) => `  ${l}`);
}

/** code-frame's options with `startLine` (the number of the first line given; in 7.x, not in its types). */
type FrameOptions = NonNullable<Parameters<typeof BabelCodeFrame.codeFrameColumns>[2]> & { startLine?: number };

function where(span: SourceSpan): string {
  return `${span.file}:${span.line}:${span.column}`;
}

/** The lines printed for one diagnostic (on stderr). */
export function renderHuman(d: Diagnostic, source: SourceLines, color: boolean): string[] {
  const paint = painter(color);
  const [first, ...rest] = d.message.split('\n');
  const out: string[] = [first];
  // Our `  --> file:line:col` line under an unlocated upstream message is replaced by the exact arrow below.
  for (const l of rest) if (!(d.span && l.startsWith('  --> '))) out.push(l);
  const origin = [d.plugin && `plugin ${d.plugin}`, d.hook && `hook ${d.hook}`].filter(Boolean).join(', ');
  const tag = `${d.severity}[${d.code}]${origin ? ` (${origin})` : ''}`;
  if (d.span) {
    // Upstream's text already names the element; this arrow names the exact spot and the code.
    out.push(`  ${paint('blue', '-->')} ${where(d.span)} ${paint(d.severity === 'error' ? 'red' : 'yellow', tag)}`);
    out.push(...frame(d.span, d.label, source, color));
  } else if (d.related.length > 0 || d.help.length > 0 || origin) {
    // Without a place or anything to add (command-line errors), upstream's one line stays alone.
    out.push(`  ${paint(d.severity === 'error' ? 'red' : 'yellow', tag)}`);
  }
  for (const r of d.related) {
    out.push(`  ${paint('cyan', 'note:')} ${r.label}`);
    out.push(`  ${paint('blue', '-->')} ${where(r.span)}`);
    out.push(...frame(r.span, undefined, source, color));
  }
  for (const h of d.help) out.push(`  ${paint('cyan', 'help:')} ${h}`);
  return out;
}
