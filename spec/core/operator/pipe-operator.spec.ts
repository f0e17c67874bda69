import { expect } from 'chai';
import {
  asyncScheduler,
  Observable,
  bufferCount,
  Subscription,
  debounceTime,
  delay,
  finalize,
  map,
  merge,
  mergeMap,
  of,
  pairwise,
  scan,
  take,
  throwError,
  timer,
  type OperatorFunction,
} from 'rxjs';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';
import { lowerPipe } from '../../../src/core/operator/pipe-operator.js';
import { PipeTransformation } from '../../../src/core/transformation/pipe-transformation.js';
import { JobGate } from '../../../src/kernel/runtime/job-gate.js';
import { OperatorMetrics } from '../../../src/kernel/runtime/metrics/operator-metrics.js';
import type { OperatorRuntime } from '../../../src/kernel/runtime/operator-runtime.js';
import type { Step } from '../../../src/kernel/runtime/step.js';
import { runMarbles } from '../../../src/testing/run-marbles.js';

interface Reading {
  readonly sensor: string;
  readonly value: number;
}

/** Numbers the pairs of each key with keyed state. */
class CountPairs extends MapFunction<[number, number], string> {
  execute([p, c]: [number, number]): string {
    const seen = this.ctx.state.value('seen', 0);
    seen.set(seen.get() + 1);
    return `${String(this.ctx.getKey())}:${String(p)}->${String(c)}#${String(seen.get())}`;
  }
}

function env(name: string): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager() });
}

/** Fails on a record equal to `bad`, otherwise passes it on. */
function failOn(bad: number): OperatorFunction<number, number> {
  return map((x) => {
    if (x === bad) throw new Error(`bad record ${bad}`);
    return x;
  });
}

/** An inner Observable per record: `bad` fails 5 ms (of the scheduler's time) later, the others pass at once. */
function failLater(bad: number): (x: number) => Observable<number> {
  return (x) =>
    x === bad
      ? timer(5).pipe(mergeMap(() => throwError(() => new Error(`late failure ${String(bad)}`))))
      : of(x);
}

describe('pipe (RxJS operators as one step)', () => {
  it('gives every record to each subscription of the source when an operator subscribes to it twice', async () => {
    const e = env('pipe-twice');
    const both: OperatorFunction<number, string> = (s) =>
      merge(s.pipe(map((x) => `a${String(x)}`)), s.pipe(map((x) => `b${String(x)}`)));
    const unkeyed: string[] = [];
    const keyed: string[] = [];
    e.fromBatch([1, 2, 3])
      .pipe(both)
      .sink((x) => {
        unkeyed.push(x);
      });
    e.fromBatch([1, 2, 3, 4])
      .keyBy((x) => x % 2)
      .pipe(both, take<string>(3))
      .sink((x) => {
        keyed.push(x);
      });
    await e.submit({ autostop: true });
    expect(unkeyed).to.deep.equal(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
    // Key 1 sees 1 and 3, key 0 sees 2 and 4; each key's chain stops after three outputs.
    expect([...keyed].sort()).to.deep.equal(['a1', 'a2', 'a3', 'a4', 'b1', 'b2'].sort());
  });

  it('runs the chain once per instance on an unkeyed stream and flushes it at the end of input', async () => {
    const e = env('pipe-unkeyed');
    const out: number[][] = [];
    e.fromBatch([1, 2, 3, 4, 5])
      .pipe(bufferCount(2))
      .sink((b) => {
        out.push(b);
      });
    await e.submit({ autostop: true });
    expect(out).to.deep.equal([[1, 2], [3, 4], [5]]);
  });

  it('is typed end to end across several operators', async () => {
    const e = env('pipe-typed');
    const out: string[] = [];
    e.fromBatch([1, 2, 3])
      .pipe(
        scan((sum, x: number) => sum + x, 0),
        map((sum) => `sum=${String(sum)}`),
      )
      .sink((s: string) => {
        out.push(s);
      });
    await e.submit({ autostop: true });
    expect(out).to.deep.equal(['sum=1', 'sum=3', 'sum=6']);
  });

  it('runs once per key on a hash-keyed stream; outputs keep the key for keyed state after it', async () => {
    const e = env('pipe-keyed');
    const out: string[] = [];
    const readings: Reading[] = [
      { sensor: 'a', value: 1 },
      { sensor: 'b', value: 10 },
      { sensor: 'a', value: 2 },
      { sensor: 'b', value: 20 },
      { sensor: 'a', value: 3 },
    ];
    e.fromBatch(readings)
      .keyBy((r) => r.sensor)
      .pipe(
        map((r: Reading) => r.value),
        pairwise(),
        { parallelism: 3 },
      )
      .map(CountPairs)
      .sink((s: string) => {
        out.push(s);
      });
    await e.submit({ autostop: true });
    expect([...out].sort()).to.deep.equal(['a:1->2#1', 'a:2->3#2', 'b:10->20#1']);
  });

  it('takes its input parallelism when no options are given', () => {
    const e = env('pipe-parallelism');
    const piped = e
      .fromBatch([1])
      .map((x) => x, { parallelism: 3 })
      .pipe(take(1));
    expect(piped.transformation.parallelism).to.equal(3);
  });

  it("under 'skip' drops the failed chain, counts the error and rebuilds the chain for the next record", async () => {
    const e = env('pipe-skip');
    const out: number[] = [];
    e.fromBatch([1, 2, 3, 4])
      .pipe(
        failOn(2),
        scan((n: number, x: number) => n + x, 0),
        { name: 'guarded', errorPolicy: 'skip' },
      )
      .sink((x: number) => {
        out.push(x);
      });
    const uuid = await e.submit({ autostop: true });
    expect(out).to.deep.equal([1, 3, 7]);
    const status = e.jobManager.getJobStatus(uuid);
    expect(JSON.stringify(status)).to.contain('bad record 2');
  });

  it("under 'fail' fails the job with the chain's error", async () => {
    const e = env('pipe-fail');
    e.fromBatch([1, 2, 3])
      .pipe(failOn(2), { errorPolicy: 'fail' })
      .sink(() => undefined);
    let failure: unknown;
    try {
      await e.submit({ autostop: true });
    } catch (err) {
      failure = err;
    }
    expect(String(failure)).to.contain('bad record 2');
  });

  it("ends a key whose chain its operators completed: the key's later records are dropped, as RxJS's groupBy drops them", async () => {
    const e = env('pipe-release');
    const out: string[] = [];
    e.fromBatch(['a', 'a', 'b', 'a', 'b', 'c'])
      .keyBy((s) => s)
      .pipe(take(1))
      .sink((s: string) => {
        out.push(s);
      });
    await e.submit({ autostop: true });
    expect(out).to.deep.equal(['a', 'b', 'c']);
  });

  it('ends an unkeyed chain its operators completed: the instance drops the records after it, as RxJS does', async () => {
    const e = env('pipe-take-unkeyed');
    const out: number[] = [];
    e.fromBatch([1, 2, 3, 4, 5])
      .pipe(take(2))
      .sink((x: number) => {
        out.push(x);
      });
    await e.submit({ autostop: true });
    expect(out).to.deep.equal([1, 2]);
  });

  it('with keyIdleTimeoutMs, forgets a key whose chain completed once it saw no record for that long: its next record starts afresh (virtual time)', async () => {
    await runMarbles(({ env: e, cold, expectObservable }) => {
      // a at 0 (taken), 2 (dropped: the key is done), 20 (idle for more than 5 since: a fresh chain takes it).
      const out = e
        .fromObservable(cold('a-a 17ms a|'))
        .keyBy((s) => s)
        .pipe(take(1), { keyIdleTimeoutMs: 5 })
        .toObservable();
      expectObservable(out).toBe('a 19ms a|');
    });
  });

  it('finds a key by its value on every record, also when its object changed since the last record', async () => {
    const e = env('pipe-object-key');
    const out: number[] = [];
    const shared = { id: '' };
    e.fromBatch(['a', 'a', 'b', 'a'])
      .keyBy((s) => {
        shared.id = s;
        return shared;
      })
      .pipe(scan((n: number) => n + 1, 0))
      .sink((n) => {
        out.push(n);
      });
    await e.submit({ autostop: true });
    expect(out).to.deep.equal([1, 2, 1, 3]);
  });

  it('passes nothing on that an operator emits after it completed', async () => {
    const e = env('pipe-late');
    const out: string[] = [];
    const sloppy: OperatorFunction<string, string> = (source) =>
      new Observable<string>((subscriber) =>
        source.subscribe({
          next: (v) => {
            subscriber.next(v);
          },
          complete: () => {
            subscriber.complete();
            subscriber.next('late');
          },
        }),
      );
    e.fromBatch(['a', 'b'])
      .pipe(sloppy)
      .sink((s) => {
        out.push(s);
      });
    await e.submit({ autostop: true });
    expect(out).to.deep.equal(['a', 'b']);
  });

  it('tears every chain down when the job stops (virtual time)', async () => {
    let finalized = 0;
    await runMarbles(
      ({ env: e, hot, expectObservable }) => {
        const out = e
          .fromObservable(hot('-a-b-a-'))
          .keyBy((s) => s)
          .pipe(
            finalize(() => {
              finalized++;
            }),
          )
          .toObservable();
        expectObservable(out, '^ 9ms !').toBe('-a-b-a-');
      },
      { horizon: 30 },
    );
    expect(finalized).to.equal(2);
  });

  it('waits at the end of input for chains that complete later (virtual time)', async () => {
    await runMarbles(({ env: e, cold, expectObservable }) => {
      const out = e.fromObservable(cold('a-b|')).pipe(delay(5)).toObservable();
      expectObservable(out).toBe('-----a-(b|)');
    });
  });

  it("under 'fail' fails the job when a chain errors while completing at the end of input (virtual time)", async () => {
    const events: string[] = [];
    await runMarbles(({ env: e, cold, scheduler }) => {
      e.fromObservable(cold('a-b|', { a: 1, b: 2 }))
        .pipe(mergeMap(failLater(2)), { errorPolicy: 'fail' })
        .toObservable()
        .subscribe({
          next: (v) => events.push(`${String(scheduler.now())} ${String(v)}`),
          error: (err: unknown) => events.push(`${String(scheduler.now())} error ${String(err)}`),
          complete: () => events.push(`${String(scheduler.now())} complete`),
        });
    });
    // b's inner fails at frame 7, after the input completed at frame 3: the job fails, it does not complete.
    expect(events).to.have.length(2);
    expect(events[0]).to.equal('0 1');
    expect(events[1]).to.match(/^7 error .*late failure 2/);
  });

  it("under 'skip' logs and counts the error of a chain that fails while completing, then completes", async () => {
    const e = env('pipe-skip-late');
    const out: number[] = [];
    e.fromBatch([1, 2, 3])
      .keyBy((x) => x % 2)
      .pipe(mergeMap(failLater(2)), { errorPolicy: 'skip', name: 'late' })
      .sink((x: number) => {
        out.push(x);
      });
    const uuid = await e.submit({ autostop: true });
    expect(out).to.deep.equal([1, 3]);
    const status = e.jobManager.getJobStatus(uuid);
    expect(status.status).to.equal('completed');
    const late = 'operators' in status ? status.operators.find((o) => o.operator === 'late') : undefined;
    expect(late?.errors).to.equal(1);
  });

  it('completes a key chain after keyIdleTimeoutMs without records, flushing it (virtual time)', async () => {
    await runMarbles(({ env: e, cold, expectObservable }) => {
      const out = e
        .fromObservable(cold('a-a 20ms a|', { a: 'a' }))
        .keyBy((s) => s)
        .pipe(bufferCount<string>(10), { keyIdleTimeoutMs: 10 })
        .map((b: string[]) => b.length)
        .toObservable();
      expectObservable(out).toBe('12ms x 11ms (y|)', { x: 2, y: 1 });
    });
  });

  it('holds back what timers inside a chain emit while the job is paused (virtual time)', async () => {
    await runMarbles(({ env: e, cold, expectObservable }) => {
      e.pauseAt(1);
      e.continueAt(20);
      const out = e.fromObservable(cold('a 10ms |')).pipe(debounceTime(3)).toObservable();
      expectObservable(out).toBe('-------------------- (a|)');
    });
  });

  it('warns once per job that its operators start empty, when checkpointing is on or the job is restored', () => {
    const warnings: string[] = [];
    const runtime = (config: object, restored: object | undefined): OperatorRuntime =>
      ({
        ctx: {
          config,
          scheduler: asyncScheduler,
          logger: {
            warn: (message: string) => {
              warnings.push(message);
            },
          },
        },
        metrics: new OperatorMetrics('batches', 0),
        gate: new JobGate(),
        subscription: new Subscription(),
        restored,
        onStart: () => undefined,
      }) as unknown as OperatorRuntime;
    const out: Step<unknown> = { next: () => undefined, complete: () => undefined };
    const t = new PipeTransformation({ name: 'batches', parallelism: 2 }, [bufferCount(2)], undefined);
    const plain = lowerPipe(t);
    plain.create(runtime({}, undefined), out);
    plain.create(runtime({}, undefined), out);
    expect(warnings).to.deep.equal([]);
    const restored = lowerPipe(t);
    restored.create(runtime({}, {}), out);
    restored.create(runtime({}, {}), out);
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('[batches]').and.contain('start empty');
    const checkpointed = lowerPipe(t);
    checkpointed.create(runtime({ checkpointing: { intervalMs: 100 } }, undefined), out);
    checkpointed.create(runtime({ checkpointing: { intervalMs: 100 } }, undefined), out);
    expect(warnings).to.have.length(2);
  });

  it('takes a trailing options argument that is undefined as no options (its type allows it)', async () => {
    const e = env('pipe-undefined-options');
    const optionsOf = (named: boolean): { name: string } | undefined =>
      named ? { name: 'halves' } : undefined;
    const out: number[][] = [];
    e.fromBatch([1, 2, 3])
      .pipe(bufferCount<number>(2), optionsOf(false))
      .sink((b: number[]) => {
        out.push(b);
      });
    await e.submit({ autostop: true });
    expect(out).to.deep.equal([[1, 2], [3]]);
  });

  it('rejects arguments that are not operator functions and a bad keyIdleTimeoutMs', () => {
    const e = env('pipe-bad');
    const s = e.fromBatch([1]);
    expect(() => s.pipe(...([42] as unknown as [OperatorFunction<number, number>]))).to.throw(
      'pipe: expected',
    );
    expect(() => s.pipe(take(1), { keyIdleTimeoutMs: -1 })).to.throw('keyIdleTimeoutMs');
  });
});
