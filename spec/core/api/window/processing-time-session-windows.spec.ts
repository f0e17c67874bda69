import { expect } from 'chai';
import {
  InvalidSessionGapError,
  ProcessingTimeSessionWindows,
  TimeWindow,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

describe('ProcessingTimeSessionWindows', () => {
  it('opens [now, now + gap) per record, by the clock', () => {
    const a = ProcessingTimeSessionWindows.withGap(10);
    expect(a.assignWindows(999, { currentProcessingTime: () => 5 })).to.deep.equal([new TimeWindow(5, 15)]);
    expect(a.isEventTime()).to.equal(false);
    expect(() => ProcessingTimeSessionWindows.withGap(-1)).to.throw(InvalidSessionGapError);
  });

  it('through the engine: a session lasts while records arrive less than the gap apart', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(ProcessingTimeSessionWindows.withGap(10)).reduce(
        (a, b) => a + b,
      ),
    );
    host.process('a', 1, 0);
    host.advanceProcessingTime(8);
    host.process('a', 2, 0);
    host.advanceProcessingTime(15);
    expect(host.emitted).to.deep.equal([]);
    host.advanceProcessingTime(17);
    expect(emittedAt(host)).to.deep.equal(['3@17']);
    expect(operator.timerEntries).to.equal(0);
  });
});
