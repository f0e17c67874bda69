import { expect } from 'chai';
import { timer, map as rxMap } from 'rxjs';
import { FilterFunction } from '../../src/core/api/function/filter-function.js';
import { FlatMapFunction } from '../../src/core/api/function/flat-map-function.js';
import { KeyByFunction } from '../../src/core/api/function/key-by-function.js';
import { MapFunction } from '../../src/core/api/function/map-function.js';
import { SinkFunction } from '../../src/core/api/function/sink-function.js';
import { JobFailedError } from '../../src/errors/job-failed-error.js';
import { JobStateError } from '../../src/errors/job-state-error.js';
import { instanceForKey } from '../../src/kernel/runtime/key/key-group.js';
import { FunctionHarness } from '../../src/testing/function-harness.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

interface Sale {
  readonly user: string;
  readonly amount: number;
}

class Scale extends MapFunction<number, number> {
  constructor(private readonly factor: number) {
    super();
  }
  execute(x: number): number {
    return x * this.factor;
  }
}

class RunningSum extends MapFunction<Sale, string> {
  readonly sums = new Map<unknown, number>();
  execute(sale: Sale): string {
    const key = this.ctx.getKey();
    const sum = (this.sums.get(key) ?? 0) + sale.amount;
    this.sums.set(key, sum);
    return `${String(key)}=${sum}`;
  }
}

class WhoAmI extends MapFunction<number, string> {
  execute(x: number): string {
    return `${this.ctx.name}:${x}`;
  }
}

class Slow extends MapFunction<number, number> {
  execute(x: number) {
    return timer(3).pipe(rxMap(() => x + 1));
  }
}

class Even extends FilterFunction<number> {
  execute(x: number): boolean {
    return x % 2 === 0;
  }
}

class Words extends FlatMapFunction<string, string> {
  execute(line: string): string[] {
    const [first, ...rest] = line.split(' ');
    for (const w of rest) this.collect(w);
    return first === undefined ? [] : [first];
  }
}

class ByUser extends KeyByFunction<Sale, string> {
  execute(sale: Sale): string {
    return sale.user;
  }
}

class Store extends SinkFunction<number> {
  readonly stored: number[] = [];
  closed = 0;
  execute(x: number): void {
    this.stored.push(x);
  }
  close(): void {
    this.closed++;
  }
}

class Boom extends MapFunction<number, number> {
  execute(x: number): number {
    if (x === 2) throw new Error('two is not allowed');
    return x;
  }
}

describe('FunctionHarness', () => {
  it('runs a map class with constructor args against a marble input', async () => {
    await runMarbles(({ cold, expectObservable }) => {
      const harness = FunctionHarness.map(Scale, { args: [10] });
      expectObservable(harness.run(cold('-a-b-|', { a: 1, b: 2 }))).toBe('-a-b-|', { a: 10, b: 20 });
    });
  });

  it('gives the function its ctx (instance name)', async () => {
    await runMarbles(({ cold, expectObservable }) => {
      const harness = FunctionHarness.map(WhoAmI);
      expectObservable(harness.run(cold('a|', { a: 1 }))).toBe('a|', { a: 'WhoAmI_0:1' });
    });
  });

  it('keys the input: ctx.getKey() sees the key, and per-key state stays on one instance', async () => {
    const sales: Record<string, Sale> = {
      a: { user: 'ann', amount: 1 },
      b: { user: 'bob', amount: 10 },
      c: { user: 'ann', amount: 2 },
      d: { user: 'bob', amount: 20 },
    };
    const harness = FunctionHarness.map(RunningSum, { key: (s) => s.user, parallelism: 2 });
    await runMarbles(({ hot, expectObservable }) => {
      expectObservable(harness.run(hot('-a-b-c-d-|', sales))).toBe('-a-b-c-d-|', {
        a: 'ann=1',
        b: 'bob=10',
        c: 'ann=3',
        d: 'bob=30',
      });
    });
    expect(harness.instances).to.have.length(2);
    expect(harness.instanceFor('ann').sums.get('ann')).to.equal(3);
    expect(harness.instanceFor('bob').sums.get('bob')).to.equal(30);
    expect(harness.instances[instanceForKey('ann', 2)]!.sums.has('bob')).to.equal(
      instanceForKey('bob', 2) === instanceForKey('ann', 2),
    );
  });

  it('waits for an Observable result in virtual time', async () => {
    await runMarbles(({ cold, expectObservable }) => {
      const harness = FunctionHarness.map(Slow);
      expectObservable(harness.run(cold('-a-b|', { a: 1, b: 2 }))).toBe('----a--(b|)', { a: 2, b: 3 });
    });
  });

  it('runs a filter class', async () => {
    await runMarbles(({ cold, expectObservable }) => {
      const harness = FunctionHarness.filter(Even);
      expectObservable(harness.run(cold('abcd|', { a: 1, b: 2, c: 3, d: 4 }))).toBe('-b-d|', { b: 2, d: 4 });
    });
  });

  it('runs a flatMap class: returned items first, then collected ones', async () => {
    await runMarbles(({ cold, expectObservable }) => {
      const harness = FunctionHarness.flatMap(Words);
      expectObservable(harness.run(cold('-(a|)', { a: 'x y z' }))).toBe('-(xyz|)', {
        x: 'x',
        y: 'y',
        z: 'z',
      });
    });
  });

  it('runs a keyBy class and shows where each record went', async () => {
    const a: Sale = { user: 'ann', amount: 1 };
    await runMarbles(({ cold, expectObservable }) => {
      const hash = FunctionHarness.keyBy(ByUser, { parallelism: 2 });
      expectObservable(hash.run(cold('-a|', { a }))).toBe('-a|', {
        a: { value: a, key: 'ann', instance: instanceForKey('ann', 2) },
      });
      const broadcast = FunctionHarness.keyBy(ByUser, { parallelism: 2, strategy: 'broadcast' });
      expectObservable(broadcast.run(cold('-a---|', { a }))).toBe('-(xy)|', {
        x: { value: a, key: 'ann', instance: 0 },
        y: { value: a, key: 'ann', instance: 1 },
      });
    });
  });

  it('runs a sink class: the records reach it and close() runs once', async () => {
    const harness = FunctionHarness.sink(Store);
    await runMarbles(({ cold, expectObservable }) => {
      expectObservable(harness.run(cold('-a-b|', { a: 1, b: 2 }))).toBe('-a-b|', { a: 1, b: 2 });
    });
    expect(harness.instances[0]!.stored).to.deep.equal([1, 2]);
    expect(harness.instances[0]!.closed).to.equal(1);
  });

  it("drops a throwing record under 'skip' and counts it", async () => {
    const harness = FunctionHarness.map(Boom);
    await runMarbles(({ cold, expectObservable }) => {
      expectObservable(harness.run(cold('-a-b-c|', { a: 1, b: 2, c: 3 }))).toBe('-a---c|', { a: 1, c: 3 });
    });
    expect(harness.stats()).to.include({ in: 3, out: 2, errors: 1 });
    expect(harness.status().status).to.equal('completed');
  });

  it("fails the run under 'fail' with the original error as cause", async () => {
    const harness = FunctionHarness.map(Boom, { errorPolicy: 'fail' });
    await runMarbles(({ cold, expectObservable }) => {
      const failure = new JobFailedError('harness', 'Boom', new Error('two is not allowed'));
      expectObservable(harness.run(cold('-a-b-c|', { a: 1, b: 2, c: 3 }))).toBe('-a-#', { a: 1 }, failure);
    });
    expect(harness.status().status).to.equal('failed');
  });

  it('gives each subscription a fresh job and fresh function objects', async () => {
    const harness = FunctionHarness.map(RunningSum, { key: (s) => s.user });
    const sale = { a: { user: 'u', amount: 5 } };
    await runMarbles(({ cold, expectObservable }) => {
      const out = harness.run(cold('a|', sale));
      expectObservable(out).toBe('a|', { a: 'u=5' });
      expectObservable(out).toBe('a|', { a: 'u=5' });
    });
  });

  it('says what to do when asked about a run that has not started', () => {
    const harness = FunctionHarness.map(Scale, { args: [2] });
    expect(() => harness.status()).to.throw(JobStateError, /subscribe to run/);
    expect(() => harness.instanceFor('k')).to.throw(JobStateError, /subscribe to run/);
  });
});
