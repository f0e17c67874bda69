import { expect } from 'chai';
import {
  CountTrigger,
  GlobalWindow,
  GlobalWindows,
  NeverTrigger,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

describe('GlobalWindows', () => {
  it('puts every record of a key in the one global window; it is not event time', () => {
    const a = GlobalWindows.create();
    expect(a.assignWindows(5, { currentProcessingTime: () => 0 })).to.deep.equal([GlobalWindow.get()]);
    expect(a.isEventTime()).to.equal(false);
    expect(a.defaultTrigger()).to.be.instanceOf(NeverTrigger);
  });

  it('never fires by default, not even at watermark +Infinity, and sets no timers', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(GlobalWindows.create()).reduce((a, b) => a + b),
    );
    host.process('a', 1, 0);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    host.advanceProcessingTime(Number.MAX_SAFE_INTEGER);
    expect(host.emitted).to.deep.equal([]);
    expect(operator.timerEntries).to.equal(0);
    expect(operator.snapshotKey('a')?.[0]?.contents).to.equal(1);
  });

  it('fires when its trigger says so; results carry the timestamp +Infinity', () => {
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(GlobalWindows.create())
        .trigger(CountTrigger.of(2))
        .reduce((a, b) => a + b),
    );
    for (const v of [1, 2, 3, 4]) host.process('a', v, 0);
    expect(emittedAt(host)).to.deep.equal(['3@Infinity', '10@Infinity']);
  });
});
