import { expect } from 'chai';
import { ProcessingTimeTrigger, TimeWindow } from '../../../../src/index.js';
import { RecordingTriggerContext } from '../../../helpers/recording-trigger-context.js';

describe('ProcessingTimeTrigger', () => {
  const w = new TimeWindow(0, 10);

  it('sets a processing-time timer at the end on every record, and fires on it', () => {
    const t = ProcessingTimeTrigger.create();
    const ctx = new RecordingTriggerContext();
    expect(t.onElement(1, 0, w, ctx)).to.equal('CONTINUE');
    expect(ctx.processingTimers).to.deep.equal([9]);
    expect(t.onProcessingTime(9, w, ctx)).to.equal('FIRE');
    expect(t.onEventTime(9, w, ctx)).to.equal('CONTINUE');
  });

  it('merges unless the clock passed the merged end, and clears its timer', () => {
    const t = ProcessingTimeTrigger.create();
    const ctx = new RecordingTriggerContext();
    t.onMerge(new TimeWindow(0, 20), ctx);
    expect(ctx.processingTimers).to.deep.equal([19]);
    t.clear(new TimeWindow(0, 20), ctx);
    expect(ctx.processingTimers).to.deep.equal([]);
    ctx.now = 25;
    t.onMerge(new TimeWindow(0, 20), ctx);
    expect(ctx.processingTimers).to.deep.equal([]);
  });
});
