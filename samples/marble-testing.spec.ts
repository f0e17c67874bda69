// A marble spec to copy: it tests a whole pipeline — keyed state, a service with a timeout, pause and continue —
// in RxJS virtual time, with no real waiting. In your project, import from 'sage-kernel' and
// 'sage-kernel/testing' instead of the repository paths below.
import { expect } from 'chai';
import { asyncScheduler, map, of, Subject, timer, type Observable } from 'rxjs';
import { MapFunction, type BaseEnvironment, type DataStream } from 'sage-kernel';
import { Collector, FunctionHarness, runMarbles, TestEnvironment } from 'sage-kernel/testing';

// ---- The code under test ----------------------------------------------------------------------------------

interface Payment {
  readonly account: string;
  readonly cents: number;
}

/** Keeps a running balance per account (the key set by keyBy). */
class Balance extends MapFunction<Payment, string> {
  private readonly balances = new Map<unknown, number>();

  execute(p: Payment): string {
    const balance = (this.balances.get(this.ctx.getKey()) ?? 0) + p.cents;
    this.balances.set(this.ctx.getKey(), balance);
    return `${p.account}:${balance}`;
  }
}

/** A fraud-check service that answers after a few (virtual) milliseconds. */
class FraudCheck {
  process(p: Payment): Observable<boolean> {
    return timer(p.cents > 1000 ? 50 : 2).pipe(map(() => p.cents <= 1000));
  }
}

/** Build pipelines in a function that takes the environment and the source: tests pass an Observable. */
function balances(env: BaseEnvironment, payments: Observable<Payment>): DataStream<string> {
  env.registerService('fraud', FraudCheck);
  return env
    .fromObservable(payments)
    .filter(function (this: MapFunction<Payment, boolean>, p: Payment) {
      return this.callService$<boolean>({ service: 'fraud', timeout: 10 }, p);
    })
    .keyBy((p) => p.account)
    .map(Balance, { parallelism: 2 });
}

// ---- The specs --------------------------------------------------------------------------------------------

const payments: Record<string, Payment> = {
  a: { account: 'ann', cents: 100 },
  b: { account: 'bob', cents: 5 },
  c: { account: 'ann', cents: 20 },
  x: { account: 'bob', cents: 5000 }, // the fraud check takes 50 ms: it times out after 10 and is dropped
};

describe('sample: marble-testing a pipeline', () => {
  it('keyed balances, each 2 frames after its payment (the fraud check)', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      // Sink into a Subject, watch the Subject as a marble diagram, then submit.
      const out = new Subject<string>();
      expectObservable(out).toBe('---a--b--c|', { a: 'ann:100', b: 'bob:5', c: 'ann:120' });
      balances(env, hot('-a--b--c--|', payments)).sink(out);
      void env.submit();
    });
  });

  it('a payment whose check times out is dropped', async () => {
    await runMarbles(
      ({ env, hot, expectObservable }) => {
        const out = new Subject<string>();
        // x's check times out at 11 and x is dropped; b, long after, is checked in 2 frames as usual.
        expectObservable(out).toBe('63ms b|', { b: 'bob:5' });
        balances(env, hot('-x 59ms b--|', payments)).sink(out);
        void env.submit();
      },
      { config: { logLevel: 'silent' } },
    );
  });

  it('no payment moves while the job is paused', async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = new Subject<string>();
      expectObservable(out).toBe('---a--------b-(c|)', { a: 'ann:100', b: 'bob:5', c: 'ann:120' });
      // b arrives at 7, while the job is paused (4 to 10): it waits, and is checked from 10 to 12.
      balances(env, hot('-a-----b----c|', payments)).sink(out);
      void env.submit();
      env.pauseAt(4);
      env.continueAt(10);
    });
  });

  it('toObservable(): each subscription runs the job and emits what reaches that point', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a-b-c|', payments))
        .keyBy((p) => p.account)
        .map(Balance)
        .toObservable();
      expectObservable(out).toBe('-a-b-c|', { a: 'ann:100', b: 'bob:5', c: 'ann:120' });
    });
  });

  it('one function class on its own, with a key (FunctionHarness)', async () => {
    const harness = FunctionHarness.map(Balance, { key: (p) => p.account });
    await runMarbles(({ cold, expectObservable }) => {
      expectObservable(harness.run(cold('a-b-c|', payments))).toBe('a-b-c|', {
        a: 'ann:100',
        b: 'bob:5',
        c: 'ann:120',
      });
    });
    expect(harness.instances).to.have.length(1);
  });

  it('in real time too, without sleeping', async () => {
    const env = new TestEnvironment(asyncScheduler, 'real-time');
    const out = new Collector<string>();
    balances(env, of(payments.a!, payments.c!)).sink(out);
    await env.submit({ autostop: true });
    expect(out.values).to.deep.equal(['ann:100', 'ann:120']);
  });
});
