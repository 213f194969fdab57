/** `microkit inspect`: reading boot images back (loaded lazily by the CLI). */
export * from './types.js';
export { inspectImage } from './dump.js';
export { canonicalJson, LazyJsonArray, writeCanonicalJson } from './canonical-json.js';
export type { ChunkSink, DumpJson } from './canonical-json.js';
