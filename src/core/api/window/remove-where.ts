/**
 * Removes, in place and in one pass, the items of `items` for which `drop` is true; keeps the others in order.
 *
 * @example
 * ```ts
 * const xs = [1, -2, 3];
 * removeWhere(xs, (x) => x < 0); // xs = [1, 3]
 * ```
 */
export function removeWhere<T>(items: T[], drop: (item: T) => boolean): void {
  let kept = 0;
  for (const item of items) {
    if (!drop(item)) items[kept++] = item;
  }
  items.length = kept;
}
