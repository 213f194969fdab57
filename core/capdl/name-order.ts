/**
 * Comparing object names by their UTF-8 bytes (Rust's `String` order, the
 * last key of the final sort) without making the names of compact series
 * frames: `<series>_%09d` members compare by series and sequence number
 * where that provably gives the string order, and fall back to the names
 * where it might not.
 */
import { SpecObjectTable } from './object-table.js';
import type { ObjectId, ObjectTable } from './spec.js';

/**
 * Compare two strings by their UTF-8 bytes, as Rust's `String` ordering does.
 * JS `<` compares UTF-16 code units, which disagrees for characters above
 * U+FFFF against U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates above the rest of the BMP: code-point order, which is
    // UTF-8 byte order.
    if (x >= 0xd800) x = x < 0xe000 ? x + 0x2000 : x - 0x800;
    if (y >= 0xd800) y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    return x - y;
  }
  return a.length - b.length;
}

/** Characters whose UTF-16 order differs from their UTF-8 order against some other character. */
const NOT_PLAIN = /[\ud800-\uffff]/;

/** Sequence numbers below this have exactly nine digits in a name, so their names order as the numbers do. */
const FIXED_WIDTH = 1_000_000_000;

/** Order of two plain strings (no surrogates, nothing from U+E000): UTF-16 order is UTF-8 order there. */
function comparePlain(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

export class NameOrder {
  /** Per id: the series of a compact frame, or -1. */
  private readonly series: Int32Array;
  private readonly seq: Uint32Array;
  /** Per id: 1 when the name has no character whose UTF-16 and UTF-8 orders differ. */
  private readonly plain: Uint8Array;
  /** Per series: `<series>_`, the part of a member's name before its number. */
  private readonly tags: string[] = [];

  constructor(private readonly objects: ObjectTable) {
    const count = objects.length;
    this.series = new Int32Array(count).fill(-1);
    this.seq = new Uint32Array(count);
    this.plain = new Uint8Array(count);
    const table = objects instanceof SpecObjectTable ? objects : null;
    const seriesPlain: number[] = [];
    for (let id = 0; id < count; id++) {
      const record = table === null ? -1 : table.frameRecord(id);
      if (record < 0) {
        this.plain[id] = NOT_PLAIN.test(objects.name(id)) ? 0 : 1;
        continue;
      }
      const frames = (table as SpecObjectTable).frames;
      const s = frames.series(record);
      if (this.tags[s] === undefined) {
        this.tags[s] = `${frames.seriesName(s)}_`;
        seriesPlain[s] = NOT_PLAIN.test(this.tags[s]) ? 0 : 1;
      }
      this.series[id] = s;
      this.seq[id] = frames.seq(record);
      this.plain[id] = seriesPlain[s];
    }
  }

  /** Negative, zero or positive as the name of `a` sorts before, with or after the name of `b`. */
  compare(a: ObjectId, b: ObjectId): number {
    if ((this.plain[a] & this.plain[b]) === 0) return compareUtf8(this.objects.name(a), this.objects.name(b));
    const sa = this.series[a];
    const sb = this.series[b];
    if (sa >= 0 && sb >= 0) {
      if (sa === sb) {
        const qa = this.seq[a];
        const qb = this.seq[b];
        if (qa < FIXED_WIDTH && qb < FIXED_WIDTH) return qa - qb;
      } else {
        const ta = this.tags[sa];
        const tb = this.tags[sb];
        // Neither tag starts the other: their first difference decides.
        if (!ta.startsWith(tb) && !tb.startsWith(ta)) return ta < tb ? -1 : 1;
      }
    } else if (sa >= 0) {
      const byTag = this.compareTagWithName(this.tags[sa], this.objects.name(b));
      if (byTag !== 0) return byTag;
    } else if (sb >= 0) {
      const byTag = this.compareTagWithName(this.tags[sb], this.objects.name(a));
      if (byTag !== 0) return -byTag;
    }
    return comparePlain(this.objects.name(a), this.objects.name(b));
  }

  /**
   * The order of a name that starts with `tag` against the plain name
   * `other`, when the tag alone decides it; 0 when it does not (`other`
   * starts with the tag, and the rest of both names decides).
   */
  private compareTagWithName(tag: string, other: string): number {
    if (other.startsWith(tag)) return 0;
    // `other` is a proper prefix of the tag, so of the whole name: it sorts first.
    if (tag.startsWith(other)) return 1;
    return tag < other ? -1 : 1;
  }
}
