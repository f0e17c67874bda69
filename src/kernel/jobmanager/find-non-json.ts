/**
 * Where `value` stops being plain JSON data (what job modules' `args` must be, as every worker of a job receives
 * them through JSON): the path and a description of the first value that is not `null`, a boolean, a string, a
 * finite number, an array or a plain object of such values (an `undefined` property is left out, as JSON does);
 * `undefined` when all of it is JSON.
 *
 * @example
 * ```ts
 * findNonJson({ n: 1, f: () => 1 }, 'args'); // 'args.f is a function'
 * findNonJson([1, 'a', { b: null }], 'args'); // undefined
 * ```
 */
export function findNonJson(value: unknown, path: string, seen = new Set<object>()): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${String(value)}`;
  if (typeof value !== 'object')
    return `${path} is ${typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`}`;
  if (seen.has(value)) return `${path} is a circular reference`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const found = findNonJson(value[i], `${path}[${String(i)}]`, seen);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'class instance'}`;
    }
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue; // JSON leaves the key out, as an optional field reads it
      const found = findNonJson(v, `${path}.${k}`, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}
