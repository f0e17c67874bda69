import { expect } from 'chai';
import {
  DeltaTrigger,
  GlobalWindows,
  GlobalWindow,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { RecordingTriggerContext } from '../../../helpers/recording-trigger-context.js';
import { windowHarness } from '../../../helpers/window-harness.js';

describe('DeltaTrigger', () => {
  it('fires when a record is more than the threshold away from the last firing point', () => {
    const t = DeltaTrigger.of(10, (a: number, b: number) => b - a);
    const ctx = new RecordingTriggerContext<{ readonly last: number }>();
    const w = GlobalWindow.get();
    const results = [0, 5, 10, 11, 15, 21, 22].map((v) => t.onElement(v, 0, w, ctx));
    expect(results).to.deep.equal([
      'CONTINUE',
      'CONTINUE',
      'CONTINUE',
      'FIRE',
      'CONTINUE',
      'CONTINUE',
      'FIRE',
    ]);
    expect(t.canMerge()).to.equal(false);
  });

  it('through the engine: emits the window each time the distance is exceeded', () => {
    const { host } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(GlobalWindows.create())
        .trigger(DeltaTrigger.of(10, (a: number, b: number) => b - a))
        .reduce((a, b) => Math.max(a, b)),
    );
    for (const v of [0, 5, 11, 12, 30]) host.process('car', v, 0);
    expect(host.emitted.map((e) => e.value)).to.deep.equal([11, 30]);
  });
});
