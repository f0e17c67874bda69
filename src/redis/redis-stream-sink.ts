import { SinkFunction } from '../core/api/function/sink-function.js';
import { checkStreamOptions } from './check-stream-options.js';
import { COMMIT_WRITER, type CommitWriter } from '../kernel/backend/redis/commit-writer.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';

/** Where a `RedisStreamSink` appends. */
export interface RedisStreamSinkOptions {
  /**
   * The Redis server, e.g. `redis://127.0.0.1:6379` or `redis+cluster://…` (used outside the Redis backend, and
   * on Redis Cluster for a stream outside the task's slot).
   */
  readonly url: string;
  /**
   * The stream. Under the Redis backend `{task}` in the name stands for the hash tag of the task that writes it
   * (`'{task}:out'`): on Redis Cluster the output is exactly-once only in the task's slot.
   */
  readonly stream: string;
}

/**
 * A sink that appends each record to a Redis stream as one entry whose field `d` holds its JSON. Under the
 * Redis backend the appends are part of the task's atomic commit (exactly-once output); under any other
 * backend it appends with its own connection as records arrive (at-least-once across restarts), and so it does
 * on Redis Cluster when its stream does not share the task's hash slot (`ctx.recordId` then gives an
 * idempotency key; name the stream `'{task}:…'` for exactly-once).
 *
 * @example
 * ```ts
 * counts.sink(RedisStreamSink, { args: [{ url: 'redis://127.0.0.1:6379', stream: 'counts' }] });
 * ```
 */
export class RedisStreamSink<T> extends SinkFunction<T> {
  private client: Promise<RedisConnection> | undefined;

  constructor(private readonly options: RedisStreamSinkOptions) {
    super();
    checkStreamOptions('RedisStreamSink', options, false);
  }

  execute(record: T): void | Promise<void> {
    const data = JSON.stringify(record);
    const writer = this.ctx.config[COMMIT_WRITER] as CommitWriter | undefined;
    if (writer !== undefined && (writer.inCommit?.(this.options.stream) ?? true)) {
      writer.append(this.options.stream, data);
      return;
    }
    return this.connection().then(async (client) => {
      await client.send(this.options.stream, ['XADD', this.options.stream, '*', 'd', data]);
    });
  }

  /** Closes the connection of an in-process run. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await (await client).close();
  }

  private connection(): Promise<RedisConnection> {
    this.client ??= connectRedis({ url: this.options.url }, 'RedisStreamSink');
    return this.client;
  }
}
