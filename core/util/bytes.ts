/** Byte-buffer helpers. */

/** Concatenate chunks (Buffer.concat does the work) as a plain Uint8Array. */
export function concatBytes(chunks: readonly Uint8Array[], totalLength?: number): Uint8Array {
  const b = Buffer.concat(chunks, totalLength);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}
