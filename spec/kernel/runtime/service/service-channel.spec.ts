import { expect } from 'chai';
import fc from 'fast-check';
import log from 'loglevel';
import { EMPTY, finalize, firstValueFrom, map as rxMap, of, Subject, throwError, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ServiceCallError } from '../../../../src/errors/service-call-error.js';
import { ServiceStoppedError } from '../../../../src/errors/service-stopped-error.js';
import { ServiceTimeoutError } from '../../../../src/errors/service-timeout-error.js';
import { ServiceChannel } from '../../../../src/kernel/runtime/service/service-channel.js';
import type { ServiceRequest } from '../../../../src/kernel/runtime/service/service-request.js';
import { asyncScheduler, type SchedulerLike } from 'rxjs';

const logger = log.getLogger('spec:service-channel');
logger.setLevel('silent');

function channel(
  target: object,
  scheduler: SchedulerLike = asyncScheduler,
  concurrency = 1,
  timeout = 10_000,
): ServiceChannel {
  const ch = new ServiceChannel('svc', target, { concurrency, timeout }, scheduler, logger);
  ch.open();
  return ch;
}

/** Settles every call and records its outcome, keyed by call. */
function outcome(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (v) => v,
    (e: unknown) => e,
  );
}

function virtual(): TestScheduler {
  return new TestScheduler((a, b) => {
    expect(a).to.deep.equal(b);
  });
}

describe('ServiceChannel', () => {
  it('answers a value, a Promise and an Observable (its first value) alike', async () => {
    const ch = channel({
      plain: (x: number) => x + 1,
      later: (x: number) => Promise.resolve(x + 2),
      stream: (x: number) => of(x + 3, 999),
      empty: () => EMPTY,
    });
    expect(await ch.call('plain', [1], 1000)).to.equal(2);
    expect(await ch.call('later', [1], 1000)).to.equal(3);
    expect(await ch.call('stream', [1], 1000)).to.equal(4);
    expect(await ch.call('empty', [], 1000)).to.equal(undefined);
    ch.close();
  });

  it('turns a throw, a rejection, an Observable error and a missing method into ServiceCallError', async () => {
    const original = new Error('bad 1');
    const ch = channel({
      throws: () => {
        throw original;
      },
      rejects: () => Promise.reject(new Error('bad 2')),
      errors: () => throwError(() => new Error('bad 3')),
    });
    const e1 = await outcome(ch.call('throws', [], 1000));
    expect(e1).to.be.instanceOf(ServiceCallError);
    expect((e1 as Error).message).to.contain('bad 1');
    expect((e1 as Error).cause).to.equal(original);
    expect(((await outcome(ch.call('rejects', [], 1000))) as Error).message).to.contain('bad 2');
    expect(((await outcome(ch.call('errors', [], 1000))) as Error).message).to.contain('bad 3');
    const missing = await outcome(ch.call('nope', [], 1000));
    expect(missing).to.be.instanceOf(ServiceCallError);
    expect((missing as Error).message).to.contain("no method 'nope'");
    expect(ch.stats().errors).to.equal(4);
    ch.close();
  });

  it('puts every request on its request Subject with a fresh correlation id', async () => {
    const ch = channel({ process: (x: number) => x });
    const seen: ServiceRequest[] = [];
    ch.requests.subscribe((r) => seen.push(r));
    await Promise.all([ch.call('process', [1], 1000), ch.call('process', [2], 1000)]);
    expect(seen.map((r) => [r.method, r.args])).to.deep.equal([
      ['process', [1]],
      ['process', [2]],
    ]);
    expect(new Set(seen.map((r) => r.id)).size).to.equal(2);
    ch.close();
  });

  it('handles one request at a time by default, first in first out', async () => {
    const gates: Subject<void>[] = [];
    const started: number[] = [];
    const ch = channel({
      process: (x: number) => {
        started.push(x);
        const gate = new Subject<void>();
        gates.push(gate);
        return firstValueFrom(gate).then(() => x);
      },
    });
    const calls = [1, 2, 3].map((x) => ch.call('process', [x], 10_000));
    expect(started).to.deep.equal([1]);
    gates[0]!.next();
    expect(await calls[0]).to.equal(1);
    expect(started).to.deep.equal([1, 2]);
    gates[1]!.next();
    gates[1]!.complete();
    await calls[1];
    expect(started).to.deep.equal([1, 2, 3]);
    gates[2]!.next();
    expect(await calls[2]).to.equal(3);
    ch.close();
  });

  it('runs up to `concurrency` requests at once', async () => {
    let running = 0;
    let most = 0;
    const release = new Subject<void>();
    const ch = channel(
      {
        process: (x: number) => {
          running++;
          most = Math.max(most, running);
          return firstValueFrom(release).then(() => {
            running--;
            return x;
          });
        },
      },
      asyncScheduler,
      3,
    );
    const calls = Array.from({ length: 7 }, (_, i) => ch.call('process', [i], 10_000));
    expect(running).to.equal(3);
    for (let i = 0; i < 3; i++) {
      release.next();
      await Promise.resolve();
      await Promise.resolve();
    }
    expect(await Promise.all(calls)).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
    expect(most).to.equal(3);
    ch.close();
  });

  it('waits for open() before running requests', async () => {
    const ch = new ServiceChannel(
      'svc',
      { process: (x: number) => x * 2 },
      { concurrency: 1, timeout: 1000 },
      asyncScheduler,
      logger,
    );
    let ran = false;
    const call = ch.call('process', [4], 1000).then((v) => {
      ran = true;
      return v;
    });
    await Promise.resolve();
    expect(ran).to.equal(false);
    ch.open();
    expect(await call).to.equal(8);
    ch.close();
  });

  it('times out in virtual time on the exact frame, and the next call still gets its own answer', async () => {
    const scheduler = virtual();
    const results: unknown[] = [];
    const frames: number[] = [];
    let done: Promise<unknown>[] = [];
    scheduler.run(() => {
      const ch = channel(
        { process: (x: number) => timer(x === 1 ? 300 : 5).pipe(rxMap(() => x * 10)) },
        scheduler,
      );
      const record = (p: Promise<unknown>): Promise<unknown> =>
        outcome(p).then((r) => {
          results.push(r);
        });
      done = [record(ch.call('process', [1], 50)), record(ch.call('process', [2], 10_000))];
      ch.requests.subscribe();
      scheduler.schedule(() => frames.push(ch.stats().timeouts), 49);
      scheduler.schedule(() => frames.push(ch.stats().timeouts), 50);
      scheduler.schedule(() => {
        ch.close();
      }, 400);
    });
    await Promise.all(done);
    expect(frames).to.deep.equal([0, 1]);
    expect(results[0]).to.be.instanceOf(ServiceTimeoutError);
    expect((results[0] as Error).message).to.match(/svc\.process timed out after 50 ms/);
    expect(results[1]).to.equal(20);
  });

  it('never runs a request whose caller timed out while it waited in the queue', async () => {
    const scheduler = virtual();
    const ran: number[] = [];
    let done: Promise<unknown>[] = [];
    scheduler.run(() => {
      const ch = channel(
        {
          process: (x: number) => {
            ran.push(x);
            return timer(100).pipe(rxMap(() => x));
          },
        },
        scheduler,
      );
      done = [
        outcome(ch.call('process', [1], 1000)),
        outcome(ch.call('process', [2], 20)),
        outcome(ch.call('process', [3], 1000)),
      ];
      scheduler.schedule(() => {
        ch.close();
      }, 1000);
    });
    const [a, b, c] = await Promise.all(done);
    expect(a).to.equal(1);
    expect(b).to.be.instanceOf(ServiceTimeoutError);
    expect(c).to.equal(3);
    expect(ran).to.deep.equal([1, 3]);
  });

  it("unsubscribes a method's Observable when its caller times out, freeing the slot for the next request", async () => {
    const scheduler = virtual();
    let cancelled = false;
    let done: Promise<unknown>[] = [];
    const frames: number[] = [];
    scheduler.run(() => {
      const ch = channel(
        {
          process: (x: number) =>
            timer(x === 1 ? 50 : 2).pipe(
              rxMap(() => {
                frames.push(scheduler.now());
                return x;
              }),
              finalize(() => {
                if (x === 1) cancelled = true;
              }),
            ),
        },
        scheduler,
      );
      done = [outcome(ch.call('process', [1], 10)), outcome(ch.call('process', [2], 100))];
      scheduler.schedule(() => {
        ch.close();
      }, 200);
    });
    const [first, second] = await Promise.all(done);
    expect(first).to.be.instanceOf(ServiceTimeoutError);
    expect(cancelled).to.equal(true);
    expect(second).to.equal(2);
    expect(frames).to.deep.equal([12]);
  });

  it('never delivers a reply to any call but its own, whatever the delays, timeouts and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ delay: fc.integer({ min: 0, max: 40 }), timeout: fc.integer({ min: 1, max: 40 }) }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        fc.integer({ min: 1, max: 4 }),
        async (calls, concurrency) => {
          const scheduler = virtual();
          let settled: Promise<unknown>[] = [];
          let late = 0;
          scheduler.run(() => {
            const ch = channel(
              { process: (i: number, delay: number) => timer(delay).pipe(rxMap(() => `reply-${i}`)) },
              scheduler,
              concurrency,
            );
            settled = calls.map((c, i) => outcome(ch.call('process', [i, c.delay], c.timeout)));
            scheduler.schedule(() => {
              late = ch.stats().late;
              ch.close();
            }, 10_000);
          });
          const results = await Promise.all(settled);
          let timeouts = 0;
          results.forEach((r, i) => {
            if (r instanceof ServiceTimeoutError) timeouts++;
            else expect(r).to.equal(`reply-${i}`);
          });
          expect(timeouts).to.be.at.least(late);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('drops a reply that arrives after its caller cancelled, and gives its slot to the next call at once', async () => {
    const answer = new Subject<number>();
    let started = 0;
    const ch = channel({
      process: () => {
        started++;
        return firstValueFrom(answer);
      },
    });
    const id = ch.submit(
      'process',
      [],
      Infinity,
      () => expect.fail('a cancelled call must not be answered'),
      () => expect.fail('a cancelled call must not fail'),
    );
    ch.cancel(id);
    const next = ch.call('process', [], 1000);
    expect(started).to.equal(2);
    answer.next(1);
    expect(await next).to.equal(1);
    expect(ch.stats().late).to.equal(1);
    ch.close();
  });

  it("frees the slot of a Promise whose caller timed out, aborts the call's signal and drops its late reply", async () => {
    const scheduler = virtual();
    const never = new Subject<string>();
    const signals: (AbortSignal | undefined)[] = [];
    const started: number[] = [];
    let ch: ServiceChannel | undefined;
    let done: Promise<unknown>[] = [];
    const target = {
      process: (x: number) => {
        started.push(scheduler.now());
        signals.push(ch?.currentSignal());
        return x === 1 ? firstValueFrom(never) : `reply-${String(x)}`;
      },
    };
    scheduler.run(() => {
      ch = channel(target, scheduler);
      done = [1, 2, 3].map((x) => outcome((ch as ServiceChannel).call('process', [x], x === 1 ? 10 : 1000)));
    });
    expect(started).to.deep.equal([0, 10, 10]);
    never.next('too late');
    await Promise.resolve();
    const [first, second, third] = await Promise.all(done);
    expect(first).to.be.instanceOf(ServiceTimeoutError);
    expect(signals[0]?.aborted).to.equal(true);
    expect(signals[0]?.reason).to.equal(first);
    expect(signals[1]).to.be.instanceOf(AbortSignal);
    expect(second).to.equal('reply-2');
    expect(third).to.equal('reply-3');
    expect(ch?.currentSignal()).to.equal(undefined);
    expect(ch?.stats()).to.include({ timeouts: 1, replies: 2, late: 1 });
    ch?.close();
  });

  it('answers every waiting call with ServiceStoppedError on close, and refuses later calls', async () => {
    const ch = channel({ process: () => new Promise(() => undefined) });
    const waiting = [outcome(ch.call('process', [], 10_000)), outcome(ch.call('process', [], 10_000))];
    ch.close();
    for (const r of await Promise.all(waiting)) expect(r).to.be.instanceOf(ServiceStoppedError);
    expect(await outcome(ch.call('process', [], 10))).to.be.instanceOf(ServiceStoppedError);
    expect(ch.isClosed).to.equal(true);
  });

  it('starts a call the service makes to itself only after the method that made it returned, whatever the free slots', async () => {
    for (const rateLimit of [undefined, { perSecond: 1e6, burst: 1e6 }]) {
      const events: string[] = [];
      const target = {
        outer: (x: number) => {
          events.push(`outer ${String(x)} starts`);
          const inner = ch.call('inner', [x], 10_000);
          events.push(`outer ${String(x)} returns`);
          return inner;
        },
        inner: (x: number) => {
          events.push(`inner ${String(x)}`);
          return x * 10;
        },
      };
      const ch: ServiceChannel = new ServiceChannel(
        'svc',
        target,
        { concurrency: 4, timeout: 10_000, rateLimit: rateLimit && { ...rateLimit, cost: undefined } },
        asyncScheduler,
        logger,
      );
      ch.open();
      expect(await ch.call('outer', [1], 10_000)).to.equal(10);
      expect(events).to.deep.equal(['outer 1 starts', 'outer 1 returns', 'inner 1']);
      ch.close();
    }
  });

  it('handles a burst of 100,000 queued calls in order', async () => {
    const ch = channel({ process: (x: number) => Promise.resolve(x) });
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < 100_000; i++) calls.push(ch.call('process', [i], 10_000));
    const results = (await Promise.all(calls)) as number[];
    expect(results.every((v, i) => v === i)).to.equal(true);
    expect(ch.stats()).to.include({ calls: 100_000, replies: 100_000, pending: 0 });
    ch.close();
  });
});
