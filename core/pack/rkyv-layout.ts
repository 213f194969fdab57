/**
 * The rkyv 0.8 layout of a {@link SpecForInitializer} shared by the writer
 * (rkyv-write.ts) and the reader (rkyv-read.ts): sizes of the archived
 * structs, enum tag numbering and the error both sides throw. The rules are
 * in shared/reference/rkyv-layout.md.
 */
import { BOOT_INFO_IDS, CAP_TYPES, OBJECT_TYPES } from '../capdl/spec.js';
import type { BootInfoId, CapType, ObjectType } from '../capdl/spec.js';

export const SPEC_SIZE = 112;
export const NAMED_OBJECT_SIZE = 64;
/** Offset of the archived `Object` inside a `NamedObject`. */
export const OBJECT_AT = 16;
export const CAP_ENTRY_SIZE = 40;
export const FILL_ENTRY_SIZE = 40;
export const TCB_EXTRA_SIZE = 64;
export const IRQ_ENTRY_SIZE = 16;
export const DOMAIN_SCHED_ENTRY_SIZE = 24;
export const UNTYPED_COVER_SIZE = 12;
export const OPTION_U32_SIZE = 8;

export const OBJECT_TAG = new Map<ObjectType, number>(OBJECT_TYPES.map((t, i) => [t, i]));
export const CAP_TAG = new Map<CapType, number>(CAP_TYPES.map((t, i) => [t, i]));
export const BOOT_INFO_TAG = new Map<BootInfoId, number>(BOOT_INFO_IDS.map((t, i) => [t, i]));
export const DURATION_TYPES = ['Ticks', 'Us', 'EndMarker'] as const;

export class RkyvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RkyvError';
  }
}
