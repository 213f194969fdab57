/**
 * The I/O edge of `microkit graph`: the system is parsed and validated as
 * `microkit check` does (same setup, same errors), then drawn. Output is
 * written only once it is complete.
 */
import { extname } from 'node:path';
import { build } from '../cli/commands/build.js';
import type { CliEnvironment } from '../cli/setup.js';
import { writeOutputFile } from '../cli/output-file.js';
import { buildSystemGraph } from './build.js';
import { graphToDot } from './dot.js';
import { renderHtml, renderSvg } from './render.js';
import { graphArgumentsError as graphError } from './errors.js';

/** The command line of `microkit graph` (core/cli/commands/graph.ts). */
export interface GraphArgs {
  readonly board?: string;
  readonly config?: string;
  readonly searchPath?: readonly string[];
  readonly kernelConfig?: string;
  readonly configFile?: string;
  readonly output?: string;
  readonly format?: string;
}

const FORMATS = ['svg', 'html', 'dot'] as const;
type Format = (typeof FORMATS)[number];

function chooseFormat(opts: GraphArgs): Format {
  const f = opts.format ?? (opts.output ? extname(opts.output).slice(1).toLowerCase().replace(/^htm$/, 'html').replace(/^gv$/, 'dot') : 'svg');
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw graphError(
      opts.format !== undefined
        ? `unknown format '${opts.format}' (svg, html or dot)`
        : `cannot tell the format of '${opts.output}': name it .svg, .html or .dot, or give --format`,
    );
  }
  return f as Format;
}

export async function runGraph(system: string | undefined, opts: GraphArgs, env: CliEnvironment): Promise<number> {
  const format = chooseFormat(opts);
  // Parsed and validated exactly as `microkit check` does (TS systems, file errors, every diagnostic);
  // warnings go to stderr when the drawing goes to stdout.
  const { output, format: _format, ...inputs } = opts;
  const { result, ctx } = await build(
    'check',
    { ...inputs, system, config: opts.config ?? 'debug' },
    output === undefined ? { ...env, stdout: env.stderr } : env,
  );
  const { systemFile, board, config } = ctx.options;
  const title = `${systemFile} (${board ?? ctx.kernel.arch}, ${config})`;
  const graph = buildSystemGraph(result.system, ctx.pipeline.graph);
  const dot = graphToDot(graph, title);
  let out: string;
  if (format === 'dot') out = dot;
  else {
    const svg = await renderSvg(dot);
    out = format === 'html' ? renderHtml(svg, graph, title) : svg;
  }
  if (opts.output === undefined) {
    env.stdout(out.trimEnd());
    return 0;
  }
  // Staged like the build's outputs: a device (`-o /dev/null`) is written, not replaced by a renamed file.
  const { systemPath } = ctx.options;
  const sources = [{ given: systemFile, path: systemPath, role: 'the system description file' }];
  writeOutputFile(opts.output, env.cwd, sources, (emit) => emit(out));
  return 0;
}
