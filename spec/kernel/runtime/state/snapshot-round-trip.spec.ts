import { expect } from 'chai';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { JobManager, LocalEnvironment, MapFunction, type JobSnapshot } from '../../../../src/index.js';
import { normalizeKey } from '../../../../src/kernel/runtime/key/key-encoding.js';
import { instanceForKey } from '../../../../src/kernel/runtime/key/key-group.js';

/** Builds a plain object with own properties of any name (`__proto__` included), as JSON.parse does. */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [name, v] of entries) {
    Object.defineProperty(o, name, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return o;
}

const leaf = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom<unknown>(
    -0,
    NaN,
    Infinity,
    -Infinity,
    0.5,
    null,
    true,
    false,
    '',
    '$n',
    '\u0000',
    '__proto__',
  ),
  fc.string({ maxLength: 3 }),
  fc.date({ noInvalidDate: true }),
);
const names = fc.constantFrom('a', 'b', '$n', '$d', '__proto__', '$o', 'constructor', '$u');
/** Keys of the contract's encoding: primitives (−0, NaN), Dates, arrays and plain objects, nested. */
const keyArb: fc.Arbitrary<unknown> = fc.letrec<{ k: unknown }>((tie) => ({
  k: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('k'), { maxLength: 3 }),
    fc.array(fc.tuple(names, tie('k')), { maxLength: 3 }).map(objectOf),
  ),
})).k;
/** Stored values: anything plain data can hold, Map, Set, bigint and undefined included. */
const valueArb: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.constant(undefined),
    fc.bigInt({ min: -5n, max: 5n }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.array(fc.tuple(tie('v'), tie('v')), { maxLength: 3 }).map((es) => new Map(es)),
    fc.array(tie('v'), { maxLength: 3 }).map((es) => new Set(es)),
    fc.array(fc.tuple(names, tie('v')), { maxLength: 3 }).map(objectOf),
  ),
})).v;

type Rec = readonly [number, unknown];
const PROBE = '\u0001probe';

interface Report {
  readonly i: number;
  readonly inst: number;
  readonly key: unknown;
  readonly value: unknown;
  readonly list: readonly unknown[];
  readonly map: [string, unknown][];
}

/** Stores each record in value, list and map state; a probe record reports what its key holds. */
class Store extends MapFunction<Rec, Report | undefined> {
  execute([i, v]: Rec): Report | undefined {
    const s = this.ctx.state;
    if (v === PROBE) {
      return {
        i,
        inst: this.ctx.parallelIndex,
        key: this.ctx.getKey(),
        value: s.value('v').get(),
        list: s.list('l').get(),
        map: [...s.map<string>('m').entries()],
      };
    }
    s.value('v').set(v);
    s.list('l').add(v);
    s.map<string>('m').put(String(s.list('l').get().length % 3), v);
    return undefined;
  }
}

describe('keyed state through a JSON savepoint, restored at another parallelism (property against a plain model)', function () {
  this.timeout(60_000);

  it('any encodable key keeps any plain-data value, list and map exactly, on the instance of its key group', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(keyArb, { minLength: 1, maxLength: 6, selector: (k) => normalizeKey(k) }),
        fc.array(fc.tuple(fc.nat(), valueArb), { maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(4, 5, 128),
        async (keys, raw, p, p2, maxParallelism) => {
          const recs: Rec[] = raw.map(([n, v]) => [n % keys.length, v]);
          const jm = new JobManager();
          const job = (parallelism: number, input: Rec[], out: Report[]): LocalEnvironment => {
            const env = new LocalEnvironment('round-trip', {
              jobManager: jm,
              logLevel: 'silent',
              maxParallelism,
              errorPolicy: 'fail',
            });
            env
              .fromBatch(input, { name: 'src' })
              .keyBy((r) => keys[r[0]])
              .map(Store, { parallelism, name: 'store' })
              .sink((o) => {
                out.push(o);
              });
            return env;
          };
          const uuid = await job(p, recs, []).submit({ autostop: true });
          const snapshot = JSON.parse(JSON.stringify(await jm.snapshotJob(uuid))) as JobSnapshot;
          // Instance i saved only the key groups it owns.
          (snapshot.operators.store ?? []).forEach((instance, i) => {
            for (const g of Object.keys(instance.keyed ?? {})) {
              expect(Math.floor((Number(g) * p) / maxParallelism)).to.equal(i);
            }
          });
          const out: Report[] = [];
          await job(
            p2,
            keys.map((_, i): Rec => [i, PROBE]),
            out,
          ).submit({ autostop: true, restore: snapshot });
          expect(out).to.have.length(keys.length);
          for (const o of out) {
            expect(o.inst).to.equal(instanceForKey(keys[o.i], p2, maxParallelism));
            expect(Object.is(normalizeKey(o.key), normalizeKey(keys[o.i])), 'the key as given').to.equal(
              true,
            );
            const mine = recs.filter((r) => r[0] === o.i).map((r) => r[1]);
            const m = new Map<string, unknown>();
            mine.forEach((v, n) => m.set(String((n + 1) % 3), v));
            // value.set(undefined) clears: the value is the last one stored.
            const expected = { value: mine.at(-1), list: mine, map: [...m.entries()] };
            const got = { value: o.value, list: o.list, map: o.map };
            expect(isDeepStrictEqual(got, expected), `key #${String(o.i)}`).to.equal(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
