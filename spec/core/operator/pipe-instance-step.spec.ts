import { expect } from 'chai';
import fc from 'fast-check';
import {
  auditTime,
  bufferCount,
  bufferTime,
  count,
  debounceTime,
  defaultIfEmpty,
  delay,
  isEmpty,
  reduce,
  scan,
  startWith,
  throttleTime,
  toArray,
  type Observable,
  type OperatorFunction,
} from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { runMarbles, type MarbleHelpers } from '../../../src/testing/run-marbles.js';

type Op = OperatorFunction<unknown, unknown>;

/** The frames plain RxJS gives for `build` on a fresh TestScheduler. */
function plainFrames(build: (cold: MarbleHelpers['cold']) => Observable<unknown>): unknown {
  let frames: unknown;
  const scheduler = new TestScheduler((actual) => {
    frames = actual;
  });
  scheduler.run(({ cold, expectObservable }) => {
    expectObservable(build(cold)).toEqual(cold('|'));
  });
  return frames;
}

/** The frames a job gives for `build` (its `toObservable()`) under `runMarbles`. */
async function jobFrames(build: (helpers: MarbleHelpers) => Observable<unknown>): Promise<unknown> {
  let frames: unknown;
  await runMarbles(
    (helpers) => {
      helpers.expectObservable(build(helpers)).toEqual(helpers.cold('|'));
    },
    {
      config: { logLevel: 'silent' },
      assertEqual: (actual) => {
        frames = actual;
      },
    },
  );
  return frames;
}

describe('pipe on an unkeyed stream (InstancePipeStep)', () => {
  it('starts the chain with the instance: bufferTime counts from the job start, as on the plain source', async () => {
    const marbles = '-a-b-c-d-e-f|';
    const expected = plainFrames((cold) => cold(marbles).pipe(bufferTime(4)));
    const got = await jobFrames(({ env, cold }) =>
      env.fromObservable(cold(marbles)).pipe(bufferTime(4)).toObservable(),
    );
    expect(got).to.deep.equal(expected);
    await runMarbles(({ env, cold, expectObservable }) => {
      expectObservable(env.fromObservable(cold(marbles)).pipe(bufferTime(4)).toObservable()).toBe(
        '----w---x---(y|)',
        { w: ['a', 'b'], x: ['c', 'd'], y: ['e', 'f'] },
      );
    });
  });

  it('startWith emits when the job starts, before the first record', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env.fromObservable(cold('--a|')).pipe(startWith('s')).toObservable();
      expectObservable(out).toBe('s-a|');
    });
  });

  it('starts each parallel instance of a step behind a shuffle as well', async () => {
    await runMarbles(({ env, cold, expectObservable }) => {
      const out = env.fromObservable(cold('------|')).pipe(startWith('s'), { parallelism: 2 }).toObservable();
      expectObservable(out).toBe('(ss)--|');
    });
  });

  describe('on an empty input, emits what RxJS emits for an empty source', () => {
    const cases: [string, () => Op, unknown][] = [
      ['toArray', () => toArray(), []],
      ['count', () => count(), 0],
      ['defaultIfEmpty', () => defaultIfEmpty('none'), 'none'],
      ['isEmpty', () => isEmpty(), true],
      ['reduce with a seed', () => reduce((n: number) => n + 1, 0), 0],
    ];
    for (const [name, op, value] of cases) {
      it(`${name} (fromObservable and fromBatch)`, async () => {
        await runMarbles(({ env, cold, expectObservable }) => {
          expectObservable(env.fromObservable(cold('---|')).pipe(op()).toObservable()).toBe('---(v|)', {
            v: value,
          });
        });
        await runMarbles(({ env, expectObservable }) => {
          expectObservable(env.fromBatch([]).pipe(op()).toObservable()).toBe('(v|)', { v: value });
        });
      });
    }
  });

  it('gives the frames plain RxJS gives for time and stateful operators on random marbles (property)', async () => {
    const operators: fc.Arbitrary<[string, () => Op]> = fc.oneof(
      fc
        .integer({ min: 1, max: 6 })
        .map((n): [string, () => Op] => [`bufferTime(${String(n)})`, () => bufferTime(n)]),
      fc
        .integer({ min: 1, max: 6 })
        .map((n): [string, () => Op] => [`debounceTime(${String(n)})`, () => debounceTime(n)]),
      fc
        .integer({ min: 1, max: 6 })
        .map((n): [string, () => Op] => [`throttleTime(${String(n)})`, () => throttleTime(n)]),
      fc
        .integer({ min: 1, max: 6 })
        .map((n): [string, () => Op] => [`auditTime(${String(n)})`, () => auditTime(n)]),
      fc.integer({ min: 1, max: 6 }).map((n): [string, () => Op] => [`delay(${String(n)})`, () => delay(n)]),
      fc
        .integer({ min: 1, max: 3 })
        .map((n): [string, () => Op] => [`bufferCount(${String(n)})`, () => bufferCount(n)]),
      fc.constant<[string, () => Op]>(['startWith', () => startWith('s')]),
      fc.constant<[string, () => Op]>(['toArray', () => toArray()]),
      fc.constant<[string, () => Op]>(['count', () => count()]),
      fc.constant<[string, () => Op]>([
        'scan',
        () => scan((acc: string, x: unknown) => acc + String(x), '') as Op,
      ]),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('-', '-', 'a', 'b', 'c'), { maxLength: 16 }),
        fc.array(operators, { minLength: 1, maxLength: 2 }),
        async (frames, chain) => {
          const marbles = `${frames.join('')}|`;
          const apply = (source: Observable<unknown>): Observable<unknown> =>
            chain.reduce((o, [, make]) => make()(o), source);
          const expected = plainFrames((cold) => apply(cold(marbles)));
          const got = await jobFrames(({ env, cold }) =>
            env.fromObservable<unknown>(cold(marbles)).pipe(apply).toObservable(),
          );
          expect(got, `${marbles} through ${chain.map(([name]) => name).join(', ')}`).to.deep.equal(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
