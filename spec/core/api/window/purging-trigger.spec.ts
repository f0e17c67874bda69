import { expect } from 'chai';
import {
  CountTrigger,
  EventTimeTrigger,
  GlobalWindows,
  PurgingTrigger,
  TimeWindow,
  WindowedStreamSpecBuilder,
} from '../../../../src/index.js';
import { RecordingTriggerContext } from '../../../helpers/recording-trigger-context.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

describe('PurgingTrigger', () => {
  it('turns FIRE into FIRE_AND_PURGE and passes everything else through', () => {
    const t = PurgingTrigger.of(EventTimeTrigger.create());
    const ctx = new RecordingTriggerContext();
    const w = new TimeWindow(0, 10);
    expect(t.onEventTime(9, w, ctx)).to.equal('FIRE_AND_PURGE');
    expect(t.onEventTime(5, w, ctx)).to.equal('CONTINUE');
    expect(t.onElement(1, 1, w, ctx)).to.equal('CONTINUE');
    expect(ctx.eventTimers).to.deep.equal([9]);
    expect(t.canMerge()).to.equal(true);
    t.clear(w, ctx);
    expect(ctx.eventTimers).to.deep.equal([]);
  });

  it('through the engine: every firing starts the window empty again', () => {
    const reduce = (a: number, b: number): number => a + b;
    const purging = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(GlobalWindows.create())
        .trigger(PurgingTrigger.of(CountTrigger.of(2)))
        .reduce(reduce),
    );
    const keeping = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(GlobalWindows.create())
        .trigger(CountTrigger.of(2))
        .reduce(reduce),
    );
    for (const v of [1, 2, 3, 4]) {
      purging.host.process('a', v, 0);
      keeping.host.process('a', v, 0);
    }
    expect(emittedAt(purging.host)).to.deep.equal(['3@Infinity', '7@Infinity']);
    expect(emittedAt(keeping.host)).to.deep.equal(['3@Infinity', '10@Infinity']);
  });
});
