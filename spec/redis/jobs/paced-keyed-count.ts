import { concatMap, map, range, take, timer } from 'rxjs';
import type { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { KeyedCount, type KeyedRecord } from '../../kernel/backend/redis/keyed-count-job.js';
import { LogStreamSink } from '../../../src/kernel/backend/redis/log-stream-sink.js';

/** Arguments of the job: `ticks` ticks every `everyMs`, each emitting `perTick` records over `keys` keys. */
export interface PacedArgs {
  readonly ticks: number;
  readonly perTick: number;
  readonly everyMs: number;
  readonly keys: number;
  readonly parallelism: number;
  readonly out: string;
}

/**
 * A keyed count over a paced, deterministic source (record `i` has key `k<i % keys>`), whose outputs go to a
 * stream inside each commit: what the Redis failover specs run in `sage worker` processes.
 */
export default function build(env: LocalEnvironment, args: PacedArgs): void {
  env
    .fromObservable(
      timer(0, args.everyMs).pipe(
        take(args.ticks),
        concatMap((t) => range(t * args.perTick, args.perTick)),
        map((i): KeyedRecord => ({ k: `k${String(i % args.keys)}`, v: i })),
      ),
      { name: 'ticks' },
    )
    .keyBy((r) => r.k)
    .map(KeyedCount, { name: 'count', parallelism: args.parallelism })
    .sink(LogStreamSink, { name: 'out', args: [{ stream: args.out }], parallelism: args.parallelism });
}
