import type { OperatorFunction } from 'rxjs';
import { describeValue } from '../../errors/describe-value.js';
import { InvalidFunctionError } from '../../errors/invalid-function-error.js';
import { PipeTransformation } from '../transformation/pipe-transformation.js';
import type { Transformation } from '../transformation/transformation.js';
import type { BaseEnvironment } from './base-environment.js';
import type { ChainOptions } from './chain-options.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';

/** Options of `stream.pipe(...)`, given as a trailing plain object. */
export interface PipeOptions extends ChainOptions {
  /**
   * On a hash-keyed stream, completes a key's chain after this many ms of the job's scheduler without a record
   * for that key (what the chain emits while completing flows on; the key's next record starts a fresh chain).
   * A key whose chain its operators completed (`take(n)`) is forgotten after the same idle time, so its next
   * record starts a fresh chain too. Without it a key's chain, or the mark of a key whose chain completed,
   * lives until the end of input, so an endless key space needs it to bound memory.
   */
  keyIdleTimeoutMs?: number;
}

/**
 * Splits the arguments of `pipe(op1, op2, …, options?)`, checks them and adds the `pipe` transformation over
 * one input or the union of several (connected streams). Without `parallelism` the step takes its input's
 * (the largest of its inputs').
 *
 * @example
 * ```ts
 * const t = buildPipe(env, [stream.transformation], [bufferCount(2), { name: 'pairs' }]);
 * ```
 */
export function buildPipe(
  env: BaseEnvironment,
  inputs: readonly Transformation[],
  args: readonly unknown[],
): PipeTransformation {
  const last = args[args.length - 1];
  // A trailing `undefined` is an options argument left out (`pipe(op, maybeOptions)`), as its type allows.
  const hasOptions = (typeof last === 'object' && last !== null) || (args.length > 0 && last === undefined);
  const operators = hasOptions ? args.slice(0, -1) : args;
  for (const op of operators) {
    if (typeof op !== 'function') throw new InvalidFunctionError('pipe', 'RxJS operator functions', op);
  }
  const options = (hasOptions ? last : undefined) as PipeOptions | undefined;
  const idle: unknown = options?.keyIdleTimeoutMs;
  if (idle !== undefined && (typeof idle !== 'number' || !Number.isFinite(idle) || idle <= 0)) {
    throw new InvalidArgumentError(
      `pipe: keyIdleTimeoutMs must be a number of milliseconds > 0, got ${describeValue(idle)}`,
    );
  }
  const parallelism = Math.max(...inputs.map((t) => t.parallelism));
  const init = env.operatorInit('pipe', undefined, { parallelism, ...options }, inputs);
  const t = new PipeTransformation(init, operators as OperatorFunction<unknown, unknown>[], idle);
  env.addTransformation(t);
  return t;
}
