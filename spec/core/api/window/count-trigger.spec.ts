import { expect } from 'chai';
import { CountTrigger, GlobalWindow, InvalidWindowSizeError } from '../../../../src/index.js';
import { RecordingTriggerContext } from '../../../helpers/recording-trigger-context.js';

describe('CountTrigger', () => {
  const w = GlobalWindow.get();

  it('fires on every n-th record of a window, counting in the window state', () => {
    const t = CountTrigger.of(3);
    const ctx = new RecordingTriggerContext<number>();
    const results = [1, 2, 3, 4, 5, 6, 7].map((v) => t.onElement(v, 0, w, ctx));
    expect(results).to.deep.equal([
      'CONTINUE',
      'CONTINUE',
      'FIRE',
      'CONTINUE',
      'CONTINUE',
      'FIRE',
      'CONTINUE',
    ]);
    expect(ctx.state).to.equal(1);
  });

  it('merges by summing the counts of the merged windows', () => {
    const t = CountTrigger.of(5);
    const ctx = new RecordingTriggerContext<number>();
    ctx.merged = [2, undefined, 1];
    expect(t.canMerge()).to.equal(true);
    t.onMerge(w, ctx);
    expect(ctx.state).to.equal(3);
  });

  it('rejects a count below 1', () => {
    expect(() => CountTrigger.of(0)).to.throw(InvalidWindowSizeError, /CountTrigger.of needs a count > 0/);
  });
});
