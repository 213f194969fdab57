/**
 * Layout by Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz), and
 * the self-contained HTML page: the SVG inline, with the details of every
 * node and edge on hover (no network, no external scripts).
 */
import type { Graphviz as GraphvizLayout } from '@hpcc-js/wasm-graphviz';
import { importEsm } from '../util/import-esm.js';
import type { SystemGraph } from './model.js';

export async function renderSvg(dot: string): Promise<string> {
  // Imported when drawn: the package (~800 KiB of WebAssembly as text) is ES modules only, and the
  // bundled CLI (CommonJS, scripts/bundle.mjs) leaves it outside and imports it from node_modules.
  const { Graphviz } = (await importEsm('@hpcc-js/wasm-graphviz')) as { Graphviz: typeof GraphvizLayout };
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside a <script>: `<` escaped so no `</script>` can end it early. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

export function renderHtml(svg: string, graph: SystemGraph, title: string): string {
  const details: Record<string, string[]> = {};
  for (const n of graph.nodes) details[n.id] = [...n.details];
  for (const e of graph.edges) details[e.id] = [...e.details];
  const inlineSvg = svg.slice(svg.indexOf('<svg'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; font-family: Helvetica, Arial, sans-serif; background: #fff; }
  header { padding: 8px 16px; border-bottom: 1px solid #e2e8f0; font-size: 14px; color: #334155; }
  main { padding: 16px; overflow: auto; }
  #details { position: fixed; pointer-events: none; display: none; max-width: 480px; background: #0f172a; color: #f8fafc;
    font-size: 12px; line-height: 1.4; padding: 8px 10px; border-radius: 6px; white-space: pre-wrap; box-shadow: 0 4px 12px rgba(0,0,0,.25); }
  g.node:hover > :is(polygon, path, ellipse), g.edge:hover > path { stroke-width: 3; }
</style>
</head>
<body>
<header>${escapeHtml(title)} &mdash; hover over a protection domain, channel, region or device for details</header>
<main>
${inlineSvg}
</main>
<div id="details" role="tooltip"></div>
<script>
const details = ${scriptJson(details)};
const box = document.getElementById('details');
for (const g of document.querySelectorAll('g.node, g.edge')) {
  const lines = details[g.id];
  if (!lines) continue;
  // The hover box replaces the SVG's own tooltips.
  for (const t of g.querySelectorAll('title')) t.remove();
  for (const a of g.querySelectorAll('a')) a.removeAttribute('xlink:title');
  g.addEventListener('mouseenter', () => { box.textContent = lines.join('\\n'); box.style.display = 'block'; });
  g.addEventListener('mousemove', (ev) => { box.style.left = (ev.clientX + 14) + 'px'; box.style.top = (ev.clientY + 14) + 'px'; });
  g.addEventListener('mouseleave', () => { box.style.display = 'none'; });
}
</script>
</body>
</html>
`;
}
