import { expect } from 'chai';
import {
  bufferCount,
  bufferTime,
  debounceTime,
  distinctUntilChanged,
  firstValueFrom,
  from,
  lastValueFrom,
  of,
  pairwise,
  scan,
  Subject,
  take,
  toArray,
} from 'rxjs';
import type { DataStream } from '../../../src/core/api/data-stream.js';
import { sameType } from '../../helpers/same-type.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { FlatMapFunction } from '../../../src/core/api/function/flat-map-function.js';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../../src/core/api/function/sink-function.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { JobFailedError } from '../../../src/errors/job-failed-error.js';
import { InvalidFunctionError } from '../../../src/errors/invalid-function-error.js';
import { collect, collectByInstance } from '../../helpers/collect.js';
import { within } from '../../helpers/wait-for.js';
import { runMarbles } from '../../../src/testing/run-marbles.js';

describe('DataStream', () => {
  let jm: JobManager;
  let env: LocalEnvironment;

  beforeEach(() => {
    jm = new JobManager();
    env = new LocalEnvironment('stream', { jobManager: jm, logLevel: 'silent' });
  });

  describe('map', () => {
    it('drops undefined results and a record whose function throws, keeping the others in order', async () => {
      const out = collect(
        env.fromBatch([1, 2, 3, 4, 5]).map((x) => {
          if (x === 2) throw new Error('bad');
          if (x === 4) return undefined;
          return x;
        }),
      );
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([1, 3, 5]);
    });

    it('awaits Promise results and flattens Observable results, in order', async () => {
      const out = collect(
        env
          .fromBatch([1, 2, 3])
          .map((x) => Promise.resolve(x * 2))
          .map((x) => of(x, x + 1)),
      );
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([2, 3, 4, 5, 6, 7]);
    });

    it('keeps order at parallelism 1 when calls take different times', async () => {
      const out = collect(
        env.fromBatch([30, 1, 20, 2]).map(
          (ms) =>
            new Promise<number>((resolve) =>
              setTimeout(() => {
                resolve(ms);
              }, ms),
            ),
        ),
      );
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([30, 1, 20, 2]);
    });

    it('runs n async calls side by side at parallelism n (4 in flight at most)', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      const out = collect(
        env.fromBatch(Array.from({ length: 40 }, (_, i) => i)).map(
          async (x) => {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 2));
            inFlight--;
            return x;
          },
          { parallelism: 4 },
        ),
      );
      await within(env.submit({ autostop: true }), 5000, 'the async job to end');
      expect(maxInFlight).to.equal(4);
      expect([...out].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 40 }, (_, i) => i));
    });

    it('rejects a function class of the wrong kind with InvalidFunctionError', () => {
      class Words extends FlatMapFunction<string, string> {
        execute(s: string): string[] {
          return s.split(' ');
        }
      }
      class Out extends SinkFunction<string> {
        execute(): void {
          return undefined;
        }
      }
      const stream = env.fromBatch(['a b']);
      expect(() => stream.map(Out as never)).to.throw(InvalidFunctionError, /got function Out/);
      expect(() => stream.map(Words as never)).to.throw(
        InvalidFunctionError,
        /map: expected a function or a MapFunction class/,
      );
      expect(() => stream.map(42 as never)).to.throw(InvalidFunctionError, /got number 42/);
    });
  });

  describe('filter', () => {
    it('keeps records with a truthy result, sync or Promise<boolean>', async () => {
      const out = collect(
        env
          .fromBatch([0, 1, 2, 3, 4, 5, 6])
          .filter((x) => x % 2 === 0)
          .filter((x) => Promise.resolve(x > 0)),
      );
      await env.submit({ autostop: true });
      expect(out).to.deep.equal([2, 4, 6]);
    });
  });

  describe('flatMap', () => {
    it('emits the returned items first, then the collected ones: [r1, c1, r2, c2] for [1, 2]', async () => {
      class Both extends FlatMapFunction<number, string> {
        execute(n: number): string[] {
          this.collect(`c${n}`);
          return [`r${n}`];
        }
      }
      const out = collect(env.fromBatch([1, 2]).flatMap(Both));
      await env.submit({ autostop: true });
      expect(out).to.deep.equal(['r1', 'c1', 'r2', 'c2']);
    });

    it('accepts a plain function returning an iterable, and a Promise of one', async () => {
      const out = collect(
        env
          .fromBatch(['a b', 'c'])
          .flatMap((line) => line.split(' '))
          .flatMap((w) => Promise.resolve([w, w.toUpperCase()])),
      );
      await env.submit({ autostop: true });
      expect(out).to.deep.equal(['a', 'A', 'b', 'B', 'c', 'C']);
    });

    it('counts a non-iterable result as an error and drops its collected items', async () => {
      const out = collect(
        env.fromBatch([1, 2]).flatMap(
          function (this: FlatMapFunction<number, number>, x: number) {
            this.collect(x * 100);
            return (x === 1 ? 7 : [x]) as unknown as number[];
          },
          { name: 'odd' },
        ),
      );
      const uuid = await env.submit({ autostop: true });
      expect(out).to.deep.equal([2, 200]);
      const status = jm.getJobStatus(uuid);
      expect(status.status !== 'not_found' && status.operators.find((o) => o.operator === 'odd')).to.include({
        errors: 1,
      });
    });
  });

  describe('fan-out and routing', () => {
    it('gives every record to each of three consumers', async () => {
      const source = env.fromBatch([1, 2, 3]);
      const a = collect(source);
      const b = collect(source.map((x) => x * 10));
      const c = collect(source.filter((x) => x !== 2));
      await env.submit({ autostop: true });
      expect(a).to.deep.equal([1, 2, 3]);
      expect(b).to.deep.equal([10, 20, 30]);
      expect(c).to.deep.equal([1, 3]);
    });

    it('spreads unkeyed records round-robin over 3 sink instances: 3 each of 9', async () => {
      const byInstance = collectByInstance(env.fromBatch([1, 2, 3, 4, 5, 6, 7, 8, 9]), { parallelism: 3 });
      await env.submit({ autostop: true });
      expect(byInstance.map((r) => r.length)).to.deep.equal([3, 3, 3]);
      expect(byInstance.flat().sort((x, y) => x - y)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('sends every hash key to exactly one instance, falsy keys 0, "" and false included', async () => {
      const keys: unknown[] = [0, '', false, 1, 'a', true, null, 'b', 2, 'c'];
      const records = Array.from({ length: 200 }, (_, i) => ({ i, key: keys[i % keys.length] }));
      const byInstance = collectByInstance(
        env.fromBatch(records).keyBy((r) => r.key),
        { parallelism: 3 },
      );
      await env.submit({ autostop: true });
      expect(byInstance.flat()).to.have.length(200);
      for (const key of keys) {
        const holders = byInstance.filter((recs) => recs.some((r) => Object.is(r.key, key)));
        expect(holders, `key ${JSON.stringify(key)}`).to.have.length(1);
      }
      expect(byInstance.filter((recs) => recs.length > 0).length).to.be.greaterThan(1);
    });

    it('keeps the hash partitioning through later map/filter steps until the next keyBy', async () => {
      const seen = new Map<number, Set<number>>();
      env
        .fromBatch(Array.from({ length: 60 }, (_, i) => i))
        .keyBy((x) => x % 5)
        .map((x) => x, { parallelism: 3 })
        .filter(() => true, { parallelism: 2 })
        .sink(
          function (this: MapFunction<number, number>, x: number) {
            const key = this.ctx.getKey() as number;
            expect(key).to.equal(x % 5);
            const set = seen.get(key) ?? new Set<number>();
            set.add(this.ctx.parallelIndex);
            seen.set(key, set);
          },
          { parallelism: 3 },
        );
      await env.submit({ autostop: true });
      expect([...seen.keys()].sort()).to.deep.equal([0, 1, 2, 3, 4]);
      for (const instances of seen.values()) expect(instances.size).to.equal(1);
    });

    it("broadcasts every record to all 3 instances with strategy 'broadcast'", async () => {
      const byInstance = collectByInstance(
        env.fromBatch([1, 2, 3]).keyBy((x) => x, { strategy: 'broadcast' }),
        { parallelism: 3 },
      );
      await env.submit({ autostop: true });
      expect(byInstance).to.deep.equal([
        [1, 2, 3],
        [1, 2, 3],
        [1, 2, 3],
      ]);
    });

    it("spreads keyed records round-robin with strategy 'round-robin'", async () => {
      const byInstance = collectByInstance(
        env.fromBatch([1, 1, 1, 1, 1, 1]).keyBy((x) => x, { strategy: 'round-robin' }),
        { parallelism: 3 },
      );
      await env.submit({ autostop: true });
      expect(byInstance.map((r) => r.length)).to.deep.equal([2, 2, 2]);
    });

    it('counts per key through ctx.getKey() at parallelism 2', async () => {
      class Count extends MapFunction<string, [string, number]> {
        private readonly counts = new Map<string, number>();
        execute(): [string, number] {
          const key = this.ctx.getKey() as string;
          const n = (this.counts.get(key) ?? 0) + 1;
          this.counts.set(key, n);
          return [key, n];
        }
      }
      const words = ['a', 'b', 'a', 'c', 'b', 'a', 'd', 'c', 'a'];
      const out = collect(
        env
          .fromBatch(words)
          .keyBy((w) => w)
          .map(Count, { parallelism: 2 }),
      );
      await env.submit({ autostop: true });
      const final = new Map<string, number>();
      for (const [k, n] of out) final.set(k, Math.max(final.get(k) ?? 0, n));
      expect(Object.fromEntries(final)).to.deep.equal({ a: 4, b: 2, c: 2, d: 1 });
      expect(out).to.have.length(words.length);
    });

    it('rejects an unknown keyBy strategy', () => {
      expect(() => env.fromBatch([1]).keyBy((x) => x, { strategy: 'random' as 'hash' })).to.throw(
        TypeError,
        /strategy/,
      );
    });
  });

  describe('pipe typing', () => {
    // Checked by `npm run typecheck`: an operator whose type parameter comes only from its place in the chain
    // (`debounceTime`, `bufferTime`, `distinctUntilChanged`, `pairwise`) is typed from the operator before it,
    // with or without options, as in RxJS's own `pipe`.
    it('infers the type of operators generic only in their input, with or without options', async () => {
      const e = env;
      const numbers = e.fromBatch([1, 1, 2, 3]);
      const pairs = numbers.pipe(distinctUntilChanged(), pairwise());
      sameType<typeof pairs, DataStream<[number, number]>>(true);
      const _batches = numbers.pipe(debounceTime(1), bufferTime(5), { name: 'batches' });
      sameType<typeof _batches, DataStream<number[]>>(true);
      const _keyed = numbers
        .keyBy((x) => x % 2)
        .pipe(
          scan((a: number, x: number) => a + x, 0),
          pairwise(),
          undefined,
        );
      sameType<typeof _keyed, DataStream<[number, number]>>(true);
      const _joined = numbers.connect(e.fromBatch([4])).pipe(distinctUntilChanged(), bufferCount(2));
      sameType<typeof _joined, DataStream<number[]>>(true);
      const out: [number, number][] = [];
      pairs.sink((p) => {
        out.push(p);
      });
      await e.submit({ autostop: true });
      expect(out).to.deep.equal([
        [1, 2],
        [2, 3],
      ]);
    });
  });

  describe('observables', () => {
    it('reads fromObservable and writes toObservable', async () => {
      const result = await within(
        lastValueFrom(
          env
            .fromObservable(from([1, 2, 3]))
            .map((x) => x + 1)
            .toObservable()
            .pipe(toArray()),
        ),
        2000,
        'toObservable to complete',
      );
      expect(result).to.deep.equal([2, 3, 4]);
    });

    it("makes the job a subscription starts the environment's current job: env.jobId and env.callService reach it (virtual time)", async () => {
      class Counter {
        n = 0;
        process(x: number): number {
          this.n += x;
          return this.n;
        }
      }
      const seen: unknown[] = [];
      await runMarbles(({ env: e, cold, scheduler }) => {
        e.registerService('counter', Counter);
        e.fromObservable(cold('a-b 10ms |', { a: 1, b: 2 }))
          .map(async function (this: MapFunction<number, number>, x: number) {
            return this.callService<number>('counter', x);
          })
          .toObservable()
          .subscribe();
        seen.push(e.jobId !== undefined);
        scheduler.schedule(() => {
          void e.callService('counter', 10).then(
            (n) => seen.push(n),
            (err: unknown) => seen.push(String(err)),
          );
        }, 5);
      });
      expect(seen).to.deep.equal([true, 13]);
    });

    it('an unsubscribe while the subscription still starts the job (take on a synchronous source) stops it there', () => {
      const seen: number[] = [];
      const got: number[] = [];
      env
        .fromBatch([1, 2, 3, 4, 5])
        .map((x) => {
          seen.push(x);
          return x;
        })
        .toObservable()
        .pipe(take(2))
        .subscribe((x) => got.push(x));
      // As `of(1, 2, 3, 4, 5).pipe(tap(...), take(2))`: the records after the unsubscribe never run.
      expect(got).to.deep.equal([1, 2]);
      expect(seen).to.deep.equal([1, 2]);
      expect(jm.listJobs().map((j) => j.status)).to.deep.equal(['stopped']);
    });

    it('errors toObservable when the job fails', async () => {
      const strict = new LocalEnvironment('strict-obs', {
        jobManager: jm,
        errorPolicy: 'fail',
        logLevel: 'silent',
      });
      const original = new Error('obs boom');
      const stream = strict.fromBatch([1, 2]).map((x) => {
        if (x === 2) throw original;
        return x;
      });
      const error: unknown = await firstValueFrom(stream.toObservable().pipe(toArray())).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(JobFailedError);
      expect((error as Error).cause).to.equal(original);
    });

    it('uses a Subject as a sink: next per record, complete once after the last instance', async () => {
      const subject = new Subject<number>();
      const events: string[] = [];
      subject.subscribe({
        next: (x) => events.push(`n${x}`),
        complete: () => events.push('complete'),
        error: () => events.push('error'),
      });
      env.fromBatch([1, 2, 3, 4]).sink(subject, { parallelism: 3 });
      await env.submit({ autostop: true });
      expect(events.filter((e) => e === 'complete')).to.have.length(1);
      expect(events[events.length - 1]).to.equal('complete');
      expect(events.filter((e) => e.startsWith('n')).sort()).to.deep.equal(['n1', 'n2', 'n3', 'n4']);
    });

    it("errors a Subject sink when the job fails under errorPolicy 'fail'", async () => {
      const strict = new LocalEnvironment('strict-subject', {
        jobManager: jm,
        errorPolicy: 'fail',
        logLevel: 'silent',
      });
      const subject = new Subject<number>();
      const events: string[] = [];
      let received: unknown;
      subject.subscribe({
        next: (x) => events.push(`n${x}`),
        complete: () => events.push('complete'),
        error: (e: unknown) => {
          received = e;
          events.push('error');
        },
      });
      strict
        .fromBatch([1, 2, 3])
        .map((x) => {
          if (x === 3) throw new Error('late failure');
          return x;
        })
        .sink(subject);
      await strict.submit({ autostop: true }).catch(() => undefined);
      expect(events).to.deep.equal(['n1', 'n2', 'error']);
      expect(received).to.be.instanceOf(JobFailedError);
    });
  });
});
