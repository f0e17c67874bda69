import { createClient } from 'redis';
import { SinkFunction } from '../core/api/function/sink-function.js';
import { COMMIT_WRITER, type CommitWriter } from '../kernel/backend/redis/commit-writer.js';

/** Where a `RedisStreamSink` appends. */
export interface RedisStreamSinkOptions {
  /** The Redis server, e.g. `redis://127.0.0.1:6379` (used outside the Redis backend). */
  readonly url: string;
  /**
   * The stream. Under the Redis backend `{task}` in the name stands for the hash tag of the task that writes it
   * (`'{task}:out'`), which Redis Cluster needs for exactly-once output (see `CrossSlotError`).
   */
  readonly stream: string;
}

/** What the sink uses of a node-redis client. */
interface Client {
  sendCommand(args: readonly string[]): Promise<unknown>;
  close(): Promise<unknown>;
}

/**
 * A sink that appends each record to a Redis stream as one entry whose field `d` holds its JSON. Under the
 * Redis backend the appends are part of the task's atomic commit (exactly-once output); under any other
 * backend it appends with its own connection as records arrive (at-least-once across restarts).
 *
 * @example
 * ```ts
 * counts.sink(RedisStreamSink, { args: [{ url: 'redis://127.0.0.1:6379', stream: 'counts' }] });
 * ```
 */
export class RedisStreamSink<T> extends SinkFunction<T> {
  private client: Promise<Client> | undefined;

  constructor(private readonly options: RedisStreamSinkOptions) {
    super();
  }

  execute(record: T): void | Promise<void> {
    const data = JSON.stringify(record);
    const writer = this.ctx.config[COMMIT_WRITER] as CommitWriter | undefined;
    if (writer !== undefined) {
      writer.append(this.options.stream, data);
      return;
    }
    return this.connection().then(async (client) => {
      await client.sendCommand(['XADD', this.options.stream, '*', 'd', data]);
    });
  }

  /** Closes the connection of an in-process run. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await (await client).close();
  }

  private connection(): Promise<Client> {
    this.client ??= (async () => {
      const client = createClient({ url: this.options.url });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    })();
    return this.client;
  }
}
