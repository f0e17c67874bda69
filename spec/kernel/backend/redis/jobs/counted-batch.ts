import { concatMap, from, take, timer } from 'rxjs';
import type { LocalEnvironment } from '../../../../../src/core/api/local-environment.js';
import { MapFunction } from '../../../../../src/core/api/function/map-function.js';
import { LogStreamSink } from '../../../../../src/kernel/backend/redis/log-stream-sink.js';

/** Arguments of the job: `n` records over `keys` keys; outputs to the log stream `out`, or to `collected`. */
export interface CountedArgs {
  readonly n: number;
  readonly keys: number;
  readonly parallelism: number;
  readonly out?: string;
  /** When set, the records come 4 every `everyMs` ms (a paced source), else all at once from a batch. */
  readonly everyMs?: number;
}

interface Rec {
  readonly k: string;
  readonly v: number;
}

class KeyedCount extends MapFunction<Rec, [string, number, number]> {
  execute(r: Rec): [string, number, number] {
    const count = this.ctx.state.value('count', 0);
    const n = count.get() + 1;
    count.set(n);
    return [r.k, r.v, n];
  }
}

/** What the job emits when it runs in-process (no `out`): `[key, value, count]`. */
export const collected: [string, number, number][] = [];

/** The records of the job: record `i` has key `k<i % keys>`. */
export function recordsOf(args: CountedArgs): Rec[] {
  return Array.from({ length: args.n }, (_, i) => ({ k: `k${String(i % args.keys)}`, v: i }));
}

/**
 * A keyed count over a batch, for the Redis backend's JobManager specs: under the Redis backend its outputs go
 * to the log stream `out` inside each commit; in-process (a restored savepoint) to `collected`.
 */
export default function build(env: LocalEnvironment, args: CountedArgs): void {
  const records = recordsOf(args);
  const source =
    args.everyMs === undefined
      ? env.fromBatch(records, { name: 'src' })
      : env.fromObservable(
          timer(0, args.everyMs).pipe(
            take(Math.ceil(args.n / 4)),
            concatMap((t) => from(records.slice(t * 4, t * 4 + 4))),
          ),
          { name: 'src' },
        );
  const counted = source.keyBy((r) => r.k).map(KeyedCount, { name: 'count', parallelism: args.parallelism });
  if (args.out !== undefined) {
    counted.sink(LogStreamSink, { name: 'out', args: [{ stream: args.out }], parallelism: args.parallelism });
  } else {
    counted.sink(
      (x) => {
        collected.push(x);
      },
      { name: 'out', parallelism: args.parallelism },
    );
  }
}
