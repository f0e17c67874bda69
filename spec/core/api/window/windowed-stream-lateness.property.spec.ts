import { expect } from 'chai';
import fc from 'fast-check';
import { concat, from, ignoreElements, mergeMap, timer } from 'rxjs';
import { OutputTag } from '../../../../src/core/api/time/output-tag.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { EventTimeSessionWindows } from '../../../../src/core/api/window/event-time-session-windows.js';
import { SlidingEventTimeWindows } from '../../../../src/core/api/window/sliding-event-time-windows.js';
import type { TimeWindow } from '../../../../src/core/api/window/time-window.js';
import { TumblingEventTimeWindows } from '../../../../src/core/api/window/tumbling-event-time-windows.js';
import type { WindowAssigner } from '../../../../src/core/api/window/window-assigner.js';
import { runMarbles } from '../../../../src/testing/run-marbles.js';
import { runModel, type ModelAssigner, type StreamOp } from '../../window/window-model.js';

interface Rec {
  readonly key: number;
  readonly ts: number;
  /** Unique per record: what the model and the late output compare. */
  readonly v: number;
}

/** Virtual ms between two groups of records: five periodic watermarks (every 200 ms) fall in between. */
const GROUP_MS = 1_000;
/** The first group comes at 100 ms, so that no group shares its frame with a periodic watermark. */
const FIRST_MS = 100;

function assignerOf(a: ModelAssigner): WindowAssigner<TimeWindow> {
  switch (a.kind) {
    case 'tumbling':
      return TumblingEventTimeWindows.of(a.size, a.offset);
    case 'sliding':
      return SlidingEventTimeWindows.of(a.size, a.slide, a.offset);
    case 'session':
      return EventTimeSessionWindows.withGap(a.gap);
  }
}

/**
 * The job: groups of records arrive `GROUP_MS` apart in virtual time, timestamps with bounded out-of-orderness
 * `bound`, keyed windows with `lateness` at `parallelism`, late records to a side output. Returns the results
 * (`key[start,end)=values`) and the late values.
 */
async function runJob(
  groups: readonly (readonly Rec[])[],
  assigner: ModelAssigner,
  bound: number,
  lateness: number,
  parallelism: number,
): Promise<{ results: string[]; late: number[] }> {
  const results: string[] = [];
  const late: number[] = [];
  await runMarbles(({ env }) => {
    const lateTag = new OutputTag<Rec>('late');
    const source = concat(
      ...groups.map((g, i) => timer(i === 0 ? FIRST_MS : GROUP_MS).pipe(mergeMap(() => from(g)))),
      timer(GROUP_MS).pipe(ignoreElements()),
    );
    const windowed = env
      .fromObservable(source)
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forBoundedOutOfOrderness<Rec>(bound).withTimestampAssigner((r) => r.ts),
      )
      .keyBy((r) => r.key)
      .window(assignerOf(assigner))
      .allowedLateness(lateness)
      .sideOutputLateData(lateTag)
      .process(
        (key: unknown, w: TimeWindow, xs: readonly Rec[]) => [
          `${String(key)}[${String(w.start)},${String(w.end)})=${xs
            .map((x) => x.v)
            .sort((a, b) => a - b)
            .join(',')}`,
        ],
        { parallelism },
      );
    windowed.sink((s) => {
      results.push(s);
    });
    windowed.getSideOutput(lateTag).sink((r) => {
      late.push(r.v);
    });
    void env.submit();
  });
  return { results: results.sort(), late: late.sort((a, b) => a - b) };
}

/** The same stream for the plain model: each group's records, then the watermark the job has after it. */
function modelOf(
  groups: readonly (readonly Rec[])[],
  assigner: ModelAssigner,
  bound: number,
  lateness: number,
): { results: string[]; late: number[] } {
  const ops: StreamOp[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (const g of groups) {
    for (const r of g) {
      ops.push({ kind: 'record', key: r.key, value: r.v, timestamp: r.ts });
      max = Math.max(max, r.ts);
    }
    if (max > Number.NEGATIVE_INFINITY) ops.push({ kind: 'watermark', watermark: max - bound - 1 });
  }
  ops.push({ kind: 'watermark', watermark: Number.POSITIVE_INFINITY });
  const { firings, late } = runModel(ops, assigner, lateness);
  return {
    results: firings
      .map(
        (f) =>
          `${String(f.key)}[${String(f.start)},${String(f.end)})=${[...f.values].sort((a, b) => a - b).join(',')}`,
      )
      .sort(),
    late: [...late].sort((a, b) => a - b),
  };
}

/** An offset with `|offset| < period` (Flink's rule), as a fraction of the period. */
const offsetOf = (period: number, fraction: number): number => Math.trunc((period - 1) * fraction);

const assigners: fc.Arbitrary<ModelAssigner> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1, max: 20 }), fc.double({ min: -1, max: 1, noNaN: true }))
    .map(([size, f]): ModelAssigner => ({ kind: 'tumbling', size, offset: offsetOf(size, f) })),
  // The slide need not divide the size, and may be larger than it (Flink's sampling windows, with gaps).
  fc
    .tuple(
      fc.integer({ min: 1, max: 8 }),
      fc.integer({ min: 1, max: 24 }),
      fc.double({ min: -1, max: 1, noNaN: true }),
    )
    .map(([slide, size, f]): ModelAssigner => ({ kind: 'sliding', size, slide, offset: offsetOf(slide, f) })),
  fc.integer({ min: 1, max: 15 }).map((gap): ModelAssigner => ({ kind: 'session', gap })),
);

/**
 * Up to 6 groups of up to 8 records over 4 keys, timestamps -40..80 in any order (many out of order, some late;
 * negative times test the window start below zero).
 */
const groupsArb: fc.Arbitrary<Rec[][]> = fc
  .array(
    fc.array(fc.record({ key: fc.integer({ min: 0, max: 3 }), ts: fc.integer({ min: -40, max: 80 }) }), {
      maxLength: 8,
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((groups) => {
    let v = 0;
    return groups.map((g) => g.map((r) => ({ ...r, v: v++ })));
  });

describe('keyed event-time windows with out-of-order records and lateness, at parallelism 1 to 4 (property)', () => {
  it('tumbling (with offset), sliding (with offset) and session windows fire what the plain model fires, and send it the same late records', async () => {
    await fc.assert(
      fc.asyncProperty(
        groupsArb,
        assigners,
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 2, max: 4 }),
        async (groups, assigner, bound, lateness, parallelism) => {
          const expected = modelOf(groups, assigner, bound, lateness);
          expect(await runJob(groups, assigner, bound, lateness, 1)).to.deep.equal(expected);
          expect(await runJob(groups, assigner, bound, lateness, parallelism)).to.deep.equal(expected);
        },
      ),
      { numRuns: 40 },
    );
  });
});
