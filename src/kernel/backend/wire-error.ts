import { JobFailedError } from '../../errors/job-failed-error.js';
import { toError } from '../../errors/to-error.js';

/** An error as plain data, to cross a thread boundary; a JobFailedError keeps its job, operator and cause. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string | undefined;
  readonly job?: string;
  readonly operator?: string;
  readonly cause?: WireError;
}

/**
 * An error as plain data.
 *
 * @example
 * ```ts
 * port.postMessage({ type: 'ended', error: toWireError(e) });
 * ```
 */
export function toWireError(error: unknown): WireError {
  const e = toError(error);
  const base = { name: e.name, message: e.message, stack: e.stack };
  if (e instanceof JobFailedError) {
    return { ...base, job: e.jobName, operator: e.operator, cause: toWireError(e.cause) };
  }
  return base;
}

/**
 * The error again: a JobFailedError when it was one (its cause an Error with the original name, message and
 * stack), else an Error with the original name, message and stack.
 *
 * @example
 * ```ts
 * const error = fromWireError(message.error);
 * ```
 */
export function fromWireError(data: WireError): Error {
  if (data.job !== undefined && data.operator !== undefined && data.cause !== undefined) {
    return new JobFailedError(data.job, data.operator, fromWireError(data.cause));
  }
  const e = new Error(data.message);
  e.name = data.name;
  if (data.stack !== undefined) e.stack = data.stack;
  return e;
}
