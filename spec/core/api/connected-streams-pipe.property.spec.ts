import { expect } from 'chai';
import fc from 'fast-check';
import {
  bufferCount,
  distinctUntilChanged,
  filter,
  from,
  lastValueFrom,
  map,
  pairwise,
  scan,
  toArray,
  type OperatorFunction,
} from 'rxjs';
import { MapFunction } from '../../../src/core/api/function/map-function.js';
import { runMarbles } from '../../../src/testing/run-marbles.js';

type Op = OperatorFunction<unknown, unknown>;

/** The operators the property draws chains from (a fresh operator per call). */
const ops: fc.Arbitrary<() => Op> = fc.oneof(
  fc.integer({ min: 1, max: 5 }).map((n) => () => map((x: unknown) => [n, x])),
  fc.constant(() => filter((x: unknown) => JSON.stringify(x).length % 2 === 0) as Op),
  fc.constant(() => scan((acc: number, x: unknown) => acc + JSON.stringify(x).length, 0) as Op),
  fc.integer({ min: 1, max: 3 }).map((n) => () => bufferCount(n)),
  fc.constant(() => pairwise() as Op),
  fc.constant(
    () => distinctUntilChanged((a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)) as Op,
  ),
);

interface Rec {
  /** Which input the record enters by. */
  readonly input: 0 | 1;
  readonly k: number;
  readonly v: number;
}

/** Tags each output with the key it kept. */
class TagKey extends MapFunction<unknown, [unknown, unknown]> {
  execute(x: unknown): [unknown, unknown] {
    return [this.ctx.getKey(), x];
  }
}

/** Marble symbols: one per record (records are at most 40). */
const SYMBOLS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN';

/** The marble of one input: record i of the whole sequence on frame i when it enters by this input. */
function marble(records: readonly Rec[], input: 0 | 1): { diagram: string; values: Record<string, Rec> } {
  const values: Record<string, Rec> = {};
  let diagram = '';
  records.forEach((r, i) => {
    if (r.input !== input) {
      diagram += '-';
      return;
    }
    const symbol = SYMBOLS.charAt(i);
    values[symbol] = r;
    diagram += symbol;
  });
  return { diagram: `${diagram}|`, values };
}

/** The plain model: per key, the same chain over that key's records of both inputs in arrival order. */
async function model(records: readonly Rec[], chain: readonly (() => Op)[]): Promise<Map<number, unknown[]>> {
  const byKey = new Map<number, unknown[]>();
  for (const k of new Set(records.map((r) => r.k))) {
    let o = from(records.filter((r) => r.k === k).map((r) => r.v)) as ReturnType<Op>;
    for (const make of chain) o = make()(o);
    const out = await lastValueFrom(o.pipe(toArray()));
    if (out.length > 0) byKey.set(k, out);
  }
  return byKey;
}

describe('ConnectedStreams.pipe (property)', () => {
  it('on keyed connected inputs, a random chain per key gives what RxJS gives on that key’s merged records', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            input: fc.constantFrom<0 | 1>(0, 1),
            k: fc.integer({ min: 0, max: 3 }),
            v: fc.integer({ min: -20, max: 20 }),
          }),
          { maxLength: SYMBOLS.length },
        ),
        fc.array(ops, { minLength: 1, maxLength: 4 }),
        async (records, chain) => {
          const got = new Map<number, unknown[]>();
          await runMarbles(({ env, hot }) => {
            const a = marble(records, 0);
            const b = marble(records, 1);
            const [first, ...rest] = chain.map((make) => make());
            env
              .fromObservable(hot(a.diagram, a.values))
              .connect(env.fromObservable(hot(b.diagram, b.values)))
              .keyBy((r) => r.k)
              .pipe(
                map((r: Rec) => r.v),
                ...([first, ...rest] as [Op]),
              )
              .map(TagKey)
              .sink(([k, x]) => {
                const list = got.get(k as number) ?? [];
                list.push(x);
                got.set(k as number, list);
              });
            void env.submit();
          });
          expect(got).to.deep.equal(await model(records, chain));
        },
      ),
      { numRuns: 40 },
    );
  });
});
