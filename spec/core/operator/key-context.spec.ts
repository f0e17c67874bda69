import { expect } from 'chai';
import fc from 'fast-check';
import { Observable, timer, map as rxMap } from 'rxjs';
import { BaseJoinFunction } from '../../../src/core/api/function/join-function.js';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../src/core/api/local-environment.js';
import { JobManager } from '../../../src/kernel/jobmanager/job-manager.js';

function newEnv(name: string, config: Record<string, unknown> = {}): LocalEnvironment {
  return new LocalEnvironment(name, { jobManager: new JobManager(), logLevel: 'silent', ...config });
}

/** Counts per key in keyed state, awaiting before and after it reads the key. */
class AsyncCount extends MapFunction<string, [unknown, string, number]> {
  async execute(word: string): Promise<[unknown, string, number]> {
    await Promise.resolve();
    const count = this.ctx.state.value('n', 0);
    count.set(count.get() + 1);
    await new Promise((resolve) => setImmediate(resolve));
    return [this.ctx.getKey(), word, count.get()];
  }
}

describe('key context: ctx.getKey() and ctx.state belong to the running call (DESIGN §7)', () => {
  it('after an await inside execute, in a fused chain fed by a flatMap', async () => {
    const env = newEnv('key-after-await');
    const out: [unknown, string, number][] = [];
    env
      .fromBatch(['a b c a', 'b a'])
      .flatMap((line) => line.split(' '))
      .keyBy((w) => w)
      .map(AsyncCount)
      .sink((r) => {
        out.push(r);
      });
    expect(env.explain().split('\n')).to.have.length(1);
    await env.submit({ autostop: true });
    for (const [key, word] of out) expect(key).to.equal(word);
    expect(out.map(([, w, n]) => `${w}${n}`)).to.deep.equal(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('for every value an Observable result emits later', async () => {
    const env = newEnv('key-observable');
    const out: [unknown, string][] = [];
    env
      .fromBatch(['x y'])
      .flatMap((line) => line.split(' '))
      .keyBy((w) => w)
      .map(function (this: MapFunction<string, [unknown, string]>, w: string) {
        return timer(1).pipe(rxMap(() => [this.ctx.getKey(), w] as [unknown, string]));
      })
      .map(function (this: MapFunction<[unknown, string], [unknown, string]>, r) {
        return new Observable<[unknown, string]>((s) => {
          setImmediate(() => {
            s.next([this.ctx.getKey(), r[1]]);
            s.next([this.ctx.getKey(), r[1]]);
            s.complete();
          });
        });
      })
      .sink((r) => {
        out.push(r);
      });
    await env.submit({ autostop: true });
    expect(out).to.deep.equal([
      ['x', 'x'],
      ['x', 'x'],
      ['y', 'y'],
      ['y', 'y'],
    ]);
  });

  it('after a join that emits several records at once, each keeps the join key downstream', async () => {
    class PairAll extends BaseJoinFunction<string, string> {
      private readonly seen = new Map<unknown, string[]>();
      execute(payload: string, key: unknown, tag: number): string[] | undefined {
        if (tag === 0) {
          this.seen.set(key, [...(this.seen.get(key) ?? []), payload]);
          return undefined;
        }
        return (this.seen.get(key) ?? []).map((l) => `${l}+${payload}`);
      }
    }
    const env = newEnv('key-join');
    const out: [unknown, string][] = [];
    const left = env.fromBatch(['k1:a', 'k1:b', 'k2:c']).keyBy((s) => s.split(':')[0]);
    const right = env
      .fromBatch(['k1:x', 'k2:y'])
      .map(async (s) => {
        await new Promise((resolve) => setImmediate(resolve));
        return s;
      })
      .keyBy((s) => s.split(':')[0]);
    left
      .connect(right)
      .join(PairAll)
      .flatMap((s) => [s, s.toUpperCase()])
      .map(async function (this: MapFunction<string, [unknown, string]>, s: string) {
        await Promise.resolve();
        return [this.ctx.getKey(), s] as [unknown, string];
      })
      .sink((r) => {
        out.push(r);
      });
    await env.submit({ autostop: true });
    expect(out.sort()).to.deep.equal([
      ['k1', 'K1:A+K1:X'],
      ['k1', 'K1:B+K1:X'],
      ['k1', 'k1:a+k1:x'],
      ['k1', 'k1:b+k1:x'],
      ['k2', 'K2:C+K2:Y'],
      ['k2', 'k2:c+k2:y'],
    ]);
  });

  it('property: random keyed pipelines with async steps, fused or not, at parallelism 1-4, agree with a plain model', async () => {
    const step = fc.constantFrom('sync', 'promise', 'immediate', 'observable');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 25,
        }),
        step,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (records, kind, parallelism, fusion) => {
          const env = newEnv('key-model', { fusion });
          const out: [number, number, number][] = [];
          env
            .fromBatch(records)
            .flatMap((keys) => keys)
            .keyBy((k) => k)
            .map(
              function (this: MapFunction<number, [number, number, number]>, k: number) {
                const count = (): [number, number, number] => {
                  const s = this.ctx.state.value('n', 0);
                  s.set(s.get() + 1);
                  return [this.ctx.getKey() as number, k, s.get()];
                };
                switch (kind) {
                  case 'sync':
                    return count();
                  case 'promise':
                    return Promise.resolve().then(count);
                  case 'immediate':
                    return new Promise<[number, number, number]>((resolve) => {
                      setImmediate(() => {
                        resolve(count());
                      });
                    });
                  default:
                    return timer(0).pipe(rxMap(count));
                }
              },
              { parallelism },
            )
            .sink((r) => {
              out.push(r);
            });
          await env.submit({ autostop: true });
          // The model: each key counts its own records 1..n, in input order per key.
          const expected = new Map<number, number>();
          for (const k of records.flat()) expected.set(k, (expected.get(k) ?? 0) + 1);
          const seen = new Map<number, number>();
          for (const [key, k, n] of out) {
            expect(key).to.equal(k);
            const next = (seen.get(k) ?? 0) + 1;
            expect(n).to.equal(next);
            seen.set(k, next);
          }
          expect([...seen].sort()).to.deep.equal([...expected].sort());
        },
      ),
      { numRuns: 40 },
    );
  });
});
