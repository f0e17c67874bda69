/**
 * The candidate closest to a mistyped word, for "did you mean …?" hints: the one with the smallest edit
 * distance (insertions, deletions, substitutions and swaps of two neighbours), if that distance is small for
 * the word's length (at most 1 up to 4 letters, 2 up to 8, 3 beyond), or a candidate the word is a prefix
 * of. `undefined` when nothing is close.
 *
 * @example
 * ```ts
 * closestMatch('stauts', ['status', 'stop', 'list']); // 'status'
 * closestMatch('xyz', ['status', 'stop']); // undefined
 * ```
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= limit) return best;
  if (word.length >= 2) {
    for (const candidate of candidates) if (candidate.startsWith(word)) return candidate;
  }
  return undefined;
}

/**
 * ` Did you mean X?` (with a leading space) for the closest candidate, or `''` when none is close.
 *
 * @example
 * ```ts
 * `Unknown command: sage job stauts.${didYouMean('stauts', ['status'])}`; // '… Did you mean status?'
 * ```
 */
export function didYouMean(word: string, candidates: Iterable<string>, prefix = ''): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` Did you mean ${prefix}${match}?`;
}

/** Optimal-string-alignment distance: Levenshtein plus transposition of two adjacent letters. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(rows - 1, cols - 1);
}
