import { expect } from 'chai';
import { LocalEnvironment } from '../../src/core/api/local-environment.js';
import { LogWorker } from '../../src/kernel/backend/redis/log-worker.js';
import { MemoryLog } from '../../src/kernel/backend/redis/memory-log.js';
import { RedisLog } from '../../src/redis/redis-log.js';
import { RedisStreamSink } from '../../src/redis/redis-stream-sink.js';
import { hasRedisServer, NO_REDIS, startRedis } from './redis-server.js';
import { registerJob } from '../kernel/backend/redis/register-job.js';

describe('RedisStreamSink (redis-server)', () => {
  it('appends each record as one entry with its JSON in field d, in-process (at-least-once path)', async function () {
    this.timeout(10000);
    if (!hasRedisServer()) {
      console.log(`      ${NO_REDIS}`);
      this.skip();
    }
    const redis = await startRedis();
    const log = await RedisLog.connect(redis.url);
    try {
      const env = new LocalEnvironment('sink');
      env
        .fromBatch([{ a: 1 }, { a: 2 }, { a: 3 }])
        .sink(RedisStreamSink, { args: [{ url: redis.url, stream: 'out' }] });
      await env.submit({ autostop: true });
      const entries = await log.read('out', '0', 10);
      expect(entries.map((e) => JSON.parse(e.data) as unknown)).to.deep.equal([{ a: 1 }, { a: 2 }, { a: 3 }]);
    } finally {
      await log.close();
      await redis.stop();
    }
  });

  it('under the log backend, appends inside the task commit (no connection of its own)', async () => {
    const log = new MemoryLog();
    const { load } = await registerJob(log, () => {
      const env = new LocalEnvironment('sink');
      env
        .fromBatch([{ a: 1 }, { a: 2 }])
        .sink(RedisStreamSink, { args: [{ url: 'redis://127.0.0.1:1', stream: 'out' }] });
      return env;
    });
    const worker = new LogWorker(log, { jobRoot: '.', id: 'w', load, task: { intervalMs: 1 } });
    for (let i = 0; i < 100 && !(await log.load('j:0:0')).done; i++) {
      await worker.tick();
      await new Promise((r) => setTimeout(r, 5));
    }
    await worker.stop();
    expect(log.entries('out').map((e) => JSON.parse(e.data) as unknown)).to.deep.equal([{ a: 1 }, { a: 2 }]);
  });
});
