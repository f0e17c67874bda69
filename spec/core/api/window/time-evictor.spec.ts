import { expect } from 'chai';
import {
  CountTrigger,
  GlobalWindow,
  GlobalWindows,
  InvalidWindowSizeError,
  TimeEvictor,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { windowHarness } from '../../../helpers/window-harness.js';

const clocks = { currentWatermark: () => 0, currentProcessingTime: () => 0 };

describe('TimeEvictor', () => {
  it('removes records at or before newest - windowSize', () => {
    const xs = [10, 14, 15, 20].map((timestamp) => ({ value: timestamp, timestamp }));
    TimeEvictor.of(5).evictBefore(xs, GlobalWindow.get(), clocks);
    expect(xs.map((r) => r.timestamp)).to.deep.equal([20]);
    const ys = [16, 14, 20].map((timestamp) => ({ value: timestamp, timestamp }));
    TimeEvictor.of(5).evictBefore(ys, GlobalWindow.get(), clocks);
    expect(ys.map((r) => r.timestamp)).to.deep.equal([16, 20]);
    expect(() => TimeEvictor.of(-1)).to.throw(InvalidWindowSizeError);
  });

  it('through the engine: a running sum over the last 10 ms of records', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(GlobalWindows.create())
        .trigger(CountTrigger.of(1))
        .evictor(TimeEvictor.of(10))
        .reduce((a, b) => a + b),
    );
    for (const [v, t] of [
      [1, 0],
      [2, 5],
      [4, 11],
      [8, 25],
    ] as const)
      host.process('a', v, t);
    expect(host.emitted.map((e) => e.value)).to.deep.equal([1, 3, 6, 8]);
    expect(operator.snapshotKey('a')?.[0]?.contents, 'evicted records leave the window').to.deep.equal([
      { value: 8, timestamp: 25 },
    ]);
  });
});
