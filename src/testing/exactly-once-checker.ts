import { SinkFunction } from '../core/api/function/sink-function.js';
import { ExactlyOnceViolationError } from './exactly-once-violation-error.js';
import type { SequenceRecord } from './sequence-source.js';

/**
 * A keyed sink for exactly-once tests (Flink's `SemanticsCheckMapper` idea): it keeps, in keyed state, the last
 * sequence number of every key and throws {@link ExactlyOnceViolationError} when a record's `seq` is not the
 * last one plus 1. Its state is checkpointed with the job, so across failures and restores it checks that every
 * record's effect on state happened exactly once. Count violations in the job status (`errors` of this
 * operator) or let them fail the job with `errorPolicy: 'fail'`.
 *
 * @example
 * ```ts
 * env.fromBatch(SequenceSource, { args: [{ keys: 4, perKey: 500 }] })
 *   .keyBy((r) => r.key)
 *   .sink(ExactlyOnceChecker, { name: 'check' });
 * ```
 */
export class ExactlyOnceChecker extends SinkFunction<SequenceRecord> {
  execute(record: SequenceRecord): void {
    const last = this.ctx.state.value('lastSeq', 0);
    const expected = last.get() + 1;
    if (record.seq !== expected) {
      throw new ExactlyOnceViolationError(
        `key ${String(record.key)} expected sequence ${String(expected)}, got ${String(record.seq)}`,
      );
    }
    last.set(record.seq);
  }
}
