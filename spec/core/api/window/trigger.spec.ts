import { expect } from 'chai';
import {
  EventTimeSessionWindows,
  GlobalWindow,
  Trigger,
  TumblingEventTimeWindows,
  WindowedStreamSpecBuilder,
  WindowMergeError,
  type TriggerContext,
  type TriggerResult,
  type Window,
} from '../../../../src/index.js';
import { RecordingTriggerContext } from '../../../helpers/recording-trigger-context.js';
import { emittedAt, windowHarness } from '../../../helpers/window-harness.js';

/** Fires and purges on records above 100, purges on negative records, and fires on its own event-time timer. */
class Thresholds extends Trigger<number, Window, number> {
  onElement(value: number, _t: number, window: Window, ctx: TriggerContext<number>): TriggerResult {
    ctx.registerEventTimeTimer(window.start + 5);
    if (value > 100) return 'FIRE_AND_PURGE';
    if (value < 0) return 'PURGE';
    return 'CONTINUE';
  }

  override onEventTime(time: number, window: Window): TriggerResult {
    return time === window.start + 5 ? 'FIRE' : 'CONTINUE';
  }

  override clear(window: Window, ctx: TriggerContext<number>): void {
    ctx.deleteEventTimeTimer(window.start + 5);
  }
}

describe('Trigger (user triggers)', () => {
  it('CONTINUE, FIRE, PURGE and FIRE_AND_PURGE act on the window as their names say', () => {
    const { host, operator } = windowHarness(
      WindowedStreamSpecBuilder.window<number, string>(TumblingEventTimeWindows.of(100))
        .trigger(Thresholds)
        .reduce((a, b) => a + b),
    );
    host.process('k', 1, 0);
    host.process('k', 2, 1);
    host.process('k', 200, 2); // FIRE_AND_PURGE: 203
    host.process('k', 7, 3);
    host.process('k', -1, 4); // PURGE: drops 7 and -1
    host.process('k', 9, 5);
    host.advanceWatermark(5); // its own timer: FIRE with 9
    host.advanceWatermark(Number.POSITIVE_INFINITY); // no end-of-window firing: this trigger never fires on it
    expect(emittedAt(host)).to.deep.equal(['203@99', '9@99']);
    expect(operator.timerEntries).to.equal(0);
  });

  it('is rejected on session windows unless it can merge; its default onMerge says why', () => {
    const sessions = WindowedStreamSpecBuilder.window<number, string>(EventTimeSessionWindows.withGap(10));
    expect(() => sessions.trigger(new Thresholds())).to.throw(
      WindowMergeError,
      /Thresholds cannot merge windows/,
    );
    expect(() => {
      new Thresholds().onMerge(GlobalWindow.get(), new RecordingTriggerContext<number>());
    }).to.throw(WindowMergeError, /implement canMerge\(\) and onMerge\(\)/);
  });
});
