import { expect } from 'chai';
import { toError } from '../../src/errors/to-error.js';

describe('toError', () => {
  it('returns an Error as is and wraps anything else, keeping it as the cause', () => {
    const e = new Error('x');
    expect(toError(e)).to.equal(e);
    const fromString = toError('plain');
    expect(fromString.message).to.equal('plain');
    expect(fromString.cause).to.equal('plain');
    const fromNumber = toError(7);
    expect(fromNumber.message).to.equal('number 7');
    expect(fromNumber.cause).to.equal(7);
  });
});
