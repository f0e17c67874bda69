import { expect } from 'chai';
import {
  CountTrigger,
  EventTimeSessionWindows,
  InvalidSessionGapError,
  TimeWindow,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

const clock = { currentProcessingTime: () => 0 };
const sum = (a: number, b: number): number => a + b;

describe('EventTimeSessionWindows', () => {
  it('opens [timestamp, timestamp + gap) per record and merges', () => {
    const a = EventTimeSessionWindows.withGap(10);
    expect(a.assignWindows(5, clock)).to.deep.equal([new TimeWindow(5, 15)]);
    expect(a.isMerging()).to.equal(true);
    expect(a.isEventTime()).to.equal(true);
  });

  it('rejects a gap that is not positive, saying what the gap is', () => {
    expect(() => EventTimeSessionWindows.withGap(-5)).to.throw(
      InvalidSessionGapError,
      /gap > 0 ms, got -5.*idle time/,
    );
    expect(() => EventTimeSessionWindows.withGap(0)).to.throw(InvalidSessionGapError);
  });

  it('records closer than the gap make one session; a record bridging two sessions merges them', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(10)).reduce(
        sum,
        (key, w, [s]) => JSON.stringify([key, w.start, w.end, s]),
      ),
    );
    host.process('a', 1, 0);
    host.process('a', 2, 30);
    host.process('b', 100, 0);
    expect(operator.snapshotKey('a')?.map((w) => [w.start, w.end])).to.deep.equal([
      [0, 10],
      [30, 40],
    ]);
    host.process('a', 4, 18); // [18, 28) touches neither [0, 10) nor [30, 40)
    host.process('a', 8, 10); // [10, 20) touches [0, 10) and [18, 28): one session [0, 28)
    expect(operator.snapshotKey('a')?.map((w) => [w.start, w.end])).to.deep.equal([
      [30, 40],
      [0, 28],
    ]);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(host.emitted.map((e) => [JSON.parse(e.value) as unknown, e.timestamp])).to.deep.equal([
      [['b', 0, 10, 100], 9],
      [['a', 0, 28, 13], 27],
      [['a', 30, 40, 2], 39],
    ]);
  });

  it('a record inside a live session joins it without changing it', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(10)).reduce(sum),
    );
    host.process('a', 1, 0);
    host.process('a', 2, 5);
    host.process('a', 3, 3);
    expect(operator.snapshotKey('a')?.map((w) => [w.start, w.end, w.contents])).to.deep.equal([[0, 15, 6]]);
    expect(operator.timersOf('a').eventTime).to.deep.equal([14]);
  });

  it('merging moves the end-of-window timer to the merged session and merges trigger state (CountTrigger)', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(10))
        .trigger(CountTrigger.of(3))
        .reduce(sum),
    );
    host.process('a', 1, 0);
    host.process('a', 2, 20);
    expect(operator.snapshotKey('a')?.map((w) => w.triggerState)).to.deep.equal([1, 1]);
    host.process('a', 4, 10); // merges both: counts 1 + 1 from onMerge, + 1 for this record = 3 → FIRE
    expect(emittedAt(host)).to.deep.equal(['7@29']);
    expect(operator.snapshotKey('a')?.map((w) => [w.start, w.end])).to.deep.equal([[0, 30]]);
    expect(operator.timersOf('a').eventTime, 'only the clean-up timer of the merged session').to.deep.equal([
      29,
    ]);
  });
});
