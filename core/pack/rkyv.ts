/**
 * The rkyv archive of the initialiser's spec: the writer ({@link encodeSpec},
 * rkyv-write.ts), the reader ({@link decodeSpec}, rkyv-read.ts) and the
 * layout they share (rkyv-layout.ts).
 */
export { RkyvError } from './rkyv-layout.js';
export { encodeSpec } from './rkyv-write.js';
export { decodeSpec } from './rkyv-read.js';
