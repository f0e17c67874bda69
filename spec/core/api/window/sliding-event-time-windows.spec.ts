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

  it('says what is wrong with a slide larger than the size, and what to do', () => {
    expect(() => SlidingEventTimeWindows.of(10_000, 60_000)).to.throw(
      InvalidWindowSlideError,
      /slide \(60000 ms\) is larger than the window size \(10000 ms\).*use a slide ≤ the size/,
    );
    expect(() => SlidingEventTimeWindows.of(10, 0)).to.throw(InvalidWindowSlideError, /slide > 0/);
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
