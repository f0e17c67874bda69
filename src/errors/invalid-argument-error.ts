/**
 * An argument or option given to the API is not what it accepts (a name that is not a string, an options object
 * of the wrong shape, a number out of range): the message says what was given and what to pass instead. It is a
 * `TypeError`, so `catch (e) { if (e instanceof TypeError) … }` keeps working.
 *
 * @example
 * ```ts
 * new LocalEnvironment('');
 * // InvalidArgumentError: An environment name must be a non-empty string
 * ```
 */
export class InvalidArgumentError extends TypeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
