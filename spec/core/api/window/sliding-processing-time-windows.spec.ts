import { expect } from 'chai';
import {
  InvalidWindowSlideError,
  SlidingProcessingTimeWindows,
  TimeWindow,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

describe('SlidingProcessingTimeWindows', () => {
  it('places records in the windows of the clock', () => {
    expect(
      SlidingProcessingTimeWindows.of(10, 5).assignWindows(0, { currentProcessingTime: () => 12 }),
    ).to.deep.equal([new TimeWindow(10, 20), new TimeWindow(5, 15)]);
    expect(SlidingProcessingTimeWindows.of(10, 5).isEventTime()).to.equal(false);
    expect(() => SlidingProcessingTimeWindows.of(5, 0)).to.throw(InvalidWindowSlideError);
    expect(
      SlidingProcessingTimeWindows.of(5, 10).assignWindows(0, { currentProcessingTime: () => 17 }),
    ).to.deep.equal([]);
  });

  it('through the engine: each window fires when the clock passes its end', () => {
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(SlidingProcessingTimeWindows.of(10, 5)).reduce(
        (a, b) => a + b,
      ),
    );
    host.advanceProcessingTime(7);
    host.process('k', 1, 0);
    host.advanceProcessingTime(9);
    expect(emittedAt(host)).to.deep.equal(['1@9']);
    host.advanceProcessingTime(14);
    expect(emittedAt(host)).to.deep.equal(['1@9', '1@14']);
  });
});
