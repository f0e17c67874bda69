import { expect } from 'chai';
import fc from 'fast-check';
import {
  EventTimeSessionWindows,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  WindowedStreamSpecBuilder,
  type Window,
  type WindowAssigner,
  type WindowedStreamSpec,
} from '../../../src/index.js';
import { WindowOperator } from '../../../src/core/window/window-operator.js';
import { FakeWindowHost } from '../../helpers/fake-window-host.js';
import { runModel, type ModelAssigner, type ModelFiring, type StreamOp } from './window-model.js';

type Fn = 'reduce' | 'aggregate' | 'process';

const assignerArbs: Record<ModelAssigner['kind'], fc.Arbitrary<ModelAssigner>> = {
  tumbling: fc.integer({ min: 1, max: 20 }).map((size): ModelAssigner => ({ kind: 'tumbling', size })),
  sliding: fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }))
    .map(([slide, times]): ModelAssigner => ({ kind: 'sliding', size: slide * times, slide })),
  session: fc.integer({ min: 1, max: 15 }).map((gap): ModelAssigner => ({ kind: 'session', gap })),
};

/**
 * Records over 3 keys (unique values: the op's index) with timestamps 0..50, half of them close to the current
 * watermark (where the lateness rules bite), and rising watermarks.
 */
const opsArb: fc.Arbitrary<StreamOp[]> = fc
  .array(
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.tuple(
          fc.integer({ min: 0, max: 2 }),
          fc.integer({ min: 0, max: 50 }),
          fc.boolean(),
          fc.integer({ min: -15, max: 3 }),
        ),
      },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) },
    ),
    { maxLength: 60 },
  )
  .map((raw) => {
    let watermark = -1;
    return raw.map((r, i): StreamOp => {
      if (typeof r === 'number') {
        watermark += r;
        return { kind: 'watermark', watermark };
      }
      const [key, absolute, nearWatermark, delta] = r;
      const timestamp = nearWatermark ? Math.max(0, watermark + delta) : absolute;
      return { kind: 'record', key, value: i, timestamp };
    });
  });

function assignerOf(a: ModelAssigner): WindowAssigner {
  switch (a.kind) {
    case 'tumbling':
      return TumblingEventTimeWindows.of(a.size);
    case 'sliding':
      return SlidingEventTimeWindows.of(a.size, a.slide);
    case 'session':
      return EventTimeSessionWindows.withGap(a.gap);
  }
}

/** The engine's spec for `fn`; every result names its key and window so firings can be compared. */
function specOf(
  a: ModelAssigner,
  fn: Fn,
  lateness: number,
): WindowedStreamSpec<number, string, number, Window> {
  const builder = WindowedStreamSpecBuilder.window<number, number>(assignerOf(a))
    .allowedLateness(lateness)
    .sideOutputLateData('late');
  switch (fn) {
    case 'reduce':
      return builder.reduce(
        (x, y) => x + y,
        (key, w, [sum]) => JSON.stringify([key, w.start, w.end, sum]),
      );
    case 'aggregate':
      return builder.aggregate(
        {
          createAccumulator: () => ({ n: 0, sum: 0, min: Number.POSITIVE_INFINITY }),
          add: (v, acc) => ({ n: acc.n + 1, sum: acc.sum + v, min: Math.min(acc.min, v) }),
          getResult: (acc) => acc,
          merge: (x, y) => ({ n: x.n + y.n, sum: x.sum + y.sum, min: Math.min(x.min, y.min) }),
        },
        (key, w, [r]) => JSON.stringify([key, w.start, w.end, r?.n, r?.sum, r?.min]),
      );
    case 'process':
      return builder.process((key, w, xs) => [
        JSON.stringify([key, w.start, w.end, [...xs].sort((x, y) => x - y)]),
      ]);
  }
}

/** What the engine's output for `fn` must be for a model firing. */
function expectedOutput(f: ModelFiring, fn: Fn): string {
  const sum = f.values.reduce((x, y) => x + y, 0);
  switch (fn) {
    case 'reduce':
      return JSON.stringify([f.key, f.start, f.end, sum]);
    case 'aggregate':
      return JSON.stringify([f.key, f.start, f.end, f.values.length, sum, Math.min(...f.values)]);
    case 'process':
      return JSON.stringify([f.key, f.start, f.end, [...f.values].sort((x, y) => x - y)]);
  }
}

describe('WindowOperator against a plain model (event time, allowed lateness, late records)', () => {
  for (const kind of ['tumbling', 'sliding', 'session'] as const) {
    it(`${kind}: fires the same results at the same moments, with timestamp end - 1, and sends the same records to the late output`, () => {
      fc.assert(
        fc.property(
          assignerArbs[kind],
          fc.constantFrom<Fn>('reduce', 'aggregate', 'process'),
          fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
          opsArb,
          (a, fn, lateness, body) => {
            const ops: StreamOp[] = [...body, { kind: 'watermark', watermark: Number.POSITIVE_INFINITY }];
            const host = new FakeWindowHost<number, string, number>();
            const operator = host.attach(new WindowOperator(specOf(a, fn, lateness), host));
            const actual: string[] = [];
            for (const [at, op] of ops.entries()) {
              if (op.kind === 'watermark') host.advanceWatermark(op.watermark);
              else host.process(op.key, op.value, op.timestamp);
              for (const e of host.emitted.splice(0))
                actual.push(`${String(at)}:${e.value}@${String(e.timestamp)}`);
            }
            const model = runModel(ops, a, lateness);
            const expected = model.firings.map(
              (f) => `${String(f.at)}:${expectedOutput(f, fn)}@${String(f.end - 1)}`,
            );
            expect(actual.sort(), 'results, each at the op that fired it').to.deep.equal(expected.sort());
            expect([...(host.late as number[])].sort((x, y) => x - y)).to.deep.equal(
              [...model.late].sort((x, y) => x - y),
            );
            expect(operator.timerEntries, 'no timer is left after watermark +Infinity').to.equal(0);
          },
        ),
        { numRuns: 500 },
      );
    });
  }
});
