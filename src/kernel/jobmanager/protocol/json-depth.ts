/** Deepest nesting of arrays and objects accepted in a request's `args` or `restore` (deeper ones are refused). */
export const MAX_JSON_DEPTH = 1_000;

/**
 * True when a JSON value nests arrays and objects deeper than `maxDepth` levels. It walks the value without
 * recursion, so a hostile payload nested a million levels deep is measured, not a stack overflow.
 *
 * @example
 * ```ts
 * jsonDeeperThan({ a: [1, { b: 2 }] }, 2); // true: three levels
 * jsonDeeperThan([[1]], 2);                // false
 * ```
 */
export function jsonDeeperThan(value: unknown, maxDepth: number = MAX_JSON_DEPTH): boolean {
  const stack: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 0 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const v = next.value;
    if (typeof v !== 'object' || v === null) continue;
    const depth = next.depth + 1;
    if (depth > maxDepth) return true;
    for (const child of Array.isArray(v) ? (v as unknown[]) : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth });
    }
  }
  return false;
}
