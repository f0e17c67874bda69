import { expect } from 'chai';
import { map as rxMap, Subject } from 'rxjs';
import { ServiceFactory } from '../../src/core/api/factory/service-factory.js';
import { MapFunction } from '../../src/core/api/function/map-function.js';
import { BaseService } from '../../src/core/api/service/base-service.js';
import { RetryableError } from '../../src/errors/retryable-error.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

/** Fails its first three attempts with a RetryableError, recording the frame of every attempt. */
class Flaky extends BaseService {
  static frames: number[] = [];
  process(x: number): number {
    Flaky.frames.push(this.ctx.scheduler.now());
    if (Flaky.frames.length <= 3) throw new RetryableError('busy', { status: 503 });
    return x * 10;
  }
}

/** Embeds texts in batches (the vector is the text's length), recording every batch with its frame. */
class Embed extends BaseService {
  static batches: [number, string[]][] = [];
  processBatch(texts: string[]): number[][] {
    Embed.batches.push([this.ctx.scheduler.now(), texts]);
    return texts.map((t) => [t.length]);
  }
}

class Ask extends MapFunction<number, number> {
  execute(x: number) {
    return this.callService$<number>('flaky', x);
  }
}

class EmbedText extends MapFunction<string, string> {
  execute(text: string) {
    return this.callService$<number[]>('embed', text).pipe(rxMap((vector) => `${text}:${String(vector[0])}`));
  }
}

describe('marble: service retries, batches and rate limits in virtual time', () => {
  beforeEach(() => {
    Flaky.frames = [];
    Embed.batches = [];
  });

  it('retries at frames 100, 300 and 700 for 100 ms doubling, and the record leaves on frame 700', async () => {
    await runMarbles(
      ({ env, cold, expectObservable, flush }) => {
        env.registerServiceFactory(
          new ServiceFactory('flaky', Flaky, [], {
            retry: { attempts: 4, initialDelayMs: 100, multiplier: 2 },
          }),
        );
        const out = new Subject<number>();
        expectObservable(out).toBe('700ms (a|)', { a: 70 });
        env
          .fromObservable(cold('(a|)', { a: 7 }))
          .map(Ask)
          .sink(out);
        void env.submit();
        flush();
        expect(Flaky.frames).to.deep.equal([0, 100, 300, 700]);
        expect(env.lastJob().services[0]).to.include({ attempts: 4, retries: 3, replies: 1 });
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('gathers the calls of parallel instances into batches of maxSize, flushed when full or after maxWaitMs', async () => {
    await runMarbles(
      ({ env, cold, expectObservable, flush }) => {
        env.registerServiceFactory(
          new ServiceFactory('embed', Embed, [], { batch: { maxSize: 3, maxWaitMs: 20 } }),
        );
        const out = env
          .fromObservable(cold('(abcd|)', { a: 'a', b: 'bb', c: 'ccc', d: 'dddd' }))
          .map(EmbedText, { parallelism: 4 })
          .toObservable();
        expectObservable(out).toBe('(abc) 15ms (d|)', { a: 'a:1', b: 'bb:2', c: 'ccc:3', d: 'dddd:4' });
        flush();
        expect(Embed.batches).to.deep.equal([
          [0, ['a', 'bb', 'ccc']],
          [20, ['dddd']],
        ]);
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('lets calls through a rate limit one refill apart: 10 per second, burst 1', async () => {
    await runMarbles(
      ({ env, cold, expectObservable, flush }) => {
        env.registerServiceFactory(
          new ServiceFactory('embed', Embed, [], {
            batch: { maxSize: 8, maxWaitMs: 0 },
            rateLimit: { perSecond: 10, burst: 1 },
          }),
        );
        const out = env
          .fromObservable(cold('(abc|)', { a: 'a', b: 'bb', c: 'ccc' }))
          .map(EmbedText)
          .toObservable();
        expectObservable(out).toBe('a 99ms b 99ms (c|)', { a: 'a:1', b: 'bb:2', c: 'ccc:3' });
        flush();
        expect(Embed.batches.map(([frame]) => frame)).to.deep.equal([0, 100, 200]);
        expect(env.lastJob().services[0]).to.include({ batches: 3, meanBatchSize: 1, throttledMs: 200 });
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('holds the source back while calls wait for tokens: it is pulled one record per call, one record ahead', async () => {
    const pulled: number[] = [];
    let pulledBy250 = -1;
    await runMarbles(
      ({ env, scheduler, expectObservable, flush }) => {
        env.registerServiceFactory(
          new ServiceFactory('embed', Embed, [], {
            batch: { maxSize: 8, maxWaitMs: 0 },
            rateLimit: { perSecond: 10, burst: 1 },
          }),
        );
        function* texts(): Generator<string> {
          for (let i = 1; i <= 1_000; i++) {
            pulled.push(scheduler.now());
            yield 'x'.repeat(i % 5);
          }
        }
        const out = env.fromBatch(texts()).map(EmbedText).toObservable();
        scheduler.schedule(() => {
          pulledBy250 = pulled.length;
        }, 250);
        expectObservable(out.pipe(rxMap(() => 'r')), '^ 300ms !').toBe('r 99ms r 99ms r 99ms r');
        flush();
      },
      { config: { logLevel: 'silent' } },
    );
    // calls at frames 0, 100, 200, 300; the source is one record ahead of them (the one the task holds while
    // its call waits), not 1,000
    expect(pulled.slice(0, 5)).to.deep.equal([0, 0, 100, 200, 300]);
    expect(pulledBy250).to.equal(4);
  });
});
