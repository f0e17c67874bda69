import { expect } from 'chai';
import fc from 'fast-check';
import log from 'loglevel';
import { firstValueFrom, map as rxMap, Subject, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RetryableError } from '../../../../src/errors/retryable-error.js';
import { ServiceCallError } from '../../../../src/errors/service-call-error.js';
import { ServiceOptionsError } from '../../../../src/errors/service-options-error.js';
import { ServiceTimeoutError } from '../../../../src/errors/service-timeout-error.js';
import type { RetryOptions } from '../../../../src/kernel/runtime/service/retry-options.js';
import { ServiceChannel } from '../../../../src/kernel/runtime/service/service-channel.js';
import { resolveServiceOptions } from '../../../../src/kernel/runtime/service/service-options.js';

const logger = log.getLogger('spec:service-retry');
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

/** A service whose `process` fails (with `error(attempt)`) for its first `failures` attempts, recording their frames. */
function flaky(
  scheduler: TestScheduler,
  failures: number,
  error: (attempt: number) => unknown = () => new RetryableError('busy'),
) {
  const frames: number[] = [];
  return {
    frames,
    process(x: number) {
      frames.push(scheduler.now());
      if (frames.length <= failures) throw error(frames.length);
      return x * 10;
    },
  };
}

function channel(
  target: object,
  scheduler: TestScheduler,
  retry?: RetryOptions,
  timeout = 10_000,
): ServiceChannel {
  const ch = new ServiceChannel(
    'svc',
    target,
    resolveServiceOptions('svc', { retry, timeout }),
    scheduler,
    logger,
  );
  ch.open();
  return ch;
}

describe('ServiceChannel: retries with backoff', () => {
  it('retries at frames 100, 300 and 700 for 100 ms doubling, and counts attempts and retries', async () => {
    const scheduler = virtual();
    const service = flaky(scheduler, 3);
    let result: Promise<unknown> = Promise.resolve();
    let ch: ServiceChannel | undefined;
    scheduler.run(() => {
      ch = channel(service, scheduler, { attempts: 4, initialDelayMs: 100, multiplier: 2 });
      result = settle(ch.call('process', [4], 10_000));
    });
    expect(await result).to.equal(40);
    expect(service.frames).to.deep.equal([0, 100, 300, 700]);
    expect(ch?.stats()).to.include({ calls: 1, replies: 1, attempts: 4, retries: 3, errors: 0 });
  });

  it('caps the backoff at maxDelayMs and gives up after `attempts` attempts with the last error', async () => {
    const scheduler = virtual();
    const service = flaky(scheduler, 10);
    let result: Promise<unknown> = Promise.resolve();
    scheduler.run(() => {
      result = settle(
        channel(service, scheduler, {
          attempts: 4,
          initialDelayMs: 100,
          multiplier: 3,
          maxDelayMs: 250,
        }).call('process', [1], 10_000),
      );
    });
    const error = await result;
    expect(service.frames).to.deep.equal([0, 100, 350, 600]);
    expect(error).to.be.instanceOf(ServiceCallError);
    expect((error as Error).cause).to.be.instanceOf(RetryableError);
  });

  it('retries by default timeouts, RetryableError and status 429 / 5xx, and nothing else', async () => {
    const cases: [unknown, number][] = [
      [Object.assign(new Error('slow down'), { status: 429 }), 2],
      [Object.assign(new Error('down'), { status: 503 }), 2],
      [Object.assign(new Error('missing'), { status: 404 }), 1],
      [new TypeError('bad input'), 1],
      [new RetryableError('again', { status: 502 }), 2],
    ];
    for (const [failure, attempts] of cases) {
      const scheduler = virtual();
      const service = flaky(scheduler, 1, () => failure);
      let result: Promise<unknown> = Promise.resolve();
      scheduler.run(() => {
        result = settle(
          channel(service, scheduler, { attempts: 3, initialDelayMs: 10 }).call('process', [1], 1000),
        );
      });
      await result;
      expect(service.frames, String(failure)).to.have.length(attempts);
    }
  });

  it('asks retryOn with the error and the attempt number', async () => {
    const scheduler = virtual();
    const asked: [string, number][] = [];
    const service = flaky(scheduler, 5, (n) => new Error(`e${String(n)}`));
    let result: Promise<unknown> = Promise.resolve();
    scheduler.run(() => {
      result = settle(
        channel(service, scheduler, {
          attempts: 5,
          initialDelayMs: 1,
          retryOn: (error, attempt) => {
            asked.push([(error as Error).message, attempt]);
            return attempt < 2;
          },
        }).call('process', [1], 1000),
      );
    });
    await result;
    expect(asked).to.deep.equal([
      ['e1', 1],
      ['e2', 2],
    ]);
  });

  it('keeps the whole call within its timeout: a retry that cannot start before the deadline is not made', async () => {
    const scheduler = virtual();
    const service = flaky(scheduler, 10);
    let result: Promise<unknown> = Promise.resolve();
    scheduler.run(() => {
      result = settle(
        channel(service, scheduler, { attempts: 5, initialDelayMs: 100 }).call('process', [1], 250),
      );
    });
    expect(await result).to.be.instanceOf(ServiceCallError);
    expect(service.frames).to.deep.equal([0, 100]);
  });

  it('times out each attempt after perAttemptTimeoutMs, aborts it, retries, and drops its late reply', async () => {
    const scheduler = virtual();
    const answers: Subject<number>[] = [];
    const signals: (AbortSignal | undefined)[] = [];
    const frames: number[] = [];
    let ch: ServiceChannel | undefined;
    const service = {
      process: (x: number) => {
        frames.push(scheduler.now());
        signals.push(ch?.currentSignal());
        if (frames.length === 1) {
          const answer = new Subject<number>();
          answers.push(answer);
          return firstValueFrom(answer);
        }
        return timer(5).pipe(rxMap(() => x * 2));
      },
    };
    let result: Promise<unknown> = Promise.resolve();
    scheduler.run(() => {
      ch = channel(service, scheduler, { attempts: 3, initialDelayMs: 100, perAttemptTimeoutMs: 50 });
      result = settle(ch.call('process', [21], 10_000));
    });
    expect(await result).to.equal(42);
    expect(frames).to.deep.equal([0, 150]);
    expect(signals[0]?.aborted).to.equal(true);
    expect(signals[0]?.reason).to.be.instanceOf(ServiceTimeoutError);
    answers[0]?.next(1);
    await Promise.resolve();
    expect(ch?.stats()).to.include({ replies: 1, late: 1, attempts: 2, retries: 1, timeouts: 0 });
  });

  it('makes no further attempt once the caller cancels during a backoff', () => {
    const scheduler = virtual();
    const service = flaky(scheduler, 10);
    let ch: ServiceChannel | undefined;
    scheduler.run(() => {
      ch = channel(service, scheduler, { attempts: 5, initialDelayMs: 100 });
      const id = ch.submit(
        'process',
        [1],
        10_000,
        () => expect.fail('a cancelled call must not be answered'),
        () => expect.fail('a cancelled call must not fail'),
      );
      scheduler.schedule(() => {
        ch?.cancel(id);
      }, 150);
    });
    expect(service.frames).to.deep.equal([0, 100]);
    expect(ch?.stats()).to.include({ attempts: 2, retries: 1, pending: 0 });
  });

  it('fails with the ServiceTimeoutError of the last attempt when every attempt times out', async () => {
    const scheduler = virtual();
    let result: Promise<unknown> = Promise.resolve();
    scheduler.run(() => {
      const ch = channel({ process: () => timer(1000) }, scheduler, {
        attempts: 2,
        initialDelayMs: 10,
        perAttemptTimeoutMs: 20,
      });
      result = settle(ch.call('process', [], 10_000));
    });
    const error = await result;
    expect(error).to.be.instanceOf(ServiceTimeoutError);
    expect((error as Error).message).to.contain('20 ms');
  });

  it("lets a call override the service's retry options, field by field", async () => {
    const scheduler = virtual();
    const none = flaky(scheduler, 1);
    const some = flaky(scheduler, 1);
    let results: Promise<unknown>[] = [];
    scheduler.run(() => {
      const withRetry = channel(none, scheduler, { attempts: 3, initialDelayMs: 10 });
      const without = channel(some, scheduler);
      results = [
        settle(withRetry.call('process', [1], 1000, { attempts: 1 })),
        settle(without.call('process', [2], 1000, { attempts: 2, initialDelayMs: 7 })),
      ];
    });
    const [a, b] = await Promise.all(results);
    expect(a).to.be.instanceOf(ServiceCallError);
    expect(none.frames).to.deep.equal([0]);
    expect(b).to.equal(20);
    expect(some.frames).to.deep.equal([0, 7]);
  });

  it('rejects a call whose retry override is invalid with a ServiceOptionsError', async () => {
    const ch = new ServiceChannel(
      'svc',
      { process: () => 1 },
      resolveServiceOptions('svc', {}),
      virtual(),
      logger,
    );
    ch.open();
    const error = await settle(ch.call('process', [], 1000, { attempts: 0 }));
    expect(error).to.be.instanceOf(ServiceOptionsError);
    expect((error as Error).message).to.match(/retry\.attempts must be an integer ≥ 1.*got number 0/);
    ch.close();
  });

  it('property: attempts start exactly at the cumulative capped backoff, against a plain model', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 500 }),
        async (failures, attempts, initialDelayMs, multiplier, maxDelayMs) => {
          const scheduler = virtual();
          const service = flaky(scheduler, failures);
          let result: Promise<unknown> = Promise.resolve();
          scheduler.run(() => {
            result = settle(
              channel(service, scheduler, { attempts, initialDelayMs, multiplier, maxDelayMs }).call(
                'process',
                [1],
                1_000_000,
              ),
            );
          });
          const outcome = await result;
          const expected = [0];
          while (expected.length < Math.min(attempts, failures + 1)) {
            const k = expected.length;
            expected.push(
              (expected.at(-1) as number) + Math.min(initialDelayMs * multiplier ** (k - 1), maxDelayMs),
            );
          }
          expect(service.frames).to.deep.equal(expected);
          if (failures < attempts) expect(outcome).to.equal(10);
          else expect(outcome).to.be.instanceOf(ServiceCallError);
        },
      ),
      { numRuns: 100 },
    );
  });
});
