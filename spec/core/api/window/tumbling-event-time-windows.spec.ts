import { expect } from 'chai';
import {
  EventTimeTrigger,
  InvalidWindowSizeError,
  MissingTimestampError,
  TimeWindow,
  TumblingEventTimeWindows,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

const clock = { currentProcessingTime: () => 1_000_000 };

describe('TumblingEventTimeWindows', () => {
  it('puts each record in the one window of its timestamp (by event time, not the clock)', () => {
    const a = TumblingEventTimeWindows.of(10);
    expect(a.assignWindows(0, clock)).to.deep.equal([new TimeWindow(0, 10)]);
    expect(a.assignWindows(9, clock)).to.deep.equal([new TimeWindow(0, 10)]);
    expect(a.assignWindows(10, clock)).to.deep.equal([new TimeWindow(10, 20)]);
    expect(a.assignWindows(-1, clock)).to.deep.equal([new TimeWindow(-10, 0)]);
  });

  it('shifts windows by the offset', () => {
    expect(TumblingEventTimeWindows.of(10, 3).assignWindows(12, clock)).to.deep.equal([
      new TimeWindow(3, 13),
    ]);
    expect(TumblingEventTimeWindows.of(10, -3).assignWindows(12, clock)).to.deep.equal([
      new TimeWindow(7, 17),
    ]);
  });

  it('is event time, with EventTimeTrigger by default, and does not merge', () => {
    const a = TumblingEventTimeWindows.of(10);
    expect(a.isEventTime()).to.equal(true);
    expect(a.isMerging()).to.equal(false);
    expect(a.defaultTrigger()).to.be.instanceOf(EventTimeTrigger);
  });

  it('rejects a size that is not positive and an offset outside the window, at the call', () => {
    expect(() => TumblingEventTimeWindows.of(0)).to.throw(InvalidWindowSizeError, /size > 0 ms, got 0/);
    expect(() => TumblingEventTimeWindows.of(-5)).to.throw(InvalidWindowSizeError, /got -5/);
    expect(() => TumblingEventTimeWindows.of(Number.NaN)).to.throw(InvalidWindowSizeError);
    expect(() => TumblingEventTimeWindows.of(10, 10)).to.throw(InvalidWindowSizeError, /\|offset\| < 10/);
  });

  it('a record without a timestamp is a MissingTimestampError saying to assign timestamps', () => {
    expect(() => TumblingEventTimeWindows.of(10).assignWindows(Number.NaN, clock)).to.throw(
      MissingTimestampError,
      /assignTimestampsAndWatermarks/,
    );
  });

  it('through the engine: each window fires once the watermark passes its end, with timestamp end - 1', () => {
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(10)).reduce(
        (a, b) => a + b,
      ),
    );
    host.process('a', 1, 3);
    host.process('a', 2, 9);
    host.process('a', 4, 10);
    host.advanceWatermark(8);
    expect(host.emitted).to.deep.equal([]);
    host.advanceWatermark(9);
    expect(emittedAt(host)).to.deep.equal(['3@9']);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(emittedAt(host)).to.deep.equal(['3@9', '4@19']);
  });
});
