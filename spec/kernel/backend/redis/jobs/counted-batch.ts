import type { LocalEnvironment } from '../../../../../src/core/api/local-environment.js';
import { KeyedCount, type KeyedRecord } from '../keyed-count-job.js';
import { SourceFunction } from '../../../../../src/core/api/function/source-function.js';
import { LogStreamSink } from '../../../../../src/kernel/backend/redis/log-stream-sink.js';
import { StopSignal } from '../../../../../src/kernel/runtime/stop-signal.js';

/** Arguments of the job: `n` records over `keys` keys; outputs to the log stream `out`, or to `collected`. */
export interface CountedArgs {
  readonly n: number;
  readonly keys: number;
  readonly parallelism: number;
  readonly out?: string;
  /** When set, the records come 4 every `everyMs` ms (a paced source), else all at once from a batch. */
  readonly everyMs?: number;
}

/** Record `i` of `keys` keys. */
function recordAt(i: number, keys: number): KeyedRecord {
  return { k: `k${String(i % keys)}`, v: i };
}

/** Emits records 0..n-1, 4 every `everyMs` ms; its position `i` is its state (restored by a savepoint). */
class PacedSource extends SourceFunction<KeyedRecord> {
  i = 0;
  private nextAt = 0;

  constructor(
    private readonly n: number,
    private readonly keys: number,
    private readonly everyMs: number,
  ) {
    super();
  }

  execute(): KeyedRecord | undefined | StopSignal {
    if (this.i >= this.n) return new StopSignal();
    const now = Date.now();
    if (this.i % 4 === 0) {
      if (now < this.nextAt) return undefined;
      this.nextAt = now + this.everyMs;
    }
    return recordAt(this.i++, this.keys);
  }
}

/**
 * What the job emits when it runs in-process (no `out`): `[key, value, count]`. Kept on `globalThis`, because
 * the JobManager imports the module anew (with a cache-busting query) and so gets its own module instance.
 */
export function collected(): [string, number, number][] {
  const g = globalThis as { sageCountedBatch?: [string, number, number][] };
  return (g.sageCountedBatch ??= []);
}

/**
 * A keyed count, for the Redis backend's JobManager specs: under the Redis backend its outputs go to the log
 * stream `out` inside each commit; in-process (a restored savepoint) to `collected`.
 */
export default function build(env: LocalEnvironment, args: CountedArgs): void {
  const source =
    args.everyMs === undefined
      ? env.fromBatch(
          Array.from({ length: args.n }, (_, i) => recordAt(i, args.keys)),
          { name: 'src' },
        )
      : env.fromSource(PacedSource, { name: 'src', args: [args.n, args.keys, args.everyMs], delay: 1 });
  const counted = source.keyBy((r) => r.k).map(KeyedCount, { name: 'count', parallelism: args.parallelism });
  if (args.out !== undefined) {
    counted.sink(LogStreamSink, { name: 'out', args: [{ stream: args.out }], parallelism: args.parallelism });
  } else {
    counted.sink(
      (x) => {
        collected().push(x);
      },
      { name: 'out', parallelism: args.parallelism },
    );
  }
}
