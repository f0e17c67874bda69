import { expect } from 'chai';
import {
  CountEvictor,
  CountTrigger,
  EventTimeSessionWindows,
  MissingTimestampError,
  SlidingEventTimeWindows,
  Trigger,
  TumblingEventTimeWindows,
  WindowedStreamSpecBuilder,
  type TriggerContext,
  type TriggerResult,
  type Window,
} from '../../../src/index.js';
import { WindowOperator } from '../../../src/core/window/window-operator.js';
import type { WindowOperatorSnapshot } from '../../../src/core/window/window-operator-snapshot.js';
import { FakeWindowHost } from '../../helpers/fake-window-host.js';
import { emittedAt, windowHarness } from '../../helpers/window-harness.js';

const sum = (a: number, b: number): number => a + b;
const tumbling = (size: number) =>
  WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(size));

describe('WindowOperator', () => {
  describe('contents', () => {
    it('reduce and aggregate keep one accumulator per window, never the records', () => {
      const reduce = windowHarness(tumbling(10).reduce(sum));
      const aggregate = windowHarness(
        tumbling(10).aggregate({
          createAccumulator: () => ({ n: 0 }),
          add: (_v: number, acc: { n: number }) => ({ n: acc.n + 1 }),
          getResult: (acc) => acc.n,
        }),
      );
      for (const v of [1, 2, 3]) {
        reduce.host.process('a', v, v);
        aggregate.host.process('a', v, v);
      }
      expect(reduce.operator.snapshotKey('a')?.map((w) => w.contents)).to.deep.equal([6]);
      expect(aggregate.operator.snapshotKey('a')?.map((w) => w.contents)).to.deep.equal([{ n: 3 }]);
    });

    it('process and evictors keep the records (with their timestamps for evictors)', () => {
      const process = windowHarness(tumbling(10).process((_k, _w, xs) => xs));
      const evicting = windowHarness(tumbling(10).evictor(CountEvictor.of(5)).reduce(sum));
      for (const v of [1, 2]) {
        process.host.process('a', v, v);
        evicting.host.process('a', v, v);
      }
      expect(process.operator.snapshotKey('a')?.[0]?.contents).to.deep.equal([1, 2]);
      expect(evicting.operator.snapshotKey('a')?.[0]?.contents).to.deep.equal([
        { value: 1, timestamp: 1 },
        { value: 2, timestamp: 2 },
      ]);
    });

    it('a window function receives key, window and the one result, and undefined emits nothing', () => {
      const { host } = windowHarness(
        tumbling(10).reduce(sum, (key, w, results) =>
          key === 'skip' ? undefined : { key, w: [w.start, w.end], results },
        ),
      );
      host.process('a', 1, 0);
      host.process('a', 2, 1);
      host.process('skip', 5, 0);
      host.advanceWatermark(9);
      expect(host.emitted).to.deep.equal([{ value: { key: 'a', w: [0, 10], results: [3] }, timestamp: 9 }]);
    });
  });

  describe('lateness', () => {
    it('within allowedLateness a record fires the window again with everything it holds', () => {
      const { host } = windowHarness(tumbling(10).allowedLateness(5).sideOutputLateData('late').reduce(sum));
      host.process('a', 1, 3);
      host.advanceWatermark(9);
      host.process('a', 2, 4); // the watermark passed the end, not the end + lateness
      host.advanceWatermark(13);
      host.process('a', 4, 5);
      host.advanceWatermark(14); // end - 1 + lateness: the window is dropped
      host.process('a', 8, 6);
      expect(emittedAt(host)).to.deep.equal(['1@9', '3@9', '7@9']);
      expect(host.late).to.deep.equal([8]);
      expect(host.lateTimestamps, 'a late record keeps its timestamp').to.deep.equal([6]);
    });

    it('session windows: a late record merges into a kept session and fires it again; a new late session fires at once', () => {
      const { host } = windowHarness(
        WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(10))
          .allowedLateness(5)
          .sideOutputLateData('late')
          .reduce(sum),
      );
      host.process('a', 1, 0); // [0, 10)
      host.advanceWatermark(9);
      host.process('a', 2, 3); // [0, 13): its end moved past the watermark, so it waits for 12
      host.advanceWatermark(12);
      host.process('a', 4, 5); // [0, 15)
      host.advanceWatermark(19); // 14 fires, then end - 1 + lateness = 19 drops the session
      host.process('a', 8, 9); // a new session [9, 19), already past its end but kept until 23: fires at once
      host.process('a', 16, -10); // [-10, 0): -1 + 5 ≤ 19 and it meets no live session: late
      host.advanceWatermark(Number.POSITIVE_INFINITY);
      expect(emittedAt(host)).to.deep.equal(['1@9', '3@12', '7@14', '8@18']);
      expect(host.late).to.deep.equal([16]);
    });

    it('a trigger other than EventTimeTrigger: the clean-up at end - 1 + lateness drops the window without firing it', () => {
      const { host, operator } = windowHarness(tumbling(10).trigger(CountTrigger.of(2)).reduce(sum));
      for (const v of [1, 2, 3, 4, 5]) host.process('a', v, v);
      host.advanceWatermark(Number.POSITIVE_INFINITY);
      // fires on the 2nd and 4th record (not purged: 1 + 2, then 1 + 2 + 3 + 4); 5 is dropped with the window
      expect(emittedAt(host)).to.deep.equal(['3@9', '10@9']);
      expect(operator.keyCount).to.equal(0);
    });

    it('late records are dropped and counted when there is no late side output', () => {
      const { host, operator } = windowHarness(tumbling(10).reduce(sum));
      host.advanceWatermark(20);
      host.process('a', 1, 3);
      expect(host.late).to.deep.equal([]);
      expect(host.emitted).to.deep.equal([]);
      expect(operator.droppedLateRecords).to.equal(1);
      expect(operator.keyCount, 'a late record opens no window').to.equal(0);
    });

    it('a sliding record late for its older windows only still counts in the newer ones and is not late', () => {
      const { host } = windowHarness(
        WindowedStreamSpecBuilder.window<number, string>(SlidingEventTimeWindows.of(10, 5))
          .sideOutputLateData('late')
          .reduce(sum),
      );
      host.advanceWatermark(10); // [0, 10) is late, [5, 15) is not
      host.process('a', 1, 7);
      host.advanceWatermark(Number.POSITIVE_INFINITY);
      expect(emittedAt(host)).to.deep.equal(['1@14']);
      expect(host.late).to.deep.equal([]);
    });

    it('an event-time window without a timestamp is a MissingTimestampError', () => {
      const { host } = windowHarness(tumbling(10).reduce(sum));
      expect(() => {
        host.process('a', 1, Number.NaN);
      }).to.throw(MissingTimestampError);
    });
  });

  describe('timers and clean-up', () => {
    it('one timer per window end, plus the clean-up timer at end - 1 + allowedLateness', () => {
      const { host, operator } = windowHarness(tumbling(10).allowedLateness(5).reduce(sum));
      host.process('a', 1, 1);
      host.process('a', 1, 2);
      host.process('a', 1, 12);
      host.process('b', 1, 3);
      expect(operator.timersOf('a').eventTime).to.deep.equal([9, 14, 19, 24]);
      expect(operator.timersOf('b').eventTime).to.deep.equal([9, 14]);
      expect(operator.timerEntries).to.equal(6);
    });

    it('after watermark +Infinity every window fired and was dropped: no key, no timer is left', () => {
      const { host, operator } = windowHarness(
        WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(5))
          .allowedLateness(100)
          .reduce(sum),
      );
      for (let i = 0; i < 50; i++) host.process(`k${String(i % 7)}`, i, (i * 13) % 97);
      host.advanceWatermark(Number.POSITIVE_INFINITY);
      expect(operator.keyCount).to.equal(0);
      expect(operator.timerEntries).to.equal(0);
      expect(host.emitted.reduce((n, e) => n + e.value, 0)).to.equal((49 * 50) / 2);
    });

    it('a purged window with no new record emits nothing when its timer fires', () => {
      class PurgeOnNegative extends Trigger<number> {
        onElement(value: number, _t: number, window: Window, ctx: TriggerContext): TriggerResult {
          ctx.registerEventTimeTimer(window.maxTimestamp());
          return value < 0 ? 'PURGE' : 'CONTINUE';
        }
        override onEventTime(): TriggerResult {
          return 'FIRE';
        }
      }
      const { host } = windowHarness(tumbling(10).trigger(PurgeOnNegative).reduce(sum));
      host.process('a', 1, 0);
      host.process('a', -1, 1);
      host.advanceWatermark(Number.POSITIVE_INFINITY);
      expect(host.emitted).to.deep.equal([]);
    });
  });

  describe('snapshot and restore', () => {
    const spec = WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(10))
      .allowedLateness(3)
      .reduce(sum, (key, w, [s]) => `${key}:${String(w.start)}-${String(w.end)}=${String(s)}`);
    const first: [string, number, number][] = [
      ['a', 1, 0],
      ['b', 2, 5],
      ['a', 4, 8],
    ];
    const second: [string, number, number][] = [
      ['a', 8, 15],
      ['b', 16, 40],
    ];

    it('a restored engine (JSON round trip, timers restored with their windows) goes on exactly as the original', () => {
      const straight = windowHarness(spec);
      for (const [k, v, t] of [...first, ...second]) straight.host.process(k, v, t);
      straight.host.advanceWatermark(Number.POSITIVE_INFINITY);

      const before = windowHarness(spec);
      for (const [k, v, t] of first) before.host.process(k, v, t);
      const saved = JSON.parse(JSON.stringify(before.operator.snapshot())) as WindowOperatorSnapshot<string>;
      before.host.process('a', 1_000, 1); // changes after the snapshot do not reach it

      const host = new FakeWindowHost<string, string, number>();
      const restored = host.attach(new WindowOperator(spec, host));
      for (const { key, windows } of saved.keys) restored.restoreKey(key, windows);
      expect(restored.timersOf('a').eventTime).to.deep.equal([17, 20]);
      for (const [k, v, t] of second) host.process(k, v, t);
      host.advanceWatermark(Number.POSITIVE_INFINITY);
      expect(emittedAt(host)).to.deep.equal(emittedAt(straight.host));
      expect(emittedAt(host)).to.include('"a:0-25=13"@24');
    });

    it('count windows (global window, bounds ±Infinity) survive a JSON round trip', () => {
      const countSpec = WindowedStreamSpecBuilder.countWindow<number, string>(3).reduce(sum);
      const before = windowHarness(countSpec);
      before.host.process('a', 1, 0);
      before.host.process('a', 2, 0);
      const saved = JSON.parse(JSON.stringify(before.operator.snapshot())) as WindowOperatorSnapshot<string>;
      const after = windowHarness(countSpec);
      after.operator.restore(saved);
      after.host.process('a', 4, 0);
      expect(emittedAt(after.host)).to.deep.equal(['7@Infinity']);
    });

    it('restore replaces everything, timers included', () => {
      const { host, operator } = windowHarness(spec);
      for (const [k, v, t] of first) host.process(k, v, t);
      const other = windowHarness(spec);
      other.host.process('z', 1, 0);
      other.operator.restore(operator.snapshot());
      expect([...other.operator.openKeys()].sort()).to.deep.equal(['a', 'b']);
      expect(other.operator.timersOf('a')).to.deep.equal({ eventTime: [17, 20], processingTime: [] });
      expect(other.operator.timersOf('z')).to.deep.equal({ eventTime: [], processingTime: [] });
      other.host.advanceWatermark(Number.POSITIVE_INFINITY);
      host.advanceWatermark(Number.POSITIVE_INFINITY);
      expect(emittedAt(other.host)).to.deep.equal(emittedAt(host));
    });
  });
});
