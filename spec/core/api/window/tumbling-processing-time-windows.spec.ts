import { expect } from 'chai';
import {
  InvalidWindowSizeError,
  ProcessingTimeTrigger,
  TimeWindow,
  TumblingProcessingTimeWindows,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

describe('TumblingProcessingTimeWindows', () => {
  it('places records by the clock, not by their timestamps', () => {
    const a = TumblingProcessingTimeWindows.of(100);
    expect(a.assignWindows(5, { currentProcessingTime: () => 250 })).to.deep.equal([
      new TimeWindow(200, 300),
    ]);
    expect(a.isEventTime()).to.equal(false);
    expect(a.defaultTrigger()).to.be.instanceOf(ProcessingTimeTrigger);
  });

  it('rejects a size that is not positive', () => {
    expect(() => TumblingProcessingTimeWindows.of(0)).to.throw(InvalidWindowSizeError);
  });

  it('through the engine: fires when the processing time passes the end, ignoring watermarks', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(TumblingProcessingTimeWindows.of(100)).reduce(
        (a, b) => a + b,
      ),
    );
    host.advanceProcessingTime(10);
    host.process('a', 1, 999_999);
    host.advanceProcessingTime(50);
    host.process('a', 2, 0);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(host.emitted).to.deep.equal([]);
    host.advanceProcessingTime(99);
    expect(emittedAt(host)).to.deep.equal(['3@99']);
    host.advanceProcessingTime(100);
    host.process('a', 5, 0);
    host.advanceProcessingTime(199);
    expect(emittedAt(host)).to.deep.equal(['3@99', '5@199']);
    expect(operator.timerEntries).to.equal(0);
  });
});
