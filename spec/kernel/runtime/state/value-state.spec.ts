import { expect } from 'chai';
import fc from 'fast-check';
import { MapFunction } from '../../../../src/core/api/function/map-function.js';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';

interface Acc {
  sum: number;
  items: number[];
  seen: Set<number>;
}

/** Changes the object get() returned in place, then stores it: the usual accumulator idiom. */
class InPlaceSum extends MapFunction<[number, number], [number, number, number]> {
  execute([k, x]: [number, number]): [number, number, number] {
    const acc = this.ctx.state.value<Acc>('acc', { sum: 0, items: [], seen: new Set() });
    const a = acc.get();
    a.sum += x;
    a.items.push(x);
    a.seen.add(x);
    acc.set(a);
    if (x % 5 === 0) acc.clear();
    return [k, a.sum, a.items.length];
  }
}

describe('ValueState with an object initial value', () => {
  it('gives each key without a value its own copy of the initial value (as Flink copies the default)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 9 })), { maxLength: 40 }),
        fc.integer({ min: 1, max: 3 }),
        async (records, parallelism) => {
          const out: [number, number, number][] = [];
          const env = new LocalEnvironment('value-initial', { logLevel: 'silent' });
          env
            .fromBatch(records)
            .keyBy((r) => r[0])
            .map(InPlaceSum, { parallelism })
            .sink((r) => {
              out.push(r);
            });
          await env.submit({ autostop: true });
          // The model: a plain map of per-key sums, reset after a multiple of 5.
          const model = new Map<number, { sum: number; n: number }>();
          const expected: [number, number, number][] = [];
          for (const [k, x] of records) {
            const a = model.get(k) ?? { sum: 0, n: 0 };
            a.sum += x;
            a.n++;
            expected.push([k, a.sum, a.n]);
            if (x % 5 === 0) model.delete(k);
            else model.set(k, a);
          }
          const byKey = (rs: [number, number, number][]): Map<number, [number, number][]> => {
            const m = new Map<number, [number, number][]>();
            for (const [k, s, n] of rs) m.set(k, [...(m.get(k) ?? []), [s, n]]);
            return m;
          };
          expect(byKey(out)).to.deep.equal(byKey(expected));
        },
      ),
      { numRuns: 30 },
    );
  });
});
