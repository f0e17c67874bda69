/**
 * True for anything with a callable `then`: a Promise or another thenable.
 *
 * @example
 * ```ts
 * if (isPromiseLike(result)) rt.hold();
 * ```
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
