import { expect } from 'chai';
import { createClient } from 'redis';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { LogStreamSink } from '../../src/kernel/backend/redis/log-stream-sink.js';
import { LogWorker } from '../../src/kernel/backend/redis/log-worker.js';
import { SOURCE_FIELD } from '../../src/kernel/backend/redis/source-position.js';
import { taskName } from '../../src/kernel/backend/redis/task-names.js';
import { RedisLog } from '../../src/redis/redis-log.js';
import { RedisStreamSource } from '../../src/redis/redis-stream-source.js';
import { KeyedCount, type KeyedRecord } from '../kernel/backend/redis/keyed-count-job.js';
import { hasRedisServer, NO_REDIS, startRedis, type TestRedis } from './redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { registerJob } from '../kernel/backend/redis/register-job.js';
import { untilJobDone } from '../kernel/backend/redis/until-job-done.js';

const N = 3000;
const RECORDS: KeyedRecord[] = Array.from({ length: N }, (_, i) => ({ k: `k${String(i % 10)}`, v: i }));

/** Polls `condition` every 10 ms until it holds (the spec helper `waitFor`, with this file's argument order). */
function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  return waitFor(condition, { what, timeoutMs, stepMs: 10 });
}

describe('RedisStreamSource under the Redis backend: its position is committed (redis-server)', function () {
  this.timeout(20000);
  let redis: TestRedis | undefined;
  let client: ReturnType<typeof createClient>;
  const logs: RedisLog[] = [];
  const workers: LogWorker[] = [];

  before(async function () {
    if (!hasRedisServer()) {
      console.log(`      ${NO_REDIS}`);
      this.skip();
    }
    redis = await startRedis();
    client = createClient({ url: redis.url });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop().catch(() => undefined)));
  });
  after(async () => {
    if (redis === undefined) return;
    await Promise.all(logs.map((l) => l.close().catch(() => undefined)));
    await client.close();
    await redis.stop();
  });

  async function connect(): Promise<RedisLog> {
    const log = await RedisLog.connect(redis?.url ?? '');
    logs.push(log);
    return log;
  }

  it('a worker crashes mid-stream and the input is trimmed below the commit: the next owner reads on, exact', async () => {
    const url = redis?.url ?? '';
    const id = 'sj';
    // The input, written before the job starts (pipelined).
    await Promise.all(
      RECORDS.map((r) => client.sendCommand(['XADD', 'orders', '*', 'd', JSON.stringify(r)])),
    );
    const declare = (): LocalEnvironment => {
      const env = new LocalEnvironment('orders', { logLevel: 'silent' });
      env
        .fromSource(RedisStreamSource<KeyedRecord>, {
          name: 'orders',
          args: [{ url, stream: 'orders', count: 20, stopWhenCaughtUp: true }],
        })
        .keyBy((r) => r.k)
        .map(KeyedCount, { parallelism: 2, name: 'count' })
        .sink(LogStreamSink, { args: [{ stream: 'out' }], parallelism: 2 });
      return env;
    };
    const log = await connect();
    const { job, load } = await registerJob(log, declare, { id, leaseMs: 600 });
    const source = job.plan.vertices.find((v) => v.source !== undefined);
    const sourceTask = taskName(id, source ?? job.plan.vertices[0]!, 0);
    // Small batches, so that the source stage commits many times before it is through the input.
    const task = { maxBuffered: 40, intervalMs: 10 };
    const first = new LogWorker(await connect(), {
      jobRoot: '.',
      id: 'first',
      load,
      tickMs: 100,
      leaseMs: 600,
      task,
    });
    workers.push(first);
    first.start();
    let committed = '';
    await until(
      async () => {
        committed = (await log.load(sourceTask)).positions.get(SOURCE_FIELD) ?? '';
        return committed !== '';
      },
      'a first commit of the source position',
      8000,
    );
    first.crash(); // like kill -9: its leases stay until they expire
    committed = (await log.load(sourceTask)).positions.get(SOURCE_FIELD) ?? committed;
    const [ms, seq] = committed.split('-');
    // Retention drops every entry the job committed: a replay from the start could not find them any more.
    await client.sendCommand(['XTRIM', 'orders', 'MINID', `${ms ?? '0'}-${String(Number(seq) + 1)}`]);
    const left = Number(await client.sendCommand(['XLEN', 'orders']));
    expect(left, 'entries left after the trim').to.be.within(1, N - 1);
    const second = new LogWorker(await connect(), {
      jobRoot: '.',
      id: 'second',
      load,
      tickMs: 100,
      leaseMs: 600,
      task,
    });
    workers.push(second);
    second.start();
    await untilJobDone(log, id, job.plan, 12000);
    const seen = new Map<string, [number, number][]>();
    for (const e of await log.read('out', '0', N * 2)) {
      const [k, v, n] = JSON.parse(e.data) as [string, number, number];
      seen.set(k, [...(seen.get(k) ?? []), [v, n]]);
    }
    const expected = new Map<string, [number, number][]>();
    for (const r of RECORDS)
      expected.set(r.k, [...(expected.get(r.k) ?? []), [r.v, (expected.get(r.k)?.length ?? 0) + 1]]);
    expect(seen).to.deep.equal(expected);
  });
});
