/**
 * The spec as the capDL initialiser reads it: rust-sel4's
 * `SpecForInitializer = Spec<FrameInit>` (sel4-capdl-initializer-types).
 *
 * It is the tool-side {@link Spec} with two differences, both made while
 * packing: names are optional (stripped for non-debug configs), and a frame's
 * init is either an index into the frame-data segment (`Embedded`) or a fill
 * whose data entries carry their bytes (`Bytes`, or raw-deflated
 * `DeflatedBytes`). Non-frame objects share the tool-side object types, so
 * the transform can pass them through by reference.
 *
 * Naming follows core/capdl/spec.ts: camelCase fields in Rust declaration
 * order, `Word`/`u64` as bigint, small integers and indices as number,
 * `Option<T>` as `T | null`.
 */
import type { BootInfoContent, CapdlObject, FrameObject, Spec, WordRange } from '../capdl/spec.js';

/** `Content::Bytes`: the entry's bytes, uncompressed (the Microkit tool never produces it). */
export interface BytesData {
  type: 'Bytes';
  bytes: Uint8Array;
}

/** `Content::DeflatedBytes`: a raw DEFLATE stream (no zlib header) of the entry's bytes. */
export interface DeflatedBytesData {
  type: 'DeflatedBytes';
  deflatedBytes: Uint8Array;
}

/**
 * `FillEntryContent<Content>`: `Data(Bytes | DeflatedBytes)` or `BootInfo`.
 * As in core/capdl/spec.ts, the `Data` level is folded into the union.
 */
export type InitFillEntryContent = BytesData | DeflatedBytesData | BootInfoContent;

export interface InitFillEntry {
  range: WordRange;
  content: InitFillEntryContent;
}

/** `FrameInit`. `index` is a page number in the frame-data segment (u64 upstream). */
export type FrameInit = { type: 'Fill'; entries: InitFillEntry[] } | { type: 'Embedded'; index: number };

export interface InitFrameObject {
  type: 'Frame';
  sizeBits: number;
  paddr: bigint | null;
  init: FrameInit;
}

export type InitObject = Exclude<CapdlObject, FrameObject> | InitFrameObject;

export interface InitNamedObject {
  name: string | null;
  object: InitObject;
}

/** The tool-side Spec with the initialiser's objects (upstream: the same generic `Spec<FrameInit>`). */
export type SpecForInitializer = Omit<Spec, 'objects'> & { objects: InitNamedObject[] };
