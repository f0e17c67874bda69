/**
 * A short description of any value for error messages: `number 42`, `string "x"`, `an array`,
 * `function Foo`, `null`. Never throws, whatever `value` is.
 *
 * @example
 * ```ts
 * throw new TypeError(`expected an array, got ${describeValue(input)}`);
 * ```
 */
export function describeValue(value: unknown): string {
  try {
    return describe(value);
  } catch {
    // A Proxy whose traps throw (or a revoked one) cannot even be asked whether it is an array.
    return 'an object that cannot be inspected';
  }
}

function describe(value: unknown): string {
  switch (typeof value) {
    case 'function':
      return `function ${value.name || '(anonymous)'}`;
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? 'an array' : `an object (${Object.prototype.toString.call(value)})`;
    case 'symbol':
      return value.toString();
    case 'string':
      return `string ${JSON.stringify(value)}`;
    case 'undefined':
      return 'undefined';
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${value.toString()}`;
    default:
      return typeof value;
  }
}
