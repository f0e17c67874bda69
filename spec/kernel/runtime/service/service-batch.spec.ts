import { expect } from 'chai';
import fc from 'fast-check';
import log from 'loglevel';
import { map as rxMap, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ServiceCallError } from '../../../../src/errors/service-call-error.js';
import { ServiceTimeoutError } from '../../../../src/errors/service-timeout-error.js';
import { ServiceChannel } from '../../../../src/kernel/runtime/service/service-channel.js';
import {
  resolveServiceOptions,
  type ServiceOptions,
} from '../../../../src/kernel/runtime/service/service-options.js';

const logger = log.getLogger('spec:service-batch');
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

function channel(target: object, scheduler: TestScheduler, options: ServiceOptions): ServiceChannel {
  const ch = new ServiceChannel('embed', target, resolveServiceOptions('embed', options), scheduler, logger);
  ch.open();
  return ch;
}

/** A batching service that answers each text with its length, recording each batch with its frame. */
function lengths(scheduler: TestScheduler) {
  const batches: [number, string[]][] = [];
  return {
    batches,
    processBatch(texts: string[]) {
      batches.push([scheduler.now(), texts]);
      return texts.map((t) => t.length);
    },
    other(x: number) {
      return x + 1;
    },
  };
}

describe('ServiceChannel: batching', () => {
  it('gathers up to maxSize requests, sends a full batch at once and the rest after maxWaitMs', async () => {
    const scheduler = virtual();
    const service = lengths(scheduler);
    let results: Promise<unknown>[] = [];
    let ch: ServiceChannel | undefined;
    scheduler.run(() => {
      ch = channel(service, scheduler, { batch: { maxSize: 2, maxWaitMs: 10 } });
      results = ['a', 'bb', 'ccc', 'dddd', 'eeeee'].map((t) =>
        settle((ch as ServiceChannel).call('process', [t], 1000)),
      );
    });
    expect(await Promise.all(results)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(service.batches).to.deep.equal([
      [0, ['a', 'bb']],
      [0, ['ccc', 'dddd']],
      [10, ['eeeee']],
    ]);
    expect(ch?.stats()).to.include({ calls: 5, replies: 5, batches: 3, attempts: 5 });
    expect(ch?.stats().meanBatchSize).to.be.closeTo(5 / 3, 1e-9);
    expect(ch?.stats().batchSizes).to.deep.include({ count: 3, sum: 5 });
    expect(ch?.stats().batchSizes?.counts.slice(0, 3)).to.deep.equal([1, 3, 3]);
    expect(ch?.stats().latencyBuckets).to.include({ count: 5 });
  });

  it('arms one window timer for batches that fill early, and still flushes each batch maxWaitMs after its first call', async () => {
    const scheduler = virtual();
    const service = lengths(scheduler);
    const schedule = scheduler.schedule.bind(scheduler);
    const delays: number[] = [];
    scheduler.schedule = (work: never, delay?: number, state?: never) => {
      delays.push(delay ?? 0);
      return schedule(work, delay, state);
    };
    const results: Promise<unknown>[] = [];
    scheduler.run(() => {
      const ch = channel(service, scheduler, { batch: { maxSize: 2, maxWaitMs: 10 } });
      const call = (t: string) => results.push(settle(ch.call('process', [t], Infinity)));
      for (const t of ['a', 'b', 'c', 'd', 'e', 'f']) call(t); // three full batches at frame 0
      schedule(() => call('late'), 3); // frame 3: alone, due at frame 13 (not counted: the spy sees the channel's)
    });
    expect(await Promise.all(results)).to.deep.equal([1, 1, 1, 1, 1, 1, 4]);
    expect(service.batches).to.deep.equal([
      [0, ['a', 'b']],
      [0, ['c', 'd']],
      [0, ['e', 'f']],
      [13, ['late']],
    ]);
    // one window armed at frame 0 (for 'a'); it fires at frame 10 and waits the 3 frames 'late' has left
    expect(delays).to.deep.equal([10, 3]);
  });

  it('calls other methods one by one, outside batches', async () => {
    const scheduler = virtual();
    const service = lengths(scheduler);
    let result: Promise<unknown> = Promise.resolve();
    scheduler.run(() => {
      result = settle(
        channel(service, scheduler, { batch: { maxSize: 4, maxWaitMs: 5 } }).call('other', [1], 1000),
      );
    });
    expect(await result).to.equal(2);
    expect(service.batches).to.deep.equal([]);
  });

  it('fails only the caller whose reply slot holds an Error', async () => {
    const scheduler = virtual();
    const bad = new Error('cannot embed ""');
    let results: Promise<unknown>[] = [];
    scheduler.run(() => {
      const ch = channel(
        { processBatch: (texts: string[]) => texts.map((t) => (t === '' ? bad : t.length)) },
        scheduler,
        { batch: { maxSize: 3, maxWaitMs: 0 } },
      );
      results = ['a', '', 'ccc'].map((t) => settle(ch.call('process', [t], 1000)));
    });
    const [a, b, c] = await Promise.all(results);
    expect([a, c]).to.deep.equal([1, 3]);
    expect(b).to.be.instanceOf(ServiceCallError);
    expect((b as Error).cause).to.equal(bad);
  });

  it('fails every caller of a batch answered with the wrong number of replies, saying so', async () => {
    const scheduler = virtual();
    let results: Promise<unknown>[] = [];
    let ch: ServiceChannel | undefined;
    scheduler.run(() => {
      ch = channel({ processBatch: () => [1] }, scheduler, { batch: { maxSize: 2, maxWaitMs: 0 } });
      results = ['a', 'b'].map((t) => settle((ch as ServiceChannel).call('process', [t], 1000)));
    });
    for (const r of await Promise.all(results)) {
      expect(r).to.be.instanceOf(ServiceCallError);
      expect((r as Error).message).to.contain('processBatch answered 1 replies for 2 requests');
    }
    expect(ch?.stats()).to.include({ errors: 2 });
  });

  it('retries the requests of a failed batch one by one, in later batches, each with its own policy', async () => {
    const scheduler = virtual();
    const service = {
      batches: [] as [number, number[]][],
      processBatch(xs: number[]) {
        this.batches.push([scheduler.now(), xs]);
        if (this.batches.length === 1) throw Object.assign(new Error('overloaded'), { status: 503 });
        return xs.map((x) => x * 2);
      },
    };
    let results: Promise<unknown>[] = [];
    scheduler.run(() => {
      const ch = channel(service, scheduler, {
        batch: { maxSize: 2, maxWaitMs: 5 },
        retry: { attempts: 2, initialDelayMs: 100 },
      });
      results = [
        settle(ch.call('process', [1], 1000)),
        settle(ch.call('process', [2], 1000, { initialDelayMs: 30 })),
      ];
    });
    expect(await Promise.all(results)).to.deep.equal([2, 4]);
    expect(service.batches).to.deep.equal([
      [0, [1, 2]],
      [35, [2]],
      [105, [1]],
    ]);
  });

  it('runs one batch per concurrency slot, and answers from an Observable', async () => {
    const scheduler = virtual();
    const starts: number[] = [];
    let results: Promise<unknown>[] = [];
    scheduler.run(() => {
      const ch = channel(
        {
          processBatch: (xs: number[]) => {
            starts.push(scheduler.now());
            return timer(20).pipe(rxMap(() => xs));
          },
        },
        scheduler,
        { batch: { maxSize: 2, maxWaitMs: 0 } },
      );
      results = [1, 2, 3, 4].map((x) => settle(ch.call('process', [x], 1000)));
    });
    expect(await Promise.all(results)).to.deep.equal([1, 2, 3, 4]);
    expect(starts).to.deep.equal([0, 20]);
  });

  it('drops the reply slot of a caller that timed out, and frees the slot when every caller of a batch gave up', async () => {
    const scheduler = virtual();
    const starts: number[] = [];
    let signal: AbortSignal | undefined;
    let ch: ServiceChannel | undefined;
    let results: Promise<unknown>[] = [];
    scheduler.run(() => {
      ch = channel(
        {
          processBatch: (xs: number[]) => {
            starts.push(scheduler.now());
            if (starts.length === 1) signal = ch?.currentSignal();
            return timer(xs[0] === 1 ? 100 : 1).pipe(rxMap(() => xs));
          },
        },
        scheduler,
        { batch: { maxSize: 2, maxWaitMs: 0 } },
      );
      results = [
        settle(ch.call('process', [1], 10)),
        settle(ch.call('process', [9], 20)),
        settle(ch.call('process', [3], 1000)),
      ];
    });
    const [a, b, c] = await Promise.all(results);
    expect(a).to.be.instanceOf(ServiceTimeoutError);
    expect(b).to.be.instanceOf(ServiceTimeoutError);
    expect(c).to.equal(3);
    expect(starts).to.deep.equal([0, 20]);
    expect(signal?.aborted).to.equal(true);
  });

  it('property: every caller gets its own reply, whatever the sizes, windows and arrival frames', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 3 }),
        async (arrivals, maxSize, maxWaitMs, concurrency) => {
          const scheduler = virtual();
          const sizes: number[] = [];
          let results: Promise<unknown>[] = [];
          scheduler.run(() => {
            const ch = channel(
              {
                processBatch: (xs: number[]) => {
                  sizes.push(xs.length);
                  return timer(3).pipe(rxMap(() => xs.map((x) => `r${String(x)}`)));
                },
              },
              scheduler,
              { batch: { maxSize, maxWaitMs }, concurrency },
            );
            results = arrivals.map(
              (at, i) =>
                new Promise<unknown>((resolve) => {
                  scheduler.schedule(() => {
                    resolve(settle(ch.call('process', [i], 100_000)));
                  }, at);
                }),
            );
          });
          expect(await Promise.all(results)).to.deep.equal(arrivals.map((_, i) => `r${String(i)}`));
          expect(Math.max(...sizes)).to.be.at.most(maxSize);
          expect(sizes.reduce((a, b) => a + b, 0)).to.equal(arrivals.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
