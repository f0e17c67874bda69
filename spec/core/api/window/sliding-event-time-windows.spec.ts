import { expect } from 'chai';
import {
  InvalidWindowSizeError,
  InvalidWindowSlideError,
  SlidingEventTimeWindows,
  TimeWindow,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

const clock = { currentProcessingTime: () => 0 };

describe('SlidingEventTimeWindows', () => {
  it('puts a record in size / slide windows, latest first', () => {
    expect(SlidingEventTimeWindows.of(10, 5).assignWindows(12, clock)).to.deep.equal([
      new TimeWindow(10, 20),
      new TimeWindow(5, 15),
    ]);
    expect(SlidingEventTimeWindows.of(9, 3).assignWindows(9, clock)).to.deep.equal([
      new TimeWindow(9, 18),
      new TimeWindow(6, 15),
      new TimeWindow(3, 12),
    ]);
    expect(SlidingEventTimeWindows.of(10, 5, 2).assignWindows(12, clock)).to.deep.equal([
      new TimeWindow(12, 22),
      new TimeWindow(7, 17),
    ]);
  });

  it('a slide larger than the size gives sampling windows, as in Flink: a record between two windows is in none', () => {
    const a = SlidingEventTimeWindows.of(5, 10);
    expect(a.assignWindows(3, clock)).to.deep.equal([new TimeWindow(0, 5)]);
    expect(a.assignWindows(7, clock)).to.deep.equal([]);
    expect(a.assignWindows(-6, clock)).to.deep.equal([new TimeWindow(-10, -5)]);
    expect(SlidingEventTimeWindows.of(5, 10, 3).assignWindows(2, clock)).to.deep.equal([]);
    expect(SlidingEventTimeWindows.of(5, 10, 3).assignWindows(4, clock)).to.deep.equal([
      new TimeWindow(3, 8),
    ]);
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(a).reduce((x, y) => x + y),
    );
    host.process('a', 1, 3);
    host.process('a', 2, 7);
    host.process('a', 4, 12);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    // 7 is in no window and not late: it is dropped, not sent to the late output (Flink's isSkippedElement)
    expect(emittedAt(host)).to.deep.equal(['1@4', '4@14']);
    expect(host.late).to.deep.equal([]);
  });

  it('says what is wrong with a slide that is not positive, and what to do', () => {
    expect(() => SlidingEventTimeWindows.of(10, 0)).to.throw(InvalidWindowSlideError, /slide > 0/);
    expect(() => SlidingEventTimeWindows.of(10, -5)).to.throw(InvalidWindowSlideError, /slide > 0/);
    expect(() => SlidingEventTimeWindows.of(-10, 5)).to.throw(InvalidWindowSizeError);
    expect(() => SlidingEventTimeWindows.of(10, 5, 5)).to.throw(InvalidWindowSizeError, /\|offset\| < 5/);
  });

  it('through the engine: a record counts in every window it falls in', () => {
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(SlidingEventTimeWindows.of(10, 5)).reduce(
        (a, b) => a + b,
      ),
    );
    host.process('k', 1, 7);
    host.process('k', 10, 12);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(emittedAt(host).sort()).to.deep.equal(['1@9', '10@19', '11@14'].sort());
  });
});
