import { expect } from 'chai';
import { checkRestartStrategy } from '../../../../src/kernel/runtime/restart/restart-strategy.js';

describe('checkRestartStrategy', () => {
  it('names the field that is wrong and the value it holds', () => {
    expect(() => checkRestartStrategy({ kind: 'fixed-delay', attempts: -1, delayMs: 5 })).to.throw(
      TypeError,
      /attempts must be an integer ≥ 0, got number -1/,
    );
    expect(() => checkRestartStrategy({ kind: 'fixed-delay', attempts: 1, delayMs: 'soon' })).to.throw(
      TypeError,
      /delayMs must be a number of ms ≥ 0, got string "soon"/,
    );
    expect(() =>
      checkRestartStrategy({ kind: 'exponential-delay', initialDelayMs: 1, maxDelayMs: 2, multiplier: 0.5 }),
    ).to.throw(TypeError, /multiplier must be a number ≥ 1, got number 0.5/);
    expect(() => checkRestartStrategy({ kind: 'sometimes' })).to.throw(TypeError, /kind must be 'none'/);
  });
});
