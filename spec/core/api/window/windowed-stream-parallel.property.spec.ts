import { expect } from 'chai';
import fc from 'fast-check';
import { LocalEnvironment } from '../../../../src/core/api/local-environment.js';
import { WatermarkStrategy } from '../../../../src/core/api/time/watermark-strategy.js';
import { EventTimeSessionWindows } from '../../../../src/core/api/window/event-time-session-windows.js';
import { SlidingEventTimeWindows } from '../../../../src/core/api/window/sliding-event-time-windows.js';
import type { TimeWindow } from '../../../../src/core/api/window/time-window.js';
import { TumblingEventTimeWindows } from '../../../../src/core/api/window/tumbling-event-time-windows.js';
import type { WindowAssigner } from '../../../../src/core/api/window/window-assigner.js';

interface Rec {
  readonly key: number;
  readonly ts: number;
  readonly v: number;
}

type Shape =
  | { readonly kind: 'tumbling'; readonly size: number }
  | { readonly kind: 'sliding'; readonly size: number; readonly slide: number }
  | { readonly kind: 'session'; readonly gap: number };

function assignerOf(shape: Shape): WindowAssigner<TimeWindow> {
  switch (shape.kind) {
    case 'tumbling':
      return TumblingEventTimeWindows.of(shape.size);
    case 'sliding':
      return SlidingEventTimeWindows.of(shape.size, shape.slide);
    case 'session':
      return EventTimeSessionWindows.withGap(shape.gap);
  }
}

/** The plain model: every window of every key with the sum and count of its records (all fire at the end). */
function model(records: readonly Rec[], shape: Shape): string[] {
  const sums = new Map<string, [number, number]>();
  const add = (key: number, start: number, end: number, v: number): void => {
    const id = `${key}[${start},${end})`;
    const [s, n] = sums.get(id) ?? [0, 0];
    sums.set(id, [s + v, n + 1]);
  };
  if (shape.kind === 'session') {
    const byKey = new Map<number, Rec[]>();
    for (const r of records) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    for (const [key, rs] of byKey) {
      const sorted = [...rs].sort((a, b) => a.ts - b.ts);
      let start = Number.NaN;
      let end = Number.NaN;
      let group: Rec[] = [];
      const flush = (): void => {
        for (const r of group) add(key, start, end, r.v);
      };
      for (const r of sorted) {
        if (group.length > 0 && r.ts <= end) {
          end = Math.max(end, r.ts + shape.gap);
          group.push(r);
        } else {
          if (group.length > 0) flush();
          start = r.ts;
          end = r.ts + shape.gap;
          group = [r];
        }
      }
      flush();
    }
  } else {
    const slide = shape.kind === 'sliding' ? shape.slide : shape.size;
    for (const r of records) {
      for (let start = r.ts - (r.ts % slide); start > r.ts - shape.size; start -= slide) {
        add(r.key, start, start + shape.size, r.v);
      }
    }
  }
  return [...sums].map(([id, [s, n]]) => `${id}=${s}/${n}`).sort();
}

async function run(records: readonly Rec[], shape: Shape, parallelism: number): Promise<string[]> {
  const env = new LocalEnvironment('windows-parallel', { logLevel: 'silent' });
  const out: string[] = [];
  env
    .fromBatch(records)
    .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks<Rec>().withTimestampAssigner((r) => r.ts))
    .keyBy((r) => r.key)
    .window(assignerOf(shape))
    .aggregate(
      {
        createAccumulator: (): [number, number] => [0, 0],
        add: (r: Rec, [s, n]: [number, number]): [number, number] => [s + r.v, n + 1],
        getResult: (acc: [number, number]) => acc,
        merge: ([s1, n1]: [number, number], [s2, n2]: [number, number]): [number, number] => [
          s1 + s2,
          n1 + n2,
        ],
      },
      (key: unknown, w: TimeWindow, [r]: readonly [number, number][]) =>
        `${String(key)}[${w.start},${w.end})=${r?.[0] ?? 0}/${r?.[1] ?? 0}`,
      { parallelism },
    )
    .sink((s) => {
      out.push(s);
    });
  await env.submit({ autostop: true });
  return out.sort();
}

const shapes: fc.Arbitrary<Shape> = fc.oneof(
  fc.integer({ min: 1, max: 30 }).map((size): Shape => ({ kind: 'tumbling', size })),
  fc
    .tuple(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }))
    .map(([a, b]): Shape => ({ kind: 'sliding', size: Math.max(a, b), slide: Math.min(a, b) })),
  fc.integer({ min: 1, max: 20 }).map((gap): Shape => ({ kind: 'session', gap })),
);

const recs = fc.array(
  fc.record({
    key: fc.integer({ min: 0, max: 7 }),
    ts: fc.integer({ min: 0, max: 200 }),
    v: fc.integer({ min: 1, max: 9 }),
  }),
  { maxLength: 40 },
);

describe('keyed event-time windows at parallelism 1 and 4 (property)', () => {
  it('tumbling, sliding and session windows give the plain model’s windows, at parallelism 1 and 4 alike', async () => {
    await fc.assert(
      fc.asyncProperty(recs, shapes, async (records, shape) => {
        const expected = model(records, shape);
        expect(await run(records, shape, 1)).to.deep.equal(expected);
        expect(await run(records, shape, 4)).to.deep.equal(expected);
      }),
      { numRuns: 40 },
    );
  });
});
