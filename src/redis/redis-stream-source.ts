import { SourceFunction, type SourceResult } from '../core/api/function/source-function.js';
import { checkStreamOptions } from './check-stream-options.js';
import type { TaskContext } from '../kernel/runtime/context/task-context.js';
import { SOURCE_POSITION, type SourcePosition } from '../kernel/backend/redis/source-position.js';
import { StopSignal } from '../kernel/runtime/stop-signal.js';
import { connectRedis, type RedisConnection } from './redis-connection.js';

/** What a `RedisStreamSource` reads. */
export interface RedisStreamSourceOptions {
  /** The Redis server, e.g. `redis://127.0.0.1:6379`, or a cluster: `redis+cluster://host1:port1,host2:port2`. */
  readonly url: string;
  /** The stream to read. */
  readonly stream: string;
  /**
   * `'0'` (default): from the first entry; `'$'`: only entries added after the source first started. A source
   * restored from a checkpoint, or resuming after its committed position under the Redis backend, reads on.
   */
  readonly from?: '0' | '$';
  /** End the stream when a read finds nothing new (a bounded replay); by default the source waits for more. */
  readonly stopWhenCaughtUp?: boolean;
  /** Entries fetched per read (default 100). */
  readonly count?: number;
}

type RawEntry = [string, string[]];

/**
 * A source that reads an existing Redis stream in order, one record per entry: the JSON of field `d` when the
 * entry has one (what `RedisStreamSink` writes), else the entry's field map. It is replayable: its position
 * (the id of the last entry it emitted) is its checkpointed state in-process, so a job restored from a
 * checkpoint or savepoint reads on after that entry. Under the Redis backend its position is committed with
 * its task's state and outputs in the same atomic step, so a worker that takes the task over reads on after
 * the last committed entry: exact after `kill -9`, on a trimmed stream and with `from: '$'`.
 *
 * @example
 * ```ts
 * env
 *   .fromSource(RedisStreamSource, { args: [{ url: 'redis://127.0.0.1:6379', stream: 'orders' }] })
 *   .map((order) => order)
 *   .print();
 * ```
 */
export class RedisStreamSource<T = unknown> extends SourceFunction<T> {
  /** Id of the last entry emitted ('' before the first): the checkpointed position. */
  position = '';
  private readonly buffer: RawEntry[] = [];
  private client: Promise<RedisConnection> | undefined;
  private started = false;

  constructor(private readonly options: RedisStreamSourceOptions) {
    super();
    checkStreamOptions('RedisStreamSource', options, true);
  }

  execute(): SourceResult<T> {
    const next = this.buffer.shift();
    if (next !== undefined) return this.emit(next);
    return this.fetch().then((found) => {
      const first = this.buffer.shift();
      if (first !== undefined) return this.emit(first);
      return found || this.options.stopWhenCaughtUp !== true ? undefined : new StopSignal();
    });
  }

  /** The position, for checkpoints and savepoints. */
  override snapshotState(): unknown {
    return { position: this.position };
  }

  /** Reads on after the saved position. */
  override restoreState(state: unknown): void {
    const position = (state as { position?: unknown } | undefined)?.position;
    if (typeof position === 'string') this.position = position;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) await (await client).close();
  }

  private emit([id, fields]: RawEntry): T {
    this.position = id;
    this.committer()?.moved(id);
    const map: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
    return (map.d !== undefined ? JSON.parse(map.d) : map) as T;
  }

  /** Reads the next entries after the position into the buffer; true when it found some. */
  private async fetch(): Promise<boolean> {
    const client = await this.connection();
    if (!this.started) {
      this.started = true;
      // Under the Redis backend the committed position wins over a restored one (taken after it, perhaps).
      const committed = this.committer()?.committed;
      if (committed !== undefined) this.position = committed;
    }
    if (this.position === '') {
      if (this.options.from === '$') {
        const last = (await client.send(this.options.stream, [
          'XREVRANGE',
          this.options.stream,
          '+',
          '-',
          'COUNT',
          '1',
        ])) as RawEntry[] | null;
        this.position = last?.[0]?.[0] ?? '0-0';
      } else this.position = '0-0';
    }
    const count = String(this.options.count ?? 100);
    const entries = (await client.send(this.options.stream, [
      'XRANGE',
      this.options.stream,
      `(${this.position}`,
      '+',
      'COUNT',
      count,
    ])) as RawEntry[] | null;
    if (entries === null || entries.length === 0) return false;
    this.buffer.push(...entries);
    return true;
  }

  /** The task's commits under the Redis backend (undefined elsewhere). */
  private committer(): SourcePosition | undefined {
    // A source built by hand (outside a job) has no context.
    const ctx = this.ctx as TaskContext | undefined;
    return ctx?.config[SOURCE_POSITION] as SourcePosition | undefined;
  }

  private connection(): Promise<RedisConnection> {
    this.client ??= connectRedis({ url: this.options.url }, 'RedisStreamSource');
    return this.client;
  }
}
