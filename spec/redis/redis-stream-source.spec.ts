import { expect } from 'chai';
import { createClient } from 'redis';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { JobManager } from '../../src/kernel/jobmanager/job-manager.js';
import type { JobSnapshot } from '../../src/kernel/runtime/state/job-snapshot.js';
import { StopSignal } from '../../src/kernel/runtime/stop-signal.js';
import { waitFor } from '../helpers/wait-for.js';
import { RedisStreamSource } from '../../src/redis/redis-stream-source.js';
import { SOURCE_POSITION, type SourcePosition } from '../../src/kernel/backend/redis/source-position.js';
import type { TaskContext } from '../../src/kernel/runtime/context/task-context.js';
import { hasRedisServer, NO_REDIS, startRedis, type TestRedis } from './redis-server.js';

describe('RedisStreamSource (redis-server)', () => {
  let redis: TestRedis;
  let client: ReturnType<typeof createClient>;

  before(async function () {
    this.timeout(10000);
    if (!hasRedisServer()) {
      console.log(`      ${NO_REDIS}`);
      this.skip();
    }
    redis = await startRedis();
    client = createClient({ url: redis.url });
    await client.connect();
  });

  after(async () => {
    if (!hasRedisServer()) return;
    await client.close();
    await redis.stop();
  });

  /** Appends entries with `XADD` (field d = JSON, or the given fields). */
  async function add(stream: string, entries: readonly Record<string, string>[]): Promise<void> {
    for (const fields of entries) {
      await client.sendCommand(['XADD', stream, '*', ...Object.entries(fields).flat()]);
    }
  }

  it('reads a stream in order: the JSON of field d, else the field map; ends when caught up if asked', async () => {
    await add('in1', [{ d: JSON.stringify({ a: 1 }) }, { d: JSON.stringify([2]) }, { x: 'y', z: '3' }]);
    const seen: unknown[] = [];
    const env = new LocalEnvironment('source', { jobManager: new JobManager(), logLevel: 'silent' });
    env
      .fromSource(RedisStreamSource, {
        args: [{ url: redis.url, stream: 'in1', stopWhenCaughtUp: true }],
        delay: 1,
      })
      .sink((r: unknown) => {
        seen.push(r);
      });
    await env.submit({ autostop: true });
    expect(seen).to.deep.equal([{ a: 1 }, [2], { x: 'y', z: '3' }]);
  });

  it('is replayable: a source restored from its saved position reads on after the last entry it emitted', async () => {
    await add(
      'in2',
      [1, 2, 3, 4, 5].map((n) => ({ d: String(n) })),
    );
    const first = new RedisStreamSource<number>({ url: redis.url, stream: 'in2', count: 2 });
    const read = async (s: RedisStreamSource<number>): Promise<unknown> => await s.execute();
    try {
      expect([await read(first), await read(first)]).to.deep.equal([1, 2]);
      const saved = JSON.parse(JSON.stringify(first.snapshotState())) as unknown;
      const second = new RedisStreamSource<number>({ url: redis.url, stream: 'in2', stopWhenCaughtUp: true });
      second.restoreState(saved);
      try {
        const rest: unknown[] = [];
        for (let r = await read(second); !(r instanceof StopSignal); r = await read(second)) rest.push(r);
        expect(rest).to.deep.equal([3, 4, 5]);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });

  it('a job stopped with a savepoint and restored reads on after the last entry: every entry once', async () => {
    await add(
      'in4',
      Array.from({ length: 5 }, (_, n) => ({ d: String(n) })),
    );
    const jm = new JobManager();
    const seen: number[] = [];
    const run = (stopWhenCaughtUp: boolean): LocalEnvironment => {
      const env = new LocalEnvironment('source', { jobManager: jm, logLevel: 'silent' });
      env
        .fromSource(RedisStreamSource<number>, {
          name: 'src',
          args: [{ url: redis.url, stream: 'in4', count: 2, stopWhenCaughtUp }],
          delay: 1,
        })
        .sink(
          (n: number) => {
            seen.push(n);
          },
          { name: 'out' },
        );
      return env;
    };
    const uuid = await run(false).submit();
    await waitFor(() => seen.length >= 5, { what: 'the first five entries' });
    const savepoint = JSON.parse(JSON.stringify(await jm.stopJob(uuid, { savepoint: true }))) as JobSnapshot;
    const before = seen.length;
    await add(
      'in4',
      Array.from({ length: 5 }, (_, n) => ({ d: String(n + 5) })),
    );
    await run(true).submit({ autostop: true, restore: savepoint });
    expect(before).to.equal(5);
    expect(seen).to.deep.equal(Array.from({ length: 10 }, (_, n) => n));
  });

  it("under the Redis backend, starts after its task's committed position (even with from '$') and reports each entry", async () => {
    await add(
      'in5',
      [1, 2, 3, 4].map((n) => ({ d: String(n) })),
    );
    const entries: unknown = await client.sendCommand(['XRANGE', 'in5', '-', '+']);
    const ids = (entries as [string, string[]][]).map(([id]) => id);
    const reported: string[] = [];
    const at: SourcePosition = { committed: ids[1], moved: (p) => reported.push(p) };
    const source = new RedisStreamSource<number>({
      url: redis.url,
      stream: 'in5',
      from: '$',
      stopWhenCaughtUp: true,
    });
    source.ctx = { config: { [SOURCE_POSITION]: at } } as unknown as TaskContext;
    try {
      const rest: unknown[] = [];
      for (let r = await source.execute(); !(r instanceof StopSignal); r = await source.execute())
        rest.push(r);
      expect(rest).to.deep.equal([3, 4]);
      expect(reported).to.deep.equal(ids.slice(2));
    } finally {
      await source.close();
    }
  });

  it("with from '$', reads only the entries added after it first started", async () => {
    await add('in3', [{ d: '"old"' }]);
    const source = new RedisStreamSource<string>({ url: redis.url, stream: 'in3', from: '$' });
    try {
      expect(await source.execute()).to.equal(undefined);
      await add('in3', [{ d: '"new"' }]);
      expect(await source.execute()).to.equal('new');
    } finally {
      await source.close();
    }
  });
});
