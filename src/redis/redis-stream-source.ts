import { importRedis } from './import-redis.js';
import { SourceFunction, type SourceResult } from '../core/api/function/source-function.js';
import { StopSignal } from '../kernel/runtime/stop-signal.js';

/** What a `RedisStreamSource` reads. */
export interface RedisStreamSourceOptions {
  /** The Redis server, e.g. `redis://127.0.0.1:6379`. */
  readonly url: string;
  /** The stream to read. */
  readonly stream: string;
  /** `'0'` (default): from the first entry; `'$'`: only entries added after the source first started. */
  readonly from?: '0' | '$';
  /** End the stream when a read finds nothing new (a bounded replay); by default the source waits for more. */
  readonly stopWhenCaughtUp?: boolean;
  /** Entries fetched per read (default 100). */
  readonly count?: number;
}

/** What the source uses of a node-redis client. */
interface Client {
  sendCommand(args: readonly string[]): Promise<unknown>;
  close(): Promise<unknown>;
}

type RawEntry = [string, string[]];

/**
 * A source that reads an existing Redis stream in order, one record per entry: the JSON of field `d` when the
 * entry has one (what `RedisStreamSink` writes), else the entry's field map. It is replayable: its position
 * (the id of the last entry it emitted) is its checkpointed state in-process, so a job restored from a
 * checkpoint or savepoint reads on after that entry. Under the Redis backend a stage that starts with a source
 * is replayed from the start and drops what it already committed, which is exact as long as the stream is not
 * trimmed below the entries the job has not finished.
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
  private client: Promise<Client> | undefined;

  constructor(private readonly options: RedisStreamSourceOptions) {
    super();
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
    const map: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
    return (map.d !== undefined ? JSON.parse(map.d) : map) as T;
  }

  /** Reads the next entries after the position into the buffer; true when it found some. */
  private async fetch(): Promise<boolean> {
    const client = await this.connection();
    if (this.position === '') {
      if (this.options.from === '$') {
        const last = (await client.sendCommand([
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
    const entries = (await client.sendCommand([
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

  private connection(): Promise<Client> {
    this.client ??= (async () => {
      const { createClient } = await importRedis('RedisStreamSource');
      const client = createClient({ url: this.options.url });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    })();
    return this.client;
  }
}
