/**
 * "Did you mean …?" for names a user typed: the closest known names by edit
 * distance (Damerau–Levenshtein, optimal string alignment), close enough to
 * be a typo rather than a different word.
 */

/** Edit distance with adjacent transpositions; case differences cost nothing extra beyond one substitution. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * Known names close to `typed`, best first (at most `limit`). A name counts as
 * close when its distance is at most a third of the longer name (at least 1),
 * or when it equals `typed` ignoring case.
 */
export function closestNames(typed: string, known: Iterable<string>, limit = 1): string[] {
  const scored: { name: string; d: number }[] = [];
  for (const name of new Set(known)) {
    if (name === typed) continue;
    const d = name.toLowerCase() === typed.toLowerCase() ? 0 : editDistance(typed, name);
    if (d <= Math.max(1, Math.floor(Math.max(typed.length, name.length) / 3))) scored.push({ name, d });
  }
  scored.sort((x, y) => x.d - y.d || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.name);
}

/** `did you mean 'x'?` (or `did you mean 'x' or 'y'?`), or undefined when nothing is close. */
export function didYouMean(typed: string, known: Iterable<string>, limit = 1): string | undefined {
  const names = closestNames(typed, known, limit);
  if (names.length === 0) return undefined;
  return `did you mean ${names.map((n) => `'${n}'`).join(' or ')}?`;
}
