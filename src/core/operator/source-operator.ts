import type { SourceSpec } from '../../kernel/runtime/operator-spec.js';
import { ArrayDriver } from '../../kernel/runtime/source/array-driver.js';
import { AsyncIterableDriver } from '../../kernel/runtime/source/async-iterable-driver.js';
import { IterableDriver } from '../../kernel/runtime/source/iterable-driver.js';
import { ObservableDriver } from '../../kernel/runtime/source/observable-driver.js';
import { PollDriver } from '../../kernel/runtime/source/poll-driver.js';
import type { BatchTransformation } from '../transformation/batch-transformation.js';
import type { ObservableTransformation } from '../transformation/observable-transformation.js';
import type { SourceTransformation } from '../transformation/source-transformation.js';
import { instantiate } from './bind-context.js';

/**
 * Lowers a bounded source: an Iterable is pulled, an AsyncIterable awaited record by record, a
 * `BatchFunction` polled until `undefined` or a `StopSignal`.
 *
 * @example
 * ```ts
 * const spec = lowerBatch(new BatchTransformation(init, { kind: 'iterable', items: [1, 2, 3] }));
 * ```
 */
export function lowerBatch(t: BatchTransformation): SourceSpec {
  const input = t.input;
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, control) => {
      switch (input.kind) {
        case 'iterable':
          return Array.isArray(input.items)
            ? new ArrayDriver(rt, control, input.items)
            : new IterableDriver(rt, control, input.items);
        case 'async-iterable':
          return new AsyncIterableDriver(rt, control, input.items);
        default: {
          const fn = instantiate(input.factory, rt);
          return new PollDriver(rt, control, () => fn.execute(), 'batch', 0);
        }
      }
    },
  };
}

/**
 * Lowers a polled source (`fromSource`): `undefined` waits `delay` ms on the job's scheduler, then polls again.
 *
 * @example
 * ```ts
 * const spec = lowerSource(new SourceTransformation(init, factory, 10));
 * ```
 */
export function lowerSource(t: SourceTransformation): SourceSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, control) => {
      const fn = instantiate(t.factory, rt);
      return new PollDriver(rt, control, () => fn.execute(), 'source', t.delay);
    },
  };
}

/**
 * Lowers `fromObservable`: subscribes while the job is wired; a bounded buffer absorbs bursts.
 *
 * @example
 * ```ts
 * const spec = lowerObservable(new ObservableTransformation(init, ticks$, 10_000, 'error'));
 * ```
 */
export function lowerObservable(t: ObservableTransformation): SourceSpec {
  return {
    name: t.name,
    kind: t.kind,
    errorPolicy: t.errorPolicy,
    keyed: t.keyedInput,
    create: (rt, control) => new ObservableDriver(rt, control, t.observable, t.bufferSize, t.overflow),
  };
}
