import { expect } from 'chai';
import {
  ProcessWindowFunction,
  TumblingEventTimeWindows,
  WindowedStreamSpecBuilder,
  type Window,
} from '../../../../src/index.js';
import { WindowOperator } from '../../../../src/core/window/window-operator.js';
import { FakeWindowHost } from '../../../helpers/fake-window-host.js';
import { windowHarness } from '../../../helpers/window-harness.js';

class Summary extends ProcessWindowFunction<number, string, string> {
  process(key: string, window: Window, elements: readonly number[]): string[] {
    this.collect(`${key} collected ${String(elements.length)}`);
    return [`${key} [${String(window.start)}, ${String(window.end)}): ${elements.join(',')}`];
  }
}

describe('ProcessWindowFunction', () => {
  it('sees every record of the window in arrival order; returned items come first, then collected ones', () => {
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(10)).process(Summary),
    );
    host.process('a', 3, 1);
    host.process('a', 1, 2);
    host.advanceWatermark(Number.POSITIVE_INFINITY);
    expect(host.emitted).to.deep.equal([
      { value: 'a [0, 10): 3,1', timestamp: 9 },
      { value: 'a collected 2', timestamp: 9 },
    ]);
  });

  it('a class is built through the given instantiate (so the runtime can pass args and ctx); objects are used as they are', () => {
    const built: Summary[] = [];
    const spec = WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(10)).process(
      Summary,
    );
    const host = new FakeWindowHost<string, string, number>();
    host.attach(
      new WindowOperator(spec, host, {
        instantiate: (cls) => {
          const f = new (cls as unknown as new () => Summary)();
          built.push(f);
          return f as never;
        },
      }),
    );
    expect(built).to.have.length(1);
    const own = new Summary();
    const withObject = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(10)).process(own),
    );
    withObject.host.process('b', 5, 0);
    withObject.host.advanceWatermark(9);
    expect(withObject.host.emitted.map((e) => e.value)).to.deep.equal(['b [0, 10): 5', 'b collected 1']);
  });

  it('a plain function works as a process function', () => {
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(10)).process(
        (key, _w, xs) => [`${key}:${String(Math.max(...xs))}`],
      ),
    );
    host.process('a', 4, 0);
    host.process('a', 9, 1);
    host.advanceWatermark(9);
    expect(host.emitted.map((e) => e.value)).to.deep.equal(['a:9']);
  });
});
