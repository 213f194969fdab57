/**
 * Exact JSON: a reader that keeps every integer as a `bigint` (capDL specs
 * carry badges with bit 63 set, far above 2^53) and object key order, and a
 * writer that reproduces serde_json's `to_string_pretty` byte for byte, so our
 * outputs can be diffed against the upstream tool's.
 */
export { JSON_CHUNK_SIZE, type JsonChunkSink, type JsonObject, type JsonValue, type JsonWritable } from './json/value.js';
export { JsonParseError, parseJsonExact } from './json/read.js';
export { PrettyJsonWriter, indent, quoteJsonString, stringifyJsonPretty } from './json/write.js';
