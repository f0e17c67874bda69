/**
 * Appends `value` to the list stored under `key`, creating the list on first use.
 *
 * @example
 * ```ts
 * appendToList(byKey, 'u1', order);
 * ```
 */
export function appendToList<V>(map: Map<unknown, V[]>, key: unknown, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
