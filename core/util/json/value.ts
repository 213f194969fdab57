/**
 * Exact JSON, shared vocabulary of the reader (read.ts) and the writer
 * (write.ts): value types and the writer's chunk size.
 */

/**
 * A parsed JSON value. Integer literals are `bigint`; literals with a
 * fraction or exponent are `number`. Objects are `Map`s because plain JS
 * objects reorder integer-like keys.
 */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/**
 * Anything the writer accepts: parsed values, plus plain objects (written in
 * `Object.keys` order) and readonly containers.
 */
export type JsonWritable =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly JsonWritable[]
  | ReadonlyMap<string, JsonWritable>
  | { readonly [key: string]: JsonWritable };

/** Receives the writer's output in pieces of roughly `JSON_CHUNK_SIZE` characters. */
export type JsonChunkSink = (chunk: string) => void;

export const JSON_CHUNK_SIZE = 1 << 16;
