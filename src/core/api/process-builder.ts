import { InvalidFunctionError } from '../../errors/invalid-function-error.js';
import { UnkeyedTimerError } from '../../errors/unkeyed-timer-error.js';
import type { FunctionFactory } from '../transformation/function-factory.js';
import { ProcessTransformation, type ProcessLike } from '../transformation/process-transformation.js';
import { SideOutputTransformation } from '../transformation/side-output-transformation.js';
import type { Transformation } from '../transformation/transformation.js';
import type { BaseEnvironment } from './base-environment.js';
import type { RawOptions } from './chain-builder.js';
import { KeyedProcessFunction } from './function/keyed-process-function.js';
import { ProcessFunction } from './function/process-function.js';
import { isClass } from './function/to-factory.js';
import { OutputTag } from './time/output-tag.js';

const EXPECTED = 'a ProcessFunction or KeyedProcessFunction class, or a function (value) => output';

/**
 * Adds `process(fn)` after `input` (at its parallelism unless the options say otherwise) and returns its
 * transformation. A `KeyedProcessFunction` on a stream that is not hash-keyed throws UnkeyedTimerError.
 *
 * @example
 * ```ts
 * const t = buildProcess(env, keyed.transformation, Alert, undefined);
 * ```
 */
export function buildProcess(
  env: BaseEnvironment,
  input: Transformation,
  fn: unknown,
  options: RawOptions,
): ProcessTransformation {
  const factory = processFactory(fn, options?.args);
  if (isClass(fn) && fn.prototype instanceof KeyedProcessFunction && input.partitioning !== 'hash') {
    throw new UnkeyedTimerError(
      `process(${fn.name}): a KeyedProcessFunction needs a hash-keyed stream (its timers and state are ` +
        `per key): call keyBy(...) before process(...), or extend ProcessFunction`,
    );
  }
  const init = env.operatorInit('process', fn, { parallelism: input.parallelism, ...options }, [input]);
  const t = new ProcessTransformation(init, factory);
  env.addTransformation(t);
  return t;
}

/**
 * Adds `getSideOutput(tag)` of a process step and returns its transformation (one per call; the process step
 * then sends the tag's values to it).
 *
 * @example
 * ```ts
 * const t = buildSideOutput(env, processed.transformation, lateTag);
 * ```
 */
export function buildSideOutput(env: BaseEnvironment, input: Transformation, tag: unknown): Transformation {
  if (!(tag instanceof OutputTag)) {
    throw new InvalidFunctionError('getSideOutput', 'an OutputTag (new OutputTag<T>(id))', tag);
  }
  if (!(input instanceof ProcessTransformation)) {
    throw new InvalidFunctionError(
      'getSideOutput',
      'a stream made by process(...) (only process functions have side outputs)',
      input.name,
    );
  }
  const id = (tag as OutputTag<unknown>).id;
  input.sideOutputs.add(id);
  const init = env.operatorInit('sideOutput', undefined, { parallelism: input.parallelism }, [input]);
  const t = new SideOutputTransformation(init, id);
  env.addTransformation(t);
  return t;
}

function processFactory(fn: unknown, args: readonly unknown[] | undefined): FunctionFactory<ProcessLike> {
  if (typeof fn !== 'function') throw new InvalidFunctionError('process', EXPECTED, fn);
  if (args !== undefined && !Array.isArray(args)) {
    throw new InvalidFunctionError('process', 'options.args to be an array of constructor arguments', args);
  }
  if (isClass(fn)) {
    const proto = fn.prototype as Partial<ProcessLike>;
    if (!(proto instanceof ProcessFunction) && typeof proto.processElement !== 'function') {
      throw new InvalidFunctionError('process', EXPECTED, fn);
    }
    const ctorArgs: readonly unknown[] = args ?? [];
    return { label: fn.name, create: () => new fn(...ctorArgs) as ProcessLike };
  }
  if (args !== undefined && args.length > 0) {
    throw new InvalidFunctionError('process', 'options.args only together with a function class', fn);
  }
  const body = fn as (this: ProcessFunction<unknown, unknown>, value: unknown) => unknown;
  return {
    label: fn.name,
    create: () =>
      new (class extends ProcessFunction<unknown, unknown> {
        processElement(value: unknown): unknown {
          return body.call(this, value);
        }
      })(),
  };
}
