/** `microkit graph`: a system drawn by Graphviz (loaded lazily by the CLI). */
export { buildSystemGraph, permsText } from './build.js';
export { dotString, graphToDot } from './dot.js';
export { createGraphHooks } from './hooks.js';
export type { GraphContext, GraphHooks } from './hooks.js';
export { SystemGraph, mrNodeId, pdNodeId } from './model.js';
export type { GraphEdge, GraphEdgeKind, GraphNode, GraphNodeKind } from './model.js';
export { renderHtml, renderSvg } from './render.js';
