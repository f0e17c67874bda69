/**
 * The owner of task number `k` (tasks numbered in plan order) among the live workers: `sorted(live)[k % n]`.
 * Every worker computes the same answer from the same membership list (like Kafka's range assignor), so
 * owners need no coordinator; `undefined` when no worker is live.
 *
 * @example
 * ```ts
 * ownerOfTask(3, ['b', 'a']); // 'b'
 * ```
 */
export function ownerOfTask(k: number, live: readonly string[]): string | undefined {
  if (live.length === 0) return undefined;
  const sorted = [...live].sort();
  return sorted[k % sorted.length];
}
