import { expect } from 'chai';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { CrossSlotError } from '../../src/errors/cross-slot-error.js';
import { compileJob, type LoadedJob } from '../../src/kernel/backend/redis/load-job-module.js';
import { LogWorker } from '../../src/kernel/backend/redis/log-worker.js';
import { taskName } from '../../src/kernel/backend/redis/task-names.js';
import { keySlot } from '../../src/redis/key-slot.js';
import { RedisLog } from '../../src/redis/redis-log.js';
import { RedisStreamSink } from '../../src/redis/redis-stream-sink.js';
import {
  buildKeyedCount,
  KeyedCount,
  keyedCountModel,
  type KeyedRecord,
} from '../kernel/backend/redis/keyed-count-job.js';
import {
  clusterUnavailable,
  keysPerNode,
  serverSlot,
  startCluster,
  type TestCluster,
} from './redis-cluster.js';
import { waitFor } from '../helpers/wait-for.js';
import { untilJobDone } from '../kernel/backend/redis/until-job-done.js';

const RECORDS: KeyedRecord[] = Array.from({ length: 2000 }, (_, i) => ({ k: `k${String(i % 20)}`, v: i }));

/** Polls `condition` every 20 ms until it holds (the spec helper `waitFor`, with this file's argument order). */
function until(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  return waitFor(condition, { what, timeoutMs, stepMs: 20 });
}

describe('Redis backend on a 3-master Redis Cluster (redis-server, redis-cli)', function () {
  this.timeout(20000);
  let cluster: TestCluster | undefined;
  const logs: RedisLog[] = [];
  const workers: LogWorker[] = [];
  const events: string[] = [];

  before(async function () {
    const unavailable = clusterUnavailable();
    const started = unavailable ?? (await startCluster());
    if (typeof started === 'string') {
      console.log(`      ${started}`);
      this.skip();
    }
    cluster = started;
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop().catch(() => undefined)));
    await Promise.all(logs.splice(0).map((l) => l.close().catch(() => undefined)));
    events.length = 0;
  });
  after(async () => {
    await cluster?.stop();
  });

  async function connect(): Promise<RedisLog> {
    const log = await RedisLog.connect(cluster?.url ?? '');
    logs.push(log);
    return log;
  }

  /** Registers the keyed count (sink stream `out`) and starts two workers, each with its own connection. */
  async function runJob(
    id: string,
    out: string,
    sink: 'log' | 'redis' = 'log',
  ): Promise<{ log: RedisLog; job: LoadedJob }> {
    const load = (): Promise<LoadedJob> => {
      const env = new LocalEnvironment('count', { logLevel: 'silent' });
      if (sink === 'log') buildKeyedCount(env, RECORDS, 2, out);
      else {
        env
          .fromBatch(RECORDS)
          .keyBy((r) => r.k)
          .map(KeyedCount, { parallelism: 2, name: 'count' })
          .sink(RedisStreamSink, { args: [{ url: cluster?.url ?? '', stream: out }], parallelism: 2 });
      }
      return Promise.resolve(compileJob(env, id, ''));
    };
    const job = await load();
    const log = await connect();
    expect(log.cluster).to.equal(true);
    const started: LogWorker[] = [];
    for (const name of ['a', 'b']) {
      const worker = new LogWorker(await connect(), {
        jobRoot: '.',
        id: `${id}-${name}`,
        load,
        tickMs: 100,
        leaseMs: 1000,
        onEvent: (line) => events.push(line),
      });
      workers.push(worker);
      started.push(worker);
      // Both join the membership before the job is there, so that both get tasks at once.
      await worker.tick();
    }
    await log.putJob({
      id,
      module: 'm',
      exportName: 'default',
      args: undefined,
      fingerprint: job.fingerprint,
      leaseMs: 1000,
    });
    for (const worker of started) worker.start();
    return { log, job };
  }

  it('computes the slots the servers compute', async () => {
    const port = cluster?.ports[0] ?? 0;
    for (const key of ['{job-1:2:0}:pos', 'counts', 'foo{}{bar}', 'ünïcode{x}']) {
      expect(keySlot(key), key).to.equal(await serverSlot(port, key));
    }
  });

  it('runs a keyed job on two LogWorkers across the cluster: every key exact', async () => {
    const id = 'cj';
    const { log, job } = await runJob(id, '{task}:out');
    const sinks = job.plan.vertices.filter((v) => v.operators.some((o) => o.kind === 'sink'));
    await untilJobDone(log, id, job.plan, 15000);
    const seen = new Map<string, [number, number][]>();
    for (const v of sinks) {
      for (let i = 0; i < v.parallelism; i++) {
        for (const e of await log.read(`{${taskName(id, v, i)}}:out`, '0', 100000)) {
          const [k, value, n] = JSON.parse(e.data) as [string, number, number];
          seen.set(k, [...(seen.get(k) ?? []), [value, n]]);
        }
      }
    }
    expect(seen).to.deep.equal(keyedCountModel(RECORDS));
    for (const name of ['a', 'b']) {
      expect(
        events.some((e) => e.startsWith(`${id}-${name} acquired`)),
        `worker ${name} ran tasks`,
      ).to.equal(true);
    }
    // The job's keys are spread over the masters (so the cluster routed its commits by slot).
    expect((await keysPerNode(cluster?.ports ?? [])).filter((n) => n > 0).length).to.be.greaterThan(1);
  });

  it('fails a job whose sink stream is outside its task slot with a CrossSlotError, before Redis refuses it', async () => {
    const id = 'cx';
    const { log } = await runJob(id, 'out-without-tag');
    await until(async () => (await log.jobFailure(id)) !== undefined, 'the job to fail', 10000);
    const reason = (await log.jobFailure(id)) ?? '';
    expect(reason).to.include(new CrossSlotError(['a', 'b'], [0, 1]).message.split(' but ')[0]);
    expect(reason).to.include('out-without-tag').and.not.include('CROSSSLOT');
  });

  it('lets a RedisStreamSink write a stream outside its task slot with its own connection (at-least-once)', async () => {
    const id = 'cr';
    const { log, job } = await runJob(id, 'plain-out', 'redis');
    await untilJobDone(log, id, job.plan, 15000);
    expect(await log.jobFailure(id)).to.equal(undefined);
    const seen = new Map<string, [number, number][]>();
    const entries = await log.read('plain-out', '0', 100000);
    const distinct = new Set<string>();
    for (const e of entries) {
      // At-least-once: a batch processed again after a task moved between the workers is written again.
      if (distinct.has(e.data)) continue;
      distinct.add(e.data);
      const [k, value, n] = JSON.parse(e.data) as [string, number, number];
      seen.set(k, [...(seen.get(k) ?? []), [value, n]]);
    }
    expect(entries.length).to.be.at.least(RECORDS.length);
    expect(seen).to.deep.equal(keyedCountModel(RECORDS));
  });
});
