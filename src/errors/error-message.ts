import { describeValue } from './describe-value.js';

/**
 * The message of anything user code may throw, for logs, metrics and error messages: an Error's `message`, a
 * string as is, anything else as `String(value)`. It never throws itself, whatever was thrown (a Proxy whose
 * traps throw, an object without a prototype, an Error whose `message` getter throws): it falls back to
 * {@link describeValue} and at last to `'a value that cannot be described'`.
 *
 * @example
 * ```ts
 * errorMessage(new Error('boom')); // 'boom'
 * errorMessage(Object.create(null)); // 'an object ([object Object])'
 * ```
 */
export function errorMessage(value: unknown): string {
  try {
    if (value instanceof Error) {
      const message: unknown = value.message; // a subclass may hold anything there
      return typeof message === 'string' ? message : String(message);
    }
    return typeof value === 'string' ? value : String(value);
  } catch {
    try {
      return describeValue(value);
    } catch {
      return 'a value that cannot be described';
    }
  }
}
