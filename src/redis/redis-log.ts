import { createHash } from 'node:crypto';
import {
  START,
  type CommitResult,
  type CommitTx,
  type CommittedHead,
  type CommittedTask,
  type JobControl,
  type JobRecord,
  type LeaseToken,
  type LogEntry,
  type LogMember,
  type PartitionedLog,
  type Position,
  type TaskProgress,
} from '../kernel/backend/redis/partitioned-log.js';
import { connectRedis, type CommandOptions, type RedisConnection } from './redis-connection.js';
import { COMMIT_SCRIPT, HEARTBEAT_SCRIPT, RELEASE_SCRIPT, RENEW_SCRIPT } from './redis-scripts.js';
import { keySlot } from './key-slot.js';
import { SlotGuard } from './slot-guard.js';

/**
 * Options of the commands on a task's hot path (reads, commits, trims): no client-side time-out, whose timer
 * and abort signal per command cost more than the command. A connection that hangs is still noticed: the
 * worker's control commands (heartbeat, lease renewal) keep the client's time-out, so the lease of a task stuck
 * on a hung read or commit expires and the task is dropped; a commit refused or in doubt ends the task.
 */
const HOT: CommandOptions = { timeout: 0 };

/** Options of `RedisLog.connect`. */
export interface RedisLogOptions {
  /** Prefix of the shared keys (members, jobs); default `'sage'`. Task keys are named by their job. */
  readonly prefix?: string;
  /** Treat a plain `redis://` URL as a node of a Redis Cluster (a `redis+cluster://` URL or a list is one). */
  readonly cluster?: boolean;
  /**
   * Check that every script's keys hash to one slot before it runs, and throw a `CrossSlotError` otherwise:
   * on by default on a cluster; turn it on against one server to rehearse a cluster deployment.
   */
  readonly checkSlots?: boolean;
}

/**
 * The `PartitionedLog` on Redis Streams (Redis ≥ 6.2 or Valkey), with the official `redis` client. Every key
 * a task writes atomically carries the task's hash tag (`{job:stage:instance}:lease`, `:pos`, `:state`,
 * `:done`, `:timers` (the state fields that hold keyed timers), and its output streams
 * `{job:stage:instance}:x:…`), so the commit script runs on Redis Cluster
 * too. Commits run with EVALSHA (EVAL after a server restart emptied the script cache); the client reconnects
 * by itself, and a command lost to a disconnection fails, after which the task reloads what was committed.
 * On a Redis Cluster (`redis+cluster://host1:port1,host2:port2`) each command goes to the node of its key's
 * slot, and the keys of every script are checked to share one slot before it runs (`CrossSlotError`).
 *
 * @example
 * ```ts
 * const log = await RedisLog.connect('redis://127.0.0.1:6379');
 * const lease = await log.acquire('job-1:1:0', 'worker-a', 3000);
 * ```
 */
export class RedisLog implements PartitionedLog {
  private readonly shas = new Map<string, string>();
  private readonly guard: SlotGuard | undefined;

  private constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
    checkSlots: boolean,
  ) {
    this.guard = checkSlots ? new SlotGuard() : undefined;
  }

  /**
   * Connects to `url`: `redis://host:port` (one server), `redis+cluster://host1:port1,host2:port2` or a list of
   * node URLs (a Redis Cluster, found from any of its nodes); reconnects by itself after a lost connection.
   *
   * @example
   * ```ts
   * const log = await RedisLog.connect(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
   * const onCluster = await RedisLog.connect('redis+cluster://10.0.0.1:7000,10.0.0.2:7000');
   * ```
   */
  static async connect(url: string | readonly string[], options: RedisLogOptions = {}): Promise<RedisLog> {
    const client = await connectRedis(
      {
        url,
        ...(options.cluster !== undefined ? { cluster: options.cluster } : {}),
      },
      'RedisLog.connect',
    );
    return new RedisLog(client, options.prefix ?? 'sage', options.checkSlots ?? client.cluster);
  }

  /**
   * True when connected to a Redis Cluster.
   *
   * @example
   * ```ts
   * if (log.cluster) console.log('sink streams need the {task} hash tag');
   * ```
   */
  get cluster(): boolean {
    return this.client.cluster;
  }

  async read(stream: string, after: Position, max: number): Promise<LogEntry[]> {
    const reply = await this.client.send(
      stream,
      ['XREAD', 'COUNT', String(max), 'STREAMS', stream, after],
      HOT,
    );
    if (reply === null || typeof reply !== 'object') return [];
    // RESP2 gives [[stream, messages]]; the client may map it to { stream: messages }.
    const messages = (Array.isArray(reply) ? (reply[0] as [string, unknown])[1] : Object.values(reply)[0]) as
      [string, string[]][] | undefined;
    return (messages ?? []).map(([id, fields]) => ({ id, data: fieldD(fields) }));
  }

  async append(stream: string, entries: readonly string[]): Promise<void> {
    await Promise.all(entries.map((d) => this.client.send(stream, ['XADD', stream, '*', 'd', d])));
  }

  async acquire(task: string, worker: string, ttlMs: number): Promise<LeaseToken | undefined> {
    const token = `${worker}:${String(Date.now())}:${Math.random().toString(36).slice(2, 10)}`;
    const reply = await this.client.send(`{${task}}:lease`, [
      'SET',
      `{${task}}:lease`,
      token,
      'NX',
      'PX',
      String(ttlMs),
    ]);
    return reply === 'OK' ? { task, token } : undefined;
  }

  async renew(lease: LeaseToken, ttlMs: number): Promise<boolean> {
    const reply = await this.script(RENEW_SCRIPT, [`{${lease.task}}:lease`], [lease.token, String(ttlMs)]);
    return reply === 1;
  }

  async release(lease: LeaseToken): Promise<void> {
    await this.script(RELEASE_SCRIPT, [`{${lease.task}}:lease`], [lease.token]);
  }

  async load(task: string): Promise<CommittedTask> {
    const [pos, state, done, timers] = await Promise.all([
      this.client.send(`{${task}}:pos`, ['HGETALL', `{${task}}:pos`]),
      this.client.send(`{${task}}:state`, ['HGETALL', `{${task}}:state`]),
      this.client.send(`{${task}}:done`, ['GET', `{${task}}:done`]),
      this.client.send(`{${task}}:timers`, ['SMEMBERS', `{${task}}:timers`]),
    ]);
    return { positions: pairs(pos), state: pairs(state), done: done === '1', timerFields: members(timers) };
  }

  async loadHead(task: string): Promise<CommittedHead> {
    const [pos, size, done, timers] = await Promise.all([
      this.client.send(`{${task}}:pos`, ['HGETALL', `{${task}}:pos`]),
      this.client.send(`{${task}}:state`, ['HLEN', `{${task}}:state`]),
      this.client.send(`{${task}}:done`, ['GET', `{${task}}:done`]),
      this.client.send(`{${task}}:timers`, ['SMEMBERS', `{${task}}:timers`]),
    ]);
    return {
      positions: pairs(pos),
      done: done === '1',
      stateSize: Number(size),
      timerFields: members(timers),
    };
  }

  async loadState(task: string, fields: readonly string[]): Promise<(string | undefined)[]> {
    if (fields.length === 0) return [];
    const reply = await this.client.send(`{${task}}:state`, ['HMGET', `{${task}}:state`, ...fields], HOT);
    return (reply as (string | null)[]).map((v) => v ?? undefined);
  }

  async commit(tx: CommitTx): Promise<CommitResult> {
    const t = `{${tx.lease.task}}`;
    const keys = [
      `${t}:lease`,
      `${t}:pos`,
      `${t}:state`,
      `${t}:done`,
      ...tx.outputs.map((o) => o.stream),
      `${t}:timers`,
    ];
    const args: string[] = [tx.lease.token, String(tx.positions.length)];
    for (const p of tx.positions) args.push(p.field, p.prev, p.next);
    const sets = tx.state.filter((s): s is readonly [string, string] => s[1] !== null);
    args.push(String(sets.length));
    for (const [field, value] of sets) args.push(field, value);
    const dels = tx.state.filter((s) => s[1] === null);
    args.push(String(dels.length));
    for (const [field] of dels) args.push(field);
    args.push(String(tx.outputs.length));
    for (const o of tx.outputs) args.push(String(o.entries.length), ...o.entries);
    args.push(tx.done === true ? '1' : '0');
    const index = tx.timerIndex ?? [];
    const added = index.filter((e) => e[1]);
    args.push(String(added.length));
    for (const [field] of added) args.push(field);
    const removed = index.filter((e) => !e[1]);
    args.push(String(removed.length));
    for (const [field] of removed) args.push(field);
    const reply = await this.script(COMMIT_SCRIPT, keys, args, tx.lease.task, HOT);
    return reply === 1 ? 'ok' : reply === -1 ? 'fenced' : 'conflict';
  }

  async trim(stream: string, upTo: Position): Promise<void> {
    if (upTo === START) return;
    await this.client.send(stream, ['XTRIM', stream, 'MINID', nextId(upTo)], HOT);
  }

  async heartbeat(worker: string, ttlMs: number): Promise<string[]> {
    const reply = await this.script(HEARTBEAT_SCRIPT, [`{${this.prefix}}:members`], [worker, String(ttlMs)]);
    return (reply as string[]).slice().sort();
  }

  async leave(worker: string): Promise<void> {
    await this.client.send(`{${this.prefix}}:members`, ['ZREM', `{${this.prefix}}:members`, worker]);
  }

  async putJob(job: JobRecord): Promise<void> {
    await this.client.send(`{${this.prefix}}:jobs`, [
      'HSET',
      `{${this.prefix}}:jobs`,
      job.id,
      JSON.stringify(job),
    ]);
  }

  async jobs(): Promise<JobRecord[]> {
    const reply = await this.client.send(`{${this.prefix}}:jobs`, ['HGETALL', `{${this.prefix}}:jobs`]);
    return [...pairs(reply).values()].map((json) => JSON.parse(json) as JobRecord);
  }

  async failJob(job: string, reason: string): Promise<void> {
    await this.client.send(`{${this.prefix}}:failures`, ['HSETNX', `{${this.prefix}}:failures`, job, reason]);
  }

  async jobFailure(job: string): Promise<string | undefined> {
    const reply = await this.client.send(`{${this.prefix}}:failures`, [
      'HGET',
      `{${this.prefix}}:failures`,
      job,
    ]);
    return typeof reply === 'string' ? reply : undefined;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async setControl(job: string, control: JobControl): Promise<void> {
    await this.client.send(`{${this.prefix}}:control`, ['HSET', `{${this.prefix}}:control`, job, control]);
  }

  async controls(): Promise<Map<string, JobControl>> {
    const reply = await this.client.send(`{${this.prefix}}:control`, ['HGETALL', `{${this.prefix}}:control`]);
    return pairs(reply) as Map<string, JobControl>;
  }

  async progress(task: string): Promise<TaskProgress> {
    const [pos, done, lease] = await Promise.all([
      this.client.send(`{${task}}:pos`, ['HGETALL', `{${task}}:pos`]),
      this.client.send(`{${task}}:done`, ['GET', `{${task}}:done`]),
      this.client.send(`{${task}}:lease`, ['GET', `{${task}}:lease`]),
    ]);
    return {
      positions: pairs(pos),
      done: done === '1',
      lease: typeof lease === 'string' ? lease : undefined,
    };
  }

  async backlog(stream: string, after: Position): Promise<number> {
    // The reader trims what it committed, so the entries up to `after` still held are few.
    const [length, consumed] = await Promise.all([
      this.client.send(stream, ['XLEN', stream]),
      after === START ? Promise.resolve([]) : this.client.send(stream, ['XRANGE', stream, '-', after]),
    ]);
    return Math.max(0, Number(length) - (Array.isArray(consumed) ? consumed.length : 0));
  }

  async members(): Promise<LogMember[]> {
    const reply = await this.client.send(`{${this.prefix}}:members`, [
      'ZRANGE',
      `{${this.prefix}}:members`,
      '0',
      '-1',
      'WITHSCORES',
    ]);
    const time = (await this.client.send(`{${this.prefix}}:members`, ['TIME'])) as [string, string];
    const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
    // The client gives [[member, score], …] (or the flat RESP2 list).
    const flat = Array.isArray(reply) ? (reply as unknown[]).flat() : reply;
    return [...pairs(flat)]
      .map(([id, score]) => ({ id, expiresAt: Number(score) }))
      .filter((m) => m.expiresAt > now)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Whether keys `a` and `b` can be written by one script: always on one server (unless `checkSlots`), on a
   * cluster when they hash to one slot.
   *
   * @example
   * ```ts
   * log.sameSlot('{job-1:3:0}:pos', '{job-1:3:0}:counts'); // true
   * ```
   */
  sameSlot(a: string, b: string): boolean {
    return this.guard === undefined || keySlot(a) === keySlot(b);
  }

  /** Runs a script by its SHA-1, loading it with EVAL when the server does not know it (first use, restart). */
  private async script(
    source: string,
    keys: readonly string[],
    args: readonly string[],
    task?: string,
    options?: CommandOptions,
  ): Promise<unknown> {
    this.guard?.check(keys, task);
    let sha = this.shas.get(source);
    if (sha === undefined) {
      sha = createHash('sha1').update(source).digest('hex');
      this.shas.set(source, sha);
    }
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.client.send(keys[0], ['EVALSHA', sha, ...tail], options);
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e;
      return this.client.send(keys[0], ['EVAL', source, ...tail], options);
    }
  }
}

/** The value of field `d` of a stream entry (its JSON payload), or the JSON of its field map. */
function fieldD(fields: readonly string[]): string {
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
  return map.d ?? JSON.stringify(map);
}

/** A set reply (an array of members, or the Set the client may map it to) as a Set. */
function members(reply: unknown): Set<string> {
  if (Array.isArray(reply)) return new Set(reply.map(String));
  return reply instanceof Set ? new Set([...reply].map(String)) : new Set();
}

/** A hash reply (a flat array, or the object the client maps it to) as a Map. */
function pairs(reply: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) out.set(String(reply[i]), String(reply[i + 1]));
  } else if (reply !== null && typeof reply === 'object') {
    for (const [k, v] of Object.entries(reply)) out.set(k, String(v));
  }
  return out;
}

/** The smallest stream id after `id` (`ms-seq` → `ms-(seq+1)`). */
function nextId(id: Position): string {
  const [ms, seq] = id.split('-');
  return `${ms ?? '0'}-${String(Number(seq ?? '0') + 1)}`;
}
