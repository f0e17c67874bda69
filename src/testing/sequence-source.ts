import { BatchFunction } from '../core/api/function/batch-function.js';
import { StopSignal } from '../kernel/runtime/stop-signal.js';

/** One record of a {@link SequenceSource}: the `seq`-th record of key `key` (1, 2, 3, …). */
export interface SequenceRecord {
  readonly key: number;
  readonly seq: number;
}

/**
 * A bounded source for exactly-once tests (as Flink's end-to-end tests use): `keys` keys, each with the
 * sequence numbers 1..`perKey`, emitted key after key round by round. Parallel instances split the keys
 * (instance i emits the keys k with k mod parallelism = i). Its position is plain data, so checkpoints and
 * savepoints save it and a restored job reads on from the cut.
 *
 * @example
 * ```ts
 * env.fromBatch(SequenceSource, { args: [{ keys: 10, perKey: 1000 }], parallelism: 2 })
 *   .keyBy((r) => r.key)
 *   .sink(ExactlyOnceChecker);
 * ```
 */
export class SequenceSource extends BatchFunction<SequenceRecord> {
  /** Next sequence number and next key slot of this instance. */
  seq = 1;
  slot = 0;

  constructor(private readonly spec: { readonly keys: number; readonly perKey: number }) {
    super();
  }

  execute(): SequenceRecord | StopSignal {
    const p = this.ctx.parallelism;
    const mine = Math.ceil((this.spec.keys - this.ctx.parallelIndex) / p);
    if (mine <= 0 || this.seq > this.spec.perKey) return new StopSignal();
    const record = { key: this.ctx.parallelIndex + this.slot * p, seq: this.seq };
    if (++this.slot >= mine) {
      this.slot = 0;
      this.seq++;
    }
    return record;
  }
}
