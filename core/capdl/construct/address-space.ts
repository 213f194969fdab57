/**
 * Address spaces as trees of translation tables in the spec: a PD's VSpace,
 * a VM's guest address space (EPT on x86) or a device's IO space. The tree's
 * shape (levels, index bits, names, object kinds) comes from an
 * AddressSpaceGeometry the architecture (or IOMMU) plugin supplies; mapping
 * a page creates the missing intermediate tables on the way down, as
 * upstream's map_page does, with its object names and errors.
 */
import type { Cap, CapdlObject, ObjectId, PlainCapType } from '../spec.js';
import type { MicrokitError } from '../../errors/microkit-error.js';
import { hex } from '../../util/bigint.js';
import type { SpecBuilder } from './builder.js';
import { specInvalidTable, specMapFailed } from '../errors.js';

export interface AddressSpaceGeometry {
  /** Levels of the full tree; level 0 is the top. */
  readonly levels: number;
  /** The level the root object sits at (AArch64 stage-2 with 40-bit PA starts at 1). */
  readonly rootLevel: number;
  /** log2 of the smallest page (12). */
  readonly pageBits: number;
  /** Index bits of a table at `level`. */
  indexBits(level: number): number;
  /** A level whose slot is fixed rather than taken from the address (VT-d: the IOSpace root, slot 0). */
  readonly fixedSlot?: { readonly level: number; readonly slot: number };
  /** Name of a table at `level`, e.g. `pgd`, `pt`, `iopt_level_0`. */
  levelName(level: number): string;
  /** `vaddr` or `ioaddr`, in table names. */
  readonly addrLabel: string;
  /** A new, empty intermediate table for `level`. */
  makeTable(level: number): CapdlObject;
  /** The cap type pointing at a table. */
  readonly tableCapType: PlainCapType;
  /** Whether `object` may sit at `level` of this tree. */
  validAt(object: CapdlObject, level: number): boolean;
}

export class AddressSpaceMapError extends Error {}

/** Entries per table are at most 2^10; a child index per table avoids scanning slots. */
const NO_CHILD = -1;

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

export class AddressSpace {
  /** table object id → child object id per slot (intermediate levels only). */
  private readonly children = new Map<ObjectId, Int32Array>();
  /** table object id → the levels it was found valid at (a bit each). */
  private readonly checked = new Map<ObjectId, number>();
  /** table object id → which slots are filled (leaf levels). */
  private readonly filled = new Map<ObjectId, Uint8Array>();
  /** Per level: the address shift and index mask (computed once: every mapped page needs them at every level). */
  private readonly shifts: bigint[] = [];
  private readonly masks: bigint[] = [];
  /** The same as numbers (2^shift and 2^index bits), for addresses below 2^53: no bigint arithmetic per page and level. */
  private readonly scales: number[] = [];
  private readonly sizes: number[] = [];
  /** Page sizes of the two leaf levels. */
  private readonly smallPage: bigint;
  private readonly largePage: bigint;

  constructor(
    readonly name: string,
    readonly root: ObjectId,
    readonly geometry: AddressSpaceGeometry,
    private readonly builder: SpecBuilder,
  ) {
    let bits = geometry.pageBits;
    for (let level = geometry.levels - 1; level >= 0; level--) {
      this.shifts[level] = BigInt(bits);
      this.masks[level] = (1n << BigInt(geometry.indexBits(level))) - 1n;
      this.scales[level] = 2 ** bits;
      this.sizes[level] = 2 ** geometry.indexBits(level);
      bits += geometry.indexBits(level);
    }
    this.smallPage = 1n << BigInt(geometry.pageBits);
    this.largePage = 1n << BigInt(geometry.pageBits + geometry.indexBits(geometry.levels - 1));
  }

  /** Create the root table object and the address space around it. */
  static create(builder: SpecBuilder, name: string, geometry: AddressSpaceGeometry, rootObject: CapdlObject, rootName?: string): AddressSpace {
    const id = builder.add(rootName ?? `${geometry.levelName(geometry.rootLevel)}_${name}`, rootObject);
    return new AddressSpace(name, id, geometry, builder);
  }

  /** Map `cap` (a frame, or a spare table) at `addr` with a page of `pageBytes`. */
  mapPage(cap: Cap, pageBytes: bigint, addr: bigint): void {
    const g = this.geometry;
    const leaf = this.leafLevel(pageBytes);
    const exact = addr <= MAX_EXACT ? Number(addr) : -1;
    let table = this.root;
    for (let level = g.rootLevel; level < leaf; level++) {
      table = this.childTable(table, level, addr, exact);
    }
    this.insertLeaf(table, leaf, this.index(leaf, addr, exact), cap);
  }

  /** Put `cap` directly in `slot` of the root (VT-d spare tables). */
  insertIntoRoot(slot: number, cap: Cap): void {
    this.insertLeaf(this.root, this.geometry.rootLevel, slot, cap);
  }

  leafLevel(pageBytes: bigint): number {
    const g = this.geometry;
    if (pageBytes === this.smallPage) return g.levels - 1;
    if (pageBytes === this.largePage) return g.levels - 2;
    throw new Error(`internal error: unsupported page size ${hex(pageBytes)}`);
  }

  /** Address bits below a table at `level`'s index (upstream's shift for that level). */
  private shiftOf(level: number): bigint {
    return this.shifts[level];
  }

  /** The slot `addr` takes at `level`; `exact` is `addr` as a number when that is exact, else -1. */
  private index(level: number, addr: bigint, exact: number): number {
    const fixed = this.geometry.fixedSlot;
    if (fixed && fixed.level === level) return fixed.slot;
    if (exact >= 0) return Math.floor(exact / this.scales[level]) % this.sizes[level];
    return Number((addr >> this.shifts[level]) & this.masks[level]);
  }

  private childTable(table: ObjectId, level: number, addr: bigint, exact: number): ObjectId {
    this.checkLevelObject(table, level);
    const slot = this.index(level, addr, exact);
    let kids = this.children.get(table);
    if (kids === undefined) {
      kids = new Int32Array(1 << this.tableIndexBits(level)).fill(NO_CHILD);
      this.children.set(table, kids);
    }
    const existing = kids[slot];
    if (existing !== NO_CHILD) return existing;
    this.checkFree(table, level, slot);
    const next = level + 1;
    // Upstream names a table after the address rounded to one entry of it.
    const coverageStart = (addr >> this.shiftOf(next)) << this.shiftOf(next);
    const g = this.geometry;
    const id = this.builder.addTable(`${g.levelName(next)}_${this.name}_${g.addrLabel}_${hex(coverageStart)}`, g.makeTable(next));
    this.builder.insertCap(table, slot, { type: g.tableCapType, object: id });
    this.markFilled(table, level, slot);
    kids[slot] = id;
    return id;
  }

  private insertLeaf(table: ObjectId, level: number, slot: number, cap: Cap): void {
    this.checkLevelObject(table, level);
    this.checkFree(table, level, slot);
    this.builder.insertCap(table, slot, cap);
    this.markFilled(table, level, slot);
  }

  private tableIndexBits(level: number): number {
    const fixed = this.geometry.fixedSlot;
    // A fixed-slot level (the VT-d root) still has a handful of slots.
    return fixed && fixed.level === level ? 4 : this.geometry.indexBits(level);
  }

  private checkFree(table: ObjectId, level: number, slot: number): void {
    const bits = this.filled.get(table);
    if (bits !== undefined && bits[slot] === 1) {
      throw new AddressSpaceMapError(`address-space '${this.name}': slot ${slot} at level ${level} in object '${this.builder.name(table)}' is already filled`);
    }
  }

  private markFilled(table: ObjectId, level: number, slot: number): void {
    let bits = this.filled.get(table);
    if (bits === undefined) {
      bits = new Uint8Array(1 << this.tableIndexBits(level));
      this.filled.set(table, bits);
    }
    bits[slot] = 1;
  }

  private checkLevelObject(table: ObjectId, level: number): void {
    // Every mapped page passes every level's table: check each table once per level.
    const levels = this.checked.get(table) ?? 0;
    if ((levels & (1 << level)) !== 0) return;
    const obj = this.builder.object(table);
    if (!this.geometry.validAt(obj, level)) {
      throw specInvalidTable(obj.type, level, this.name);
    }
    this.checked.set(table, levels | (1 << level));
  }
}

/** Upstream's wording when a map does not fit (B7). */
export function mapFailure(element: string, mr: string, space: string, addrName: string, addr: bigint, reason: string): MicrokitError {
  return specMapFailed(element, mr, space, addrName, hex(addr), reason);
}
