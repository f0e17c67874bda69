import { expect } from 'chai';
import { EventTimeTrigger, TimeWindow } from '../../../../src/index.js';
import { RecordingTriggerContext } from '../../../helpers/recording-trigger-context.js';

describe('EventTimeTrigger', () => {
  const w = new TimeWindow(0, 10);

  it('on a record before the watermark passed the window: sets a timer at its end and continues', () => {
    const ctx = new RecordingTriggerContext();
    ctx.watermark = 8;
    expect(EventTimeTrigger.create().onElement(1, 3, w, ctx)).to.equal('CONTINUE');
    expect(ctx.eventTimers).to.deep.equal([9]);
  });

  it('on a record after the watermark passed the end (allowed lateness): fires at once', () => {
    const ctx = new RecordingTriggerContext();
    ctx.watermark = 9;
    expect(EventTimeTrigger.create().onElement(1, 3, w, ctx)).to.equal('FIRE');
    expect(ctx.eventTimers).to.deep.equal([]);
  });

  it('fires on the timer at the end only; ignores processing time', () => {
    const ctx = new RecordingTriggerContext();
    const t = EventTimeTrigger.create();
    expect(t.onEventTime(9, w, ctx)).to.equal('FIRE');
    expect(t.onEventTime(12, w, ctx)).to.equal('CONTINUE');
    expect(t.onProcessingTime(9, w, ctx)).to.equal('CONTINUE');
  });

  it('merges (a timer at the merged end unless the watermark passed it) and clears its timer', () => {
    const t = EventTimeTrigger.create();
    const ctx = new RecordingTriggerContext();
    expect(t.canMerge()).to.equal(true);
    t.onMerge(new TimeWindow(0, 20), ctx);
    expect(ctx.eventTimers).to.deep.equal([19]);
    t.clear(new TimeWindow(0, 20), ctx);
    expect(ctx.eventTimers).to.deep.equal([]);
    ctx.watermark = 30;
    t.onMerge(new TimeWindow(0, 20), ctx);
    expect(ctx.eventTimers).to.deep.equal([]);
  });
});
