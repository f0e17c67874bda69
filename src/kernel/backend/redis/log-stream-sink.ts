import { SinkFunction } from '../../../core/api/function/sink-function.js';
import { BackendUnavailableError } from '../../../errors/backend-unavailable-error.js';
import { COMMIT_WRITER, type CommitWriter } from './commit-writer.js';

/** Where a `LogStreamSink` appends. */
export interface LogStreamSinkOptions {
  /**
   * The stream. `{task}` in the name stands for the hash tag of the task that writes it (`'{task}:counts'`:
   * one stream per sink instance, in the slot of its commit), which Redis Cluster needs (see `CrossSlotError`).
   */
  readonly stream: string;
}

/**
 * A sink that appends each record, as one entry whose field `d` holds its JSON, to a stream of the job's log,
 * inside the atomic commit of the batch that produced it: exactly-once output under the Redis backend, across
 * worker crashes and zombies. It only runs under a log backend (use `RedisStreamSink` elsewhere).
 *
 * @example
 * ```ts
 * counts.sink(LogStreamSink, { args: [{ stream: 'counts' }] });
 * ```
 */
export class LogStreamSink<T> extends SinkFunction<T> {
  constructor(private readonly options: LogStreamSinkOptions) {
    super();
  }

  execute(record: T): void {
    const writer = this.ctx.config[COMMIT_WRITER] as CommitWriter | undefined;
    if (writer === undefined) {
      throw new BackendUnavailableError(
        'in-process',
        `LogStreamSink appends inside a log backend's commit; run the job with the Redis backend, or use RedisStreamSink`,
      );
    }
    writer.append(this.options.stream, JSON.stringify(record));
  }
}
