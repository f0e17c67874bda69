import type { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { MapFunction } from '../../src/core/api/function/map-function.js';

/** Arguments of the Redis bench job. */
export interface RedisBenchArgs {
  readonly records: number;
  readonly keys: number;
  readonly parallelism: number;
}

interface Rec {
  readonly k: number;
  readonly v: number;
}

class KeyedCount extends MapFunction<Rec, number> {
  execute(_r: Rec): number {
    const count = this.ctx.state.value('count', 0);
    const n = count.get() + 1;
    count.set(n);
    return n;
  }
}

/** The Redis bench job: `records` records over `keys` keys → keyBy → keyed count (state in Redis) → no-op sink. */
export default function build(env: LocalEnvironment, args: RedisBenchArgs): void {
  env
    .fromBatch(Array.from({ length: args.records }, (_, i): Rec => ({ k: i % args.keys, v: i })))
    .keyBy((r) => r.k)
    .map(KeyedCount, { name: 'count', parallelism: args.parallelism })
    .sink(() => undefined, { name: 'drop', parallelism: args.parallelism });
}
