import { expect } from 'chai';
import fc from 'fast-check';
import log from 'loglevel';
import { TestScheduler } from 'rxjs/testing';
import { ServiceTimeoutError } from '../../../../src/errors/service-timeout-error.js';
import { ServiceChannel } from '../../../../src/kernel/runtime/service/service-channel.js';
import {
  resolveServiceOptions,
  type ServiceOptions,
} from '../../../../src/kernel/runtime/service/service-options.js';

const logger = log.getLogger('spec:service-rate-limit');
logger.setLevel('silent');

function virtual(): TestScheduler {
  return new TestScheduler((a, b) => {
    expect(a).to.deep.equal(b);
  });
}

function settle(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => v,
    (e: unknown) => e,
  );
}

/** Runs `count` calls at frame 0 against a service recording the frame of each invocation. */
async function startsOf(
  options: ServiceOptions,
  args: unknown[][],
  timeout = 100_000,
): Promise<{ starts: number[]; results: unknown[]; stats: ReturnType<ServiceChannel['stats']> }> {
  const scheduler = virtual();
  const starts: number[] = [];
  let pending: Promise<unknown>[] = [];
  let ch: ServiceChannel | undefined;
  scheduler.run(() => {
    ch = new ServiceChannel(
      'api',
      {
        process: (x: unknown) => {
          starts.push(scheduler.now());
          return x;
        },
        processBatch: (xs: unknown[]) => {
          starts.push(scheduler.now());
          return xs;
        },
      },
      resolveServiceOptions('api', options),
      scheduler,
      logger,
    );
    ch.open();
    pending = args.map((a) => settle((ch as ServiceChannel).call('process', a, timeout)));
  });
  const results = await Promise.all(pending);
  return { starts, results, stats: (ch as ServiceChannel).stats() };
}

describe('ServiceChannel: rate limits', () => {
  it('starts with a full bucket of `burst` tokens, then lets one call through per refill, counting throttledMs', async () => {
    const { starts, results, stats } = await startsOf({ rateLimit: { perSecond: 10, burst: 2 } }, [
      [1],
      [2],
      [3],
      [4],
      [5],
    ]);
    expect(starts).to.deep.equal([0, 0, 100, 200, 300]);
    expect(results).to.deep.equal([1, 2, 3, 4, 5]);
    expect(stats.throttledMs).to.equal(300);
  });

  it('takes the tokens `cost` gives per request', async () => {
    const { starts } = await startsOf({ rateLimit: { perSecond: 100, burst: 10, cost: (n) => Number(n) } }, [
      [10],
      [5],
      [5],
    ]);
    expect(starts).to.deep.equal([0, 50, 100]);
  });

  it('counts one batch as one invocation', async () => {
    const { starts } = await startsOf(
      { rateLimit: { perSecond: 10, burst: 1 }, batch: { maxSize: 2, maxWaitMs: 0 } },
      [[1], [2], [3], [4]],
    );
    expect(starts).to.deep.equal([0, 100]);
  });

  it('does not count the wait for tokens toward the timeout, unless timeoutIncludesQueue', async () => {
    const waits = await startsOf({ rateLimit: { perSecond: 1, burst: 1 } }, [[1], [2]], 500);
    expect(waits.results).to.deep.equal([1, 2]);
    expect(waits.starts).to.deep.equal([0, 1000]);
    const bounded = await startsOf(
      { rateLimit: { perSecond: 1, burst: 1 }, timeoutIncludesQueue: true },
      [[1], [2]],
      500,
    );
    expect(bounded.results[0]).to.equal(1);
    expect(bounded.results[1]).to.be.instanceOf(ServiceTimeoutError);
    expect(bounded.starts).to.deep.equal([0]);
  });

  it('property: in any window of w ms, at most burst + perSecond × w / 1000 invocations start, and answers every call', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 30 }),
        async (perSecond, burst, count) => {
          const { starts, results } = await startsOf(
            { rateLimit: { perSecond, burst } },
            Array.from({ length: count }, (_, i) => [i]),
          );
          expect(results).to.deep.equal(Array.from({ length: count }, (_, i) => i));
          for (let i = 0; i < starts.length; i++) {
            for (let j = i; j < starts.length; j++) {
              const w = (starts[j] as number) - (starts[i] as number);
              expect(j - i + 1).to.be.at.most(burst + (perSecond * w) / 1000 + 1e-9);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
