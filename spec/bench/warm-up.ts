import { InnerHashJoin, type BaseEnvironment } from '../../src/index.js';
import { KeyedCount, type KeyedRecord } from './keyed-count.js';
import { CallEcho, Echo } from './service-call.js';
import { benchEnvironment } from './workload.js';

/** How much of each pipeline the warm-up runs. */
export interface WarmUpSizes {
  /** Records per pipeline run. */
  readonly records: number;
  /** Runs of every pipeline. */
  readonly rounds: number;
}

type Pipeline = (env: BaseEnvironment, numbers: readonly number[], sink: (x: unknown) => void) => void;

/** The mixed pipelines a long-lived process runs before the measured one: every kind of step and record. */
const PIPELINES: readonly [string, Pipeline][] = [
  [
    'coMap',
    (env, numbers, sink) => {
      env
        .fromBatch(numbers)
        .connect(env.fromBatch(numbers.map(String)))
        .coMap([(x) => x + 1, (s) => s.length])
        .sink(sink);
    },
  ],
  [
    'join',
    (env, numbers, sink) => {
      const users = env.fromBatch(numbers.map((id) => ({ id, name: `user-${String(id)}` })));
      const orders = env.fromBatch(numbers.map((i) => ({ userId: i % 100, item: i })));
      users
        .keyBy((u) => u.id)
        .connect(orders.keyBy((o) => o.userId))
        .join(InnerHashJoin, { args: [(u: unknown, o: unknown) => [u, o]] })
        .sink(sink);
    },
  ],
  [
    'async map',
    (env, numbers, sink) => {
      env
        .fromBatch(numbers)
        .map((x) => Promise.resolve(x * 2))
        .sink(sink);
    },
  ],
  [
    'service call',
    (env, numbers, sink) => {
      env.registerService('echo', Echo);
      env.fromBatch(numbers).map(CallEcho).sink(sink);
    },
  ],
  [
    'keyed, parallelism 2',
    (env, numbers, sink) => {
      const records: KeyedRecord[] = numbers.map((value) => ({ key: `user-${String(value % 500)}`, value }));
      env
        .fromBatch(records)
        .keyBy((r) => r.key)
        .map(KeyedCount, { parallelism: 2 })
        .sink(sink, { parallelism: 2 });
    },
  ],
  [
    'object records',
    (env, numbers, sink) => {
      env
        .fromBatch(numbers.map((id) => ({ id, key: `k${String(id % 10)}`, value: id })))
        .map((r) => ({ ...r, value: r.value + 1 }))
        .filter((r) => r.key !== 'k3')
        .flatMap((r) => [r, r])
        .sink(sink);
    },
  ],
  [
    'fan-out',
    (env, numbers, sink) => {
      const evens = env.fromBatch(numbers).filter((x) => x % 2 === 0);
      evens.map((x) => x + 1).sink(sink);
      evens.map((x) => String(x)).sink(sink);
      evens.sink(sink);
    },
  ],
];

/**
 * Runs a mix of other pipelines (coMap, join, async map, a service call, keyed at parallelism 2, object
 * records with flatMap, fan-out) `rounds` times, as a long-lived process or JobManager server would have run
 * before the measured job. Resolves with the number of records the sinks saw.
 *
 * @example
 * ```ts
 * await warmUp({ records: 20_000, rounds: 3 });
 * // now measure: the engine's per-record code has seen every kind of step
 * ```
 */
export async function warmUp(sizes: WarmUpSizes): Promise<number> {
  const numbers = Array.from({ length: sizes.records }, (_, i) => i);
  let seen = 0;
  const sink = (): void => {
    seen++;
  };
  for (let round = 0; round < sizes.rounds; round++) {
    for (const [name, build] of PIPELINES) {
      const env = benchEnvironment(`bench-warm-up-${name}`);
      build(env, numbers, sink);
      await env.submit({ autostop: true });
    }
  }
  return seen;
}

/** The names of the warm-up pipelines, in the order they run. */
export const WARM_UP_PIPELINES: readonly string[] = PIPELINES.map(([name]) => name);
