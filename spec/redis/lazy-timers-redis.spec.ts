import { expect } from 'chai';
import fc from 'fast-check';
import type { LeaseToken } from '../../src/kernel/backend/redis/partitioned-log.js';
import type { RedisLog } from '../../src/redis/redis-log.js';
import {
  model,
  outputs,
  takeover,
  timerRecords,
  timerStep,
} from '../kernel/backend/redis/lazy-timers-harness.js';
import { redisLogHooks } from './redis-log-hooks.js';

describe('StageTask on RedisLog: keyed timers after a lazy takeover (redis-server)', function () {
  this.timeout(60_000);
  let log!: RedisLog;
  // Slots checked as on a Redis Cluster: the index of timer keys carries the task's hash tag.
  redisLogHooks({ checkSlots: true }, (connected) => {
    log = connected;
  });

  it('property: every committed timer fires exactly once', async () => {
    let run = 0;
    const release = (lease: LeaseToken): Promise<void> => log.release(lease);
    await fc.assert(
      fc.asyncProperty(
        fc.array(timerStep, { minLength: 1, maxLength: 20 }),
        fc.array(timerStep, { maxLength: 8 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        async (steps1, steps2, seed) => {
          const [before, after] = timerRecords(steps1, steps2, seed);
          const { setup } = await takeover(log, `lt${String(++run)}`, release, before, after, 0);
          expect(await outputs(log, setup)).to.deep.equal(model([...before, ...after]));
          expect([...((await log.loadHead(setup.task)).timerFields ?? [])]).to.deep.equal([]);
        },
      ),
      { numRuns: 12 },
    );
  });
});
