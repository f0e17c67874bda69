import { expect } from 'chai';
import { KeyByFunction } from '../../src/core/api/function/key-by-function.js';
import { MapFunction } from '../../src/core/api/function/map-function.js';
import { instanceForKey } from '../../src/kernel/runtime/key/key-group.js';
import { runMarbles } from '../../src/testing/run-marbles.js';

interface Sale {
  readonly user: string;
  readonly amount: number;
}

const sales: Record<string, Sale> = {
  a: { user: 'ann', amount: 1 },
  b: { user: 'bob', amount: 10 },
  c: { user: 'ann', amount: 2 },
  d: { user: 'cid', amount: 100 },
  e: { user: 'bob', amount: 20 },
};

class ByUser extends KeyByFunction<Sale, string> {
  execute(sale: Sale): string {
    return sale.user;
  }
}

/** A keyed running sum, held per key in the instance. */
class RunningSum extends MapFunction<Sale, string> {
  private readonly sums = new Map<unknown, number>();
  execute(sale: Sale): string {
    const key = this.ctx.getKey();
    const sum = (this.sums.get(key) ?? 0) + sale.amount;
    this.sums.set(key, sum);
    return `${String(key)}:${sum}@${this.ctx.parallelIndex}`;
  }
}

function where(user: string, sum: number, parallelism: number): string {
  return `${user}:${sum}@${instanceForKey(user, parallelism)}`;
}

describe('marble: keyBy', () => {
  it("'hash': keyed running sums over a hot source keep the source's frames", async () => {
    await runMarbles(({ env, hot, expectObservable }) => {
      const out = env
        .fromObservable(hot('^-a-b-c-d-e-|', sales))
        .keyBy(ByUser)
        .map(RunningSum, { parallelism: 3 })
        .toObservable();
      expectObservable(out).toBe('--a-b-c-d-e-|', {
        a: where('ann', 1, 3),
        b: where('bob', 10, 3),
        c: where('ann', 3, 3),
        d: where('cid', 100, 3),
        e: where('bob', 30, 3),
      });
    });
  });

  it("'hash' with a plain function selector, and the key survives later steps", async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a-b-c|', sales))
        .keyBy((s) => s.user)
        .map((s) => s.amount)
        .map(
          function (this: MapFunction<number, string>, amount: number) {
            return `${String(this.ctx.getKey())}=${amount}`;
          },
          { parallelism: 2 },
        )
        .toObservable();
      expectObservable(out).toBe('-a-b-c|', { a: 'ann=1', b: 'bob=10', c: 'ann=2' });
    });
  });

  it("'broadcast': every instance gets every record, on the record's frame", async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a---b---|', sales))
        .keyBy(ByUser, { strategy: 'broadcast' })
        .map(
          function (this: MapFunction<Sale, string>, s: Sale) {
            return `${s.user}@${this.ctx.parallelIndex}`;
          },
          { parallelism: 2 },
        )
        .toObservable();
      expectObservable(out).toBe('-(xy)(zw)|', { x: 'ann@0', y: 'ann@1', z: 'bob@0', w: 'bob@1' });
    });
  });

  it("'round-robin': records alternate over the instances, whatever their key", async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env
        .fromObservable(cold('-a-c-a-c|', sales))
        .keyBy(ByUser, { strategy: 'round-robin' })
        .map(
          function (this: MapFunction<Sale, string>, s: Sale) {
            return `${s.user}@${this.ctx.parallelIndex}`;
          },
          { parallelism: 2 },
        )
        .toObservable();
      expectObservable(out).toBe('-w-x-y-z|', { w: 'ann@0', x: 'ann@1', y: 'ann@0', z: 'ann@1' });
    });
  });

  it("hashes every key value, 0 and '' included, to one instance", async () => {
    const seen = new Map<unknown, Set<number>>();
    await runMarbles(({ env, cold, expectObservable }) => {
      const keys = { a: 0, b: '', c: 0, d: '', e: false };
      const out = env
        .fromObservable(cold('abcde|', keys))
        .keyBy((k) => k)
        .map(
          function (this: MapFunction<unknown, unknown>, k: unknown) {
            const instances = seen.get(k) ?? new Set<number>();
            instances.add(this.ctx.parallelIndex);
            seen.set(k, instances);
            return k;
          },
          { parallelism: 4 },
        )
        .toObservable();
      expectObservable(out).toBe('abcde|', keys);
    });
    for (const [key, instances] of seen) {
      expect([...instances], `key ${JSON.stringify(key)}`).to.deep.equal([instanceForKey(key, 4)]);
    }
  });
});
